// Semantic diff of two /proc/PID/smaps snapshots: how much RESIDENT memory each region class
// gained (Go heap arenas, glibc [heap] and arenas, thread stacks, other anonymous, files),
// with virtual sizes kept apart: a new 8 MiB thread stack adds 8 MiB of address space and a
// few KiB of memory (domain.md § "Resident vs virtual"). Facts: docs/parsers.md § smaps diff.
import { classifiedSmaps, type ClassifiedSmaps } from '../parsers/proc-smaps.js';
import { classTotals, subtractTotals, totalsFacts } from '../parsers/proc-smaps/class-totals.js';
import { SmapsScan, tooManyMappings, type ParsedSmaps } from '../parsers/proc-smaps/entries.js';
import { REGION_CLASSES, REGION_CLASS_LABELS } from '../parsers/proc-smaps/region-class.js';
import { addressHex } from '../parsers/proc-maps/region.js';
import { diffWhole } from '../parsers/chunk-lines.js';
import type { DiffStream, Facts, ParseResult, ParseWarning, StreamingDiffer } from '../parsers/types.js';
import { forEachCluster } from '../parsers/proc-maps/overlap.js';

const DEFAULT_LIST_LIMIT = 10;

export const smapsDiffer: StreamingDiffer = {
  kind: 'smaps',
  summary: 'two /proc/PID/smaps snapshots: resident growth (Anonymous + Swap) per region class, virtual sizes apart',
  keyFacts: ['anon_kb_delta', 'swap_kb_delta', 'go_heap_anon_kb_delta', 'glibc_heap_anon_kb_delta', 'glibc_arena_anon_kb_delta', 'thread_stack_anon_kb_delta', 'other_anon_anon_kb_delta', 'thread_stack_count_delta', 'size_kb_delta'],
  diff: (before, after, options = {}) => diffWhole(before, after, (skipBomBefore, skipBomAfter) => smapsDiffStream(options, skipBomBefore, skipBomAfter)),
  stream: (options = {}) => smapsDiffStream(options, true, true),
};

/** Each side read in chunks as the proc-smaps parser reads it. */
function smapsDiffStream(options: Record<string, unknown>, skipBomBefore: boolean, skipBomAfter: boolean): DiffStream {
  const [before, after] = [new SmapsScan(skipBomBefore), new SmapsScan(skipBomAfter)];
  return {
    before,
    after,
    end(): ParseResult {
      const warnings: ParseWarning[] = [];
      const a = side(before.end(), 'before', warnings);
      const b = side(after.end(), 'after', warnings);
      const limit = typeof options.listLimit === 'number' && options.listLimit >= 0 ? Math.floor(options.listLimit) : DEFAULT_LIST_LIMIT;
      const facts = diffFacts(a.smaps, b.smaps, limit);
      const emptySide = a.smaps.regions.length === 0 ? 'before' : b.smaps.regions.length === 0 ? 'after' : null;
      if (emptySide !== null) return { facts, warnings, error: { code: 'unrecognised-format', message: `${emptySide}: no smaps entries found (expected the text of /proc/PID/smaps)` } };
      const full = a.parsed.mappingsLeftOut > 0 ? ['before', a.parsed] as const : b.parsed.mappingsLeftOut > 0 ? ['after', b.parsed] as const : undefined;
      if (full === undefined) return { facts, warnings };
      const error = tooManyMappings(full[1]);
      return { facts, warnings, error: { ...error, message: `${full[0]}: ${error.message}` } };
    },
  };
}

function side(parsed: ParsedSmaps, name: string, warnings: ParseWarning[]): { smaps: ClassifiedSmaps; parsed: ParsedSmaps } {
  for (const w of parsed.warnings) warnings.push({ ...w, message: `${name}: ${w.message}` });
  return { smaps: classifiedSmaps(parsed.regions), parsed };
}

/** Private memory a region holds: resident anonymous pages plus those swapped out. */
function heldKb(r: { anon_kb: number; swap_kb: number }): number {
  return r.anon_kb + r.swap_kb;
}

function diffFacts(a: ClassifiedSmaps, b: ClassifiedSmaps, limit: number): Facts {
  const before = classTotals(a.regions, a.classes);
  const after = classTotals(b.regions, b.classes);
  const delta = subtractTotals(after, before);
  const grownClasses = REGION_CLASSES.map((cls) => ({ cls, t: delta.byClass[cls] }))
    .filter(({ t }) => heldKb(t) > 0)
    .sort((x, y) => heldKb(y.t) - heldKb(x.t))
    .map(({ cls, t }) => ({ class: cls, label: REGION_CLASS_LABELS[cls], held_kb_delta: heldKb(t), rss_kb_delta: t.rss_kb, size_kb_delta: t.size_kb, mappings_delta: t.mappings }));
  return {
    mappings_before: before.all.mappings,
    mappings_after: after.all.mappings,
    rss_kb_before: before.all.rss_kb,
    rss_kb_after: after.all.rss_kb,
    anon_kb_before: before.all.anon_kb,
    anon_kb_after: after.all.anon_kb,
    held_kb_delta: heldKb(delta.all),
    ...Object.fromEntries(REGION_CLASSES.map((cls) => [`${cls}_held_kb_delta`, heldKb(delta.byClass[cls])])),
    ...totalsFacts(delta, '_delta'),
    grown_classes: grownClasses,
    grown_regions: grownRegions(a, b).slice(0, limit),
  };
}

interface RegionGrowth {
  status: 'new' | 'removed' | 'changed';
  start: string;
  end: string;
  class: string;
  path: string;
  held_kb_before: number;
  held_kb_after: number;
  held_kb_delta: number;
  size_kb_before: number;
  size_kb_after: number;
}

/** Address-range clusters (mappings merge and split between snapshots) whose held memory grew, largest first. */
function grownRegions(a: ClassifiedSmaps, b: ClassifiedSmaps): Facts[] {
  const grown: RegionGrowth[] = [];
  forEachCluster(a.table, b.table, (c) => {
    let heldBefore = 0;
    let heldAfter = 0;
    let sizeBefore = 0;
    let sizeAfter = 0;
    for (let i = c.beforeFrom; i < c.beforeTo; i++) {
      heldBefore += heldKb(a.regions[i]!);
      sizeBefore += a.regions[i]!.kb;
    }
    for (let i = c.afterFrom; i < c.afterTo; i++) {
      heldAfter += heldKb(b.regions[i]!);
      sizeAfter += b.regions[i]!.kb;
    }
    if (heldAfter <= heldBefore) return;
    const inAfter = c.afterTo > c.afterFrom;
    const first = inAfter ? c.afterFrom : c.beforeFrom;
    const regions = inAfter ? b.regions : a.regions;
    const classes = inAfter ? b.classes : a.classes;
    let path = '';
    for (let i = first; i < (inAfter ? c.afterTo : c.beforeTo) && path === ''; i++) path = regions[i]!.path;
    grown.push({
      status: c.beforeTo === c.beforeFrom ? 'new' : 'changed',
      start: addressHex(c.start),
      end: addressHex(c.end),
      class: classes[first]!,
      path,
      held_kb_before: heldBefore,
      held_kb_after: heldAfter,
      held_kb_delta: heldAfter - heldBefore,
      size_kb_before: sizeBefore,
      size_kb_after: sizeAfter,
    });
  });
  grown.sort((x, y) => y.held_kb_delta - x.held_kb_delta);
  return grown.map((g) => ({ ...g }));
}
