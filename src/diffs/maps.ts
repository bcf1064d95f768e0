// Semantic diff of two /proc/PID/maps snapshots: where did memory grow — Go's heap arenas,
// the brk [heap], glibc malloc arenas, other anonymous mappings? Mechanics: domain.md
// § memory sources ("maps diff" row); fact definitions: docs/parsers.md § maps diff.
// The two snapshots are merged by address as they are read (both are in address order, as the
// kernel prints them), so a diff holds few rows of either, whatever their size.
import { diffWhole } from '../parsers/chunk-lines.js';
import { kindTotals } from '../parsers/proc-maps.js';
import { Area } from '../parsers/proc-maps/memory-areas.js';
import { ClusterWalk, type RegionCluster } from '../parsers/proc-maps/overlap.js';
import type { Facts, LockstepDiffStream, ParseResult, ParseWarning, StreamingDiffer } from '../parsers/types.js';
import { MapsSide } from './maps-side.js';
import { RegionChanges, type ChangeArea, type RegionChange } from './region-changes.js';

const DEFAULT_LIST_LIMIT = 20;

export const mapsDiffer: StreamingDiffer = {
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
  diff: (before, after, options = {}) => diffWhole(before, after, (skipBomBefore, skipBomAfter) => mapsDiffStream(options, skipBomBefore, skipBomAfter)),
  stream: (options = {}) => mapsDiffStream(options, true, true),
};

/** `skipBom…`: that side is bytes, read after a UTF-8 BOM as a TextDecoder reads it. */
function mapsDiffStream(options: Record<string, unknown>, skipBomBefore: boolean, skipBomAfter: boolean): LockstepDiffStream {
  const limit = typeof options.listLimit === 'number' && options.listLimit >= 0 ? Math.floor(options.listLimit) : DEFAULT_LIST_LIMIT;
  const before = new MapsSide(skipBomBefore);
  const after = new MapsSide(skipBomAfter);
  const changes = new RegionChanges(limit);
  const walk = new ClusterWalk();
  const visit = (cluster: Readonly<RegionCluster>): void => {
    const change = clusterChange(cluster, before, after);
    if (change !== null) changes.add(change);
  };
  let waiting: 'before' | 'after' | null = 'before';
  const advance = (): void => {
    waiting = walk.walk(before, after, visit);
    const droppedBefore = before.dropBelow(walk.neededFrom('before'));
    if (droppedBefore > 0) walk.shift('before', droppedBefore);
    const droppedAfter = after.dropBelow(walk.neededFrom('after'));
    if (droppedAfter > 0) walk.shift('after', droppedAfter);
  };
  const input = (side: MapsSide) => ({
    write(chunk: Uint8Array): void {
      side.write(chunk);
      advance();
    },
    end(): void {
      side.end();
      advance();
    },
  });
  return {
    before: input(before),
    after: input(after),
    waitingFor: () => waiting,
    end(): ParseResult {
      before.end();
      after.end();
      advance();
      changes.finish();
      return diffResult(before, after, changes);
    },
  };
}

function diffResult(before: MapsSide, after: MapsSide, changes: RegionChanges): ParseResult {
  const warnings: ParseWarning[] = [];
  for (const [name, side] of [['before', before], ['after', after]] as const) {
    for (const w of side.result().warnings) warnings.push({ ...w, message: `${name}: ${w.message}` });
  }
  for (const [name, side] of [['before', before], ['after', after]] as const) {
    const line = side.result().unorderedLine;
    if (line === 0) continue;
    // The merge by address needs both in order; the kernel never prints them otherwise.
    const message = `${name}: line ${line} starts below the mapping before it: /proc/PID/maps lists mappings in address order; give one unedited snapshot per file`;
    return { facts: {}, warnings, error: { code: 'invalid', message, line } };
  }
  const facts = diffFacts(before, after, changes);
  const emptySide = before.table.rowsRead === 0 ? 'before' : after.table.rowsRead === 0 ? 'after' : null;
  if (emptySide === null) return { facts, warnings };
  return {
    facts,
    warnings,
    error: { code: 'unrecognised-format', message: `${emptySide}: no maps lines found (expected the text of /proc/PID/maps)` },
  };
}

function diffFacts(a: MapsSide, b: MapsSide, changes: RegionChanges): Facts {
  const kindsA = kindTotals(a.table);
  const kindsB = kindTotals(b.table);
  const areasA = a.areaTotals();
  const areasB = b.areaTotals();
  const heapGrowth = kindsB.heap_kb - kindsA.heap_kb;
  const glibcGrowth = areasB.glibc_arena_kb - areasA.glibc_arena_kb;
  const goGrowth = areasB.go_arena_kb - areasA.go_arena_kb;
  const anonGrowth = kindsB.anon_kb - kindsA.anon_kb;
  const mappingsA = a.table.rowsRead;
  const mappingsB = b.table.rowsRead;
  return {
    mappings_before: mappingsA,
    mappings_after: mappingsB,
    mapping_count_delta: mappingsB - mappingsA,
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
    new_region_count: changes.added.count,
    removed_region_count: changes.removed.count,
    grown_region_count: changes.grown.count,
    shrunk_region_count: changes.shrunkCount,
    new_regions: changes.added.facts(),
    removed_regions: changes.removed.facts(),
    grown_regions: changes.grown.facts(),
  };
}

/** Usable (non-PROT_NONE) KiB of rows [from, to): an arena growing into its reservation keeps its range. */
function usableKb(side: MapsSide, from: number, to: number): number {
  let kb = 0;
  for (let i = from; i < to; i++) if (!side.table.isReservation(i)) kb += side.table.kb(i);
  return kb;
}

/** The cluster as a change, or null when its usable size did not change. */
function clusterChange(cluster: Readonly<RegionCluster>, a: MapsSide, b: MapsSide): RegionChange | null {
  const beforeKb = usableKb(a, cluster.beforeFrom, cluster.beforeTo);
  const afterKb = usableKb(b, cluster.afterFrom, cluster.afterTo);
  const status = cluster.beforeTo === cluster.beforeFrom ? 'new' : cluster.afterTo === cluster.afterFrom ? 'removed' : 'changed';
  if (status === 'changed' && beforeKb === afterKb) return null;
  return { status, start: cluster.start, end: cluster.end, area: clusterArea(cluster, a, b), path: pathOf(cluster, a, b), before_kb: beforeKb, after_kb: afterKb, delta_kb: afterKb - beforeKb };
}

function anyIn(side: MapsSide, area: number, from: number, to: number): boolean {
  for (let i = from; i < to; i++) if (side.areaOf(i) === area) return true;
  return false;
}

function clusterArea(cluster: Readonly<RegionCluster>, a: MapsSide, b: MapsSide): ChangeArea {
  const inArea = (area: number): boolean => anyIn(a, area, cluster.beforeFrom, cluster.beforeTo) || anyIn(b, area, cluster.afterFrom, cluster.afterTo);
  if (inArea(Area.GoArena)) return 'go-arena';
  if (inArea(Area.GlibcArena)) return 'glibc-arena';
  return cluster.afterTo > cluster.afterFrom ? b.table.kind(cluster.afterFrom) : a.table.kind(cluster.beforeFrom);
}

function pathOf(cluster: Readonly<RegionCluster>, a: MapsSide, b: MapsSide): string {
  for (let i = cluster.afterFrom; i < cluster.afterTo; i++) if (b.table.path(i) !== '') return b.table.path(i);
  for (let i = cluster.beforeFrom; i < cluster.beforeTo; i++) if (a.table.path(i) !== '') return a.table.path(i);
  return '';
}
