// Semantic diff of two /proc/PID/maps snapshots: where did memory grow — Go's heap arenas,
// the brk [heap], glibc malloc arenas, other anonymous mappings? Mechanics: domain.md
// § memory sources ("maps diff" row); fact definitions: docs/parsers.md § maps diff.
import { asText } from '../parsers/input.js';
import { kindTotals } from '../parsers/proc-maps.js';
import { areaTotals, classifyMemoryAreas, type MemoryAreas } from '../parsers/proc-maps/memory-areas.js';
import { isReservation, parseMapsText, sizeKb, type Address, type MapRegion } from '../parsers/proc-maps/region.js';
import type { Differ, Facts, ParseResult, ParseWarning, ParserInput } from '../parsers/types.js';
import { forEachCluster, sortedByStart, type RegionCluster } from './maps/overlap.js';

const DEFAULT_LIST_LIMIT = 20;

interface Snapshot {
  regions: MapRegion[];
  areas: MemoryAreas;
}

export const mapsDiffer: Differ = {
  kind: 'maps',
  summary: 'two /proc/PID/maps snapshots: growth of Go arenas, [heap], glibc arenas and anonymous mappings',
  keyFacts: [
    'anon_growth_kb',
    'heap_growth_kb',
    'arena_growth_kb',
    'glibc_arena_growth_kb',
    'glibc_arena_count_before',
    'glibc_arena_count_after',
    'c_heap_growth_kb',
    'mapping_count_delta',
    'total_kb_delta',
  ],
  diff(before: ParserInput, after: ParserInput, options: Record<string, unknown> = {}): ParseResult {
    const warnings: ParseWarning[] = [];
    const a = snapshot(before, 'before', warnings);
    const b = snapshot(after, 'after', warnings);
    const limit = typeof options.listLimit === 'number' && options.listLimit >= 0 ? Math.floor(options.listLimit) : DEFAULT_LIST_LIMIT;
    const facts = diffFacts(a, b, limit);
    const emptySide = a.regions.length === 0 ? 'before' : b.regions.length === 0 ? 'after' : null;
    if (emptySide === null) return { facts, warnings };
    return {
      facts,
      warnings,
      error: { code: 'unrecognised-format', message: `${emptySide}: no maps lines found (expected the text of /proc/PID/maps)` },
    };
  },
};

function snapshot(input: ParserInput, side: string, warnings: ParseWarning[]): Snapshot {
  const parsed = parseMapsText(asText(input));
  for (const w of parsed.warnings) warnings.push({ ...w, message: `${side}: ${w.message}` });
  const regions = sortedByStart(parsed.regions);
  return { regions, areas: classifyMemoryAreas(regions) };
}

function diffFacts(a: Snapshot, b: Snapshot, limit: number): Facts {
  const kindsA = kindTotals(a.regions);
  const kindsB = kindTotals(b.regions);
  const areasA = areaTotals(a.regions, a.areas);
  const areasB = areaTotals(b.regions, b.areas);
  const heapGrowth = kindsB.heap_kb - kindsA.heap_kb;
  const glibcGrowth = areasB.glibc_arena_kb - areasA.glibc_arena_kb;
  const goGrowth = areasB.go_arena_kb - areasA.go_arena_kb;
  const anonGrowth = kindsB.anon_kb - kindsA.anon_kb;
  const changes = clusterChanges(a, b);
  const byDelta = (x: RegionChange, y: RegionChange): number => Math.abs(y.delta_kb) - Math.abs(x.delta_kb);
  const added = changes.filter((c) => c.status === 'new').sort(byDelta);
  const removed = changes.filter((c) => c.status === 'removed').sort(byDelta);
  const grown = changes.filter((c) => c.status === 'changed' && c.delta_kb > 0).sort(byDelta);
  const shrunk = changes.filter((c) => c.status === 'changed' && c.delta_kb < 0);
  return {
    mappings_before: a.regions.length,
    mappings_after: b.regions.length,
    mapping_count_delta: b.regions.length - a.regions.length,
    total_kb_before: kindsA.total_kb,
    total_kb_after: kindsB.total_kb,
    total_kb_delta: kindsB.total_kb - kindsA.total_kb,
    anon_kb_before: kindsA.anon_kb,
    anon_kb_after: kindsB.anon_kb,
    anon_growth_kb: anonGrowth,
    heap_kb_before: kindsA.heap_kb,
    heap_kb_after: kindsB.heap_kb,
    heap_growth_kb: heapGrowth,
    stack_growth_kb: kindsB.stack_kb - kindsA.stack_kb,
    file_kb_delta: kindsB.file_kb - kindsA.file_kb,
    reserved_kb_delta: kindsB.reserved_kb - kindsA.reserved_kb,
    go_arena_kb_before: areasA.go_arena_kb,
    go_arena_kb_after: areasB.go_arena_kb,
    arena_growth_kb: goGrowth,
    glibc_arena_count_before: areasA.glibc_arena_count,
    glibc_arena_count_after: areasB.glibc_arena_count,
    glibc_arena_kb_before: areasA.glibc_arena_kb,
    glibc_arena_kb_after: areasB.glibc_arena_kb,
    glibc_arena_growth_kb: glibcGrowth,
    c_heap_growth_kb: heapGrowth + glibcGrowth,
    other_anon_growth_kb: anonGrowth - goGrowth - glibcGrowth,
    new_region_count: added.length,
    removed_region_count: removed.length,
    grown_region_count: grown.length,
    shrunk_region_count: shrunk.length,
    new_regions: added.slice(0, limit).map(changeFact),
    removed_regions: removed.slice(0, limit).map(changeFact),
    grown_regions: grown.slice(0, limit).map(changeFact),
  };
}

type Area = 'go-arena' | 'glibc-arena' | MapRegion['kind'];

interface RegionChange {
  status: 'new' | 'removed' | 'changed';
  start: Address;
  end: Address;
  area: Area;
  path: string;
  before_kb: number;
  after_kb: number;
  delta_kb: number;
}

/** Usable (non-PROT_NONE) KiB of regions[from, to): an arena growing into its reservation keeps its range. */
function usableKb(regions: readonly MapRegion[], from: number, to: number): number {
  let kb = 0;
  for (let i = from; i < to; i++) if (!isReservation(regions[i]!)) kb += sizeKb(regions[i]!);
  return kb;
}

function clusterChanges(a: Snapshot, b: Snapshot): RegionChange[] {
  const changes: RegionChange[] = [];
  forEachCluster(a.regions, b.regions, (cluster) => {
    const beforeKb = usableKb(a.regions, cluster.beforeFrom, cluster.beforeTo);
    const afterKb = usableKb(b.regions, cluster.afterFrom, cluster.afterTo);
    const status = cluster.beforeTo === cluster.beforeFrom ? 'new' : cluster.afterTo === cluster.afterFrom ? 'removed' : 'changed';
    if (status === 'changed' && beforeKb === afterKb) return;
    const label = clusterLabel(cluster, a, b);
    const previous = changes[changes.length - 1];
    // A new arena's `rw-p` head and `---p` tail (or a thread stack and its guard page) are
    // separate VMAs with no overlap: report the contiguous whole as one new region.
    if (previous !== undefined && status !== 'changed' && previous.status === status && previous.end === cluster.start && previous.area === label.area) {
      previous.end = cluster.end;
      previous.before_kb += beforeKb;
      previous.after_kb += afterKb;
      previous.delta_kb = previous.after_kb - previous.before_kb;
      if (previous.path === '') previous.path = label.path;
      return;
    }
    changes.push({ status, start: cluster.start, end: cluster.end, ...label, before_kb: beforeKb, after_kb: afterKb, delta_kb: afterKb - beforeKb });
  });
  return changes;
}

function anyIn(set: Set<number>, from: number, to: number): boolean {
  for (let i = from; i < to; i++) if (set.has(i)) return true;
  return false;
}

function clusterLabel(cluster: RegionCluster, a: Snapshot, b: Snapshot): { area: Area; path: string } {
  const path = pathOf(cluster, a, b);
  if (anyIn(a.areas.goArena, cluster.beforeFrom, cluster.beforeTo) || anyIn(b.areas.goArena, cluster.afterFrom, cluster.afterTo)) return { area: 'go-arena', path };
  if (anyIn(a.areas.glibcArenaRegions, cluster.beforeFrom, cluster.beforeTo) || anyIn(b.areas.glibcArenaRegions, cluster.afterFrom, cluster.afterTo)) {
    return { area: 'glibc-arena', path };
  }
  const first = cluster.afterTo > cluster.afterFrom ? b.regions[cluster.afterFrom]! : a.regions[cluster.beforeFrom]!;
  return { area: first.kind, path };
}

function pathOf(cluster: RegionCluster, a: Snapshot, b: Snapshot): string {
  for (let i = cluster.afterFrom; i < cluster.afterTo; i++) if (b.regions[i]!.path !== '') return b.regions[i]!.path;
  for (let i = cluster.beforeFrom; i < cluster.beforeTo; i++) if (a.regions[i]!.path !== '') return a.regions[i]!.path;
  return '';
}

function changeFact(c: RegionChange): Facts {
  return {
    start: c.start.toString(16),
    end: c.end.toString(16),
    area: c.area,
    path: c.path,
    before_kb: c.before_kb,
    after_kb: c.after_kb,
    delta_kb: c.delta_kb,
  };
}
