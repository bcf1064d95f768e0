// Semantic diff of two /proc/PID/maps snapshots: where did memory grow — Go's heap arenas,
// the brk [heap], glibc malloc arenas, other anonymous mappings? Mechanics: domain.md
// § memory sources ("maps diff" row); fact definitions: docs/parsers.md § maps diff.
import { diffWhole } from '../parsers/chunk-lines.js';
import { kindTotals } from '../parsers/proc-maps.js';
import { Area, areaTotals, classifyMemoryAreas, type MemoryAreas } from '../parsers/proc-maps/memory-areas.js';
import { MapsScan } from '../parsers/proc-maps/maps-scan.js';
import type { Address, RegionKind } from '../parsers/proc-maps/region.js';
import type { MapsTable } from '../parsers/proc-maps/table.js';
import type { DiffStream, Facts, ParseResult, ParseWarning, StreamingDiffer } from '../parsers/types.js';
import { forEachCluster, sortedTable, type RegionCluster } from '../parsers/proc-maps/overlap.js';

const DEFAULT_LIST_LIMIT = 20;

interface Snapshot {
  regions: MapsTable;
  areas: MemoryAreas;
}

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
function mapsDiffStream(options: Record<string, unknown>, skipBomBefore: boolean, skipBomAfter: boolean): DiffStream {
  const before = new MapsScan(skipBomBefore, false);
  const after = new MapsScan(skipBomAfter, false);
  return {
    before,
    after,
    end(): ParseResult {
      const warnings: ParseWarning[] = [];
      const a = snapshot(before, 'before', warnings);
      const b = snapshot(after, 'after', warnings);
      const limit = typeof options.listLimit === 'number' && options.listLimit >= 0 ? Math.floor(options.listLimit) : DEFAULT_LIST_LIMIT;
      const facts = diffFacts(a, b, limit);
      const emptySide = a.regions.count === 0 ? 'before' : b.regions.count === 0 ? 'after' : null;
      if (emptySide === null) return { facts, warnings };
      return {
        facts,
        warnings,
        error: { code: 'unrecognised-format', message: `${emptySide}: no maps lines found (expected the text of /proc/PID/maps)` },
      };
    },
  };
}

function snapshot(scan: MapsScan, side: string, warnings: ParseWarning[]): Snapshot {
  const parsed = scan.end();
  for (const w of parsed.warnings) warnings.push({ ...w, message: `${side}: ${w.message}` });
  const regions = sortedTable(parsed.table);
  return { regions, areas: classifyMemoryAreas(regions) };
}

function diffFacts(a: Snapshot, b: Snapshot, limit: number): Facts {
  const kindsA = kindTotals(a.regions);
  const kindsB = kindTotals(b.regions);
  const areasA = areaTotals(a.areas);
  const areasB = areaTotals(b.areas);
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
    mappings_before: a.regions.count,
    mappings_after: b.regions.count,
    mapping_count_delta: b.regions.count - a.regions.count,
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

type ChangeArea = 'go-arena' | 'glibc-arena' | RegionKind;

interface RegionChange {
  status: 'new' | 'removed' | 'changed';
  start: Address;
  end: Address;
  area: ChangeArea;
  path: string;
  before_kb: number;
  after_kb: number;
  delta_kb: number;
}

/** Usable (non-PROT_NONE) KiB of regions[from, to): an arena growing into its reservation keeps its range. */
function usableKb(regions: MapsTable, from: number, to: number): number {
  let kb = 0;
  for (let i = from; i < to; i++) if (!regions.isReservation(i)) kb += regions.kb(i);
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

function anyIn(areas: MemoryAreas, area: number, from: number, to: number): boolean {
  for (let i = from; i < to; i++) if (areas.area[i] === area) return true;
  return false;
}

function clusterLabel(cluster: RegionCluster, a: Snapshot, b: Snapshot): { area: ChangeArea; path: string } {
  const path = pathOf(cluster, a, b);
  const inArea = (area: number): boolean => anyIn(a.areas, area, cluster.beforeFrom, cluster.beforeTo) || anyIn(b.areas, area, cluster.afterFrom, cluster.afterTo);
  if (inArea(Area.GoArena)) return { area: 'go-arena', path };
  if (inArea(Area.GlibcArena)) return { area: 'glibc-arena', path };
  const kind = cluster.afterTo > cluster.afterFrom ? b.regions.kind(cluster.afterFrom) : a.regions.kind(cluster.beforeFrom);
  return { area: kind, path };
}

function pathOf(cluster: RegionCluster, a: Snapshot, b: Snapshot): string {
  for (let i = cluster.afterFrom; i < cluster.afterTo; i++) if (b.regions.path(i) !== '') return b.regions.path(i);
  for (let i = cluster.beforeFrom; i < cluster.beforeTo; i++) if (a.regions.path(i) !== '') return a.regions.path(i);
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
