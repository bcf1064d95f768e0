// Semantic diff of two /proc/PID/maps snapshots: where did memory grow — Go's heap arenas,
// the brk [heap], glibc malloc arenas, other anonymous mappings? Mechanics: domain.md
// § memory sources ("maps diff" row); fact definitions: docs/parsers.md § maps diff.
// The two snapshots are merged by address as they are read (both in address order, as the
// kernel prints them): read in lockstep, a diff holds the rows between the two reading
// positions, not the files (docs/parsers.md § maps diff).
import { diffWhole } from '../parsers/chunk-lines.js';
import { kindTotals } from '../parsers/proc-maps.js';
import { Area } from '../parsers/proc-maps/memory-areas.js';
import { ClusterWalk, type ClusterVisitor, type Side } from '../parsers/proc-maps/overlap.js';
import type { Address, RegionKind } from '../parsers/proc-maps/region.js';
import type { Facts, LockstepDiffStream, ParseResult, ParseWarning, StreamingDiffer } from '../parsers/types.js';
import { MapsSide } from './maps-side.js';
import { RegionChanges } from './region-changes.js';

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
  const tally = new ClusterTally(before, after, changes);
  const walk = new ClusterWalk();
  let waiting: Side | null = 'before';
  const advance = (): void => {
    if (before.unorderedLine > 0 || after.unorderedLine > 0) {
      // No diff comes of it (end() says why): read on to both ends, dropping rows as they come.
      before.dropBelow(before.ready);
      after.dropBelow(after.ready);
      waiting = !before.done ? 'before' : !after.done ? 'after' : null;
      return;
    }
    waiting = walk.walk(before, after, tally);
    tally.keepPaths();
    for (const [name, side] of [['before', before], ['after', after]] as const) walk.shift(name, side.dropBelow(walk.next(name)));
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
    for (const w of side.warnings()) warnings.push({ ...w, message: `${name}: ${w.message}` });
  }
  const emptySide = before.table.rowsRead === 0 ? 'before' : after.table.rowsRead === 0 ? 'after' : null;
  const unordered = before.unorderedLine > 0 || after.unorderedLine > 0;
  if (emptySide !== null) {
    return {
      // The merge stopped at an out-of-order line: its changes are partial, so none are given.
      facts: unordered ? {} : diffFacts(before, after, changes),
      warnings,
      error: { code: 'unrecognised-format', message: `${emptySide}: no maps lines found (expected the text of /proc/PID/maps)` },
    };
  }
  for (const [name, side] of [['before', before], ['after', after]] as const) {
    const line = side.unorderedLine;
    if (line === 0) continue;
    // The merge by address needs both in order; the kernel never prints them otherwise.
    const message = `${name}: line ${line} starts below the mapping before it: /proc/PID/maps lists mappings in address order; give one unedited snapshot per file`;
    return { facts: {}, warnings, error: { code: 'invalid', message, line } };
  }
  return { facts: diffFacts(before, after, changes), warnings };
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

/** One side's share of a cluster: its rows, usable KiB, first kind and first path. */
class SideTally {
  rows = 0;
  kb = 0;
  kind: RegionKind = 'other';
  // The first path as an id in the side's pool (0: none yet; id 0 is '', text-pool.ts),
  // decoded only for a cluster that changed (a string per cluster was most of the walk's
  // garbage), or after each walk (keep), before rows may be dropped and the pool rebuilt.
  private pathId = 0;
  path = '';

  constructor(readonly side: MapsSide) {}

  join(i: number): void {
    const table = this.side.table;
    if (this.rows++ === 0) this.kind = table.kind(i);
    if (this.pathId === 0 && this.path === '') this.pathId = table.pathId(i);
    // Usable (non-PROT_NONE) KiB: an arena growing into its reservation keeps its range.
    if (!table.isReservation(i)) this.kb += table.kb(i);
  }

  /** Decodes the path held by id. */
  keep(): void {
    if (this.pathId !== 0) this.path = this.side.table.pool.text(this.pathId);
    this.pathId = 0;
  }

  reset(): void {
    this.rows = this.kb = this.pathId = 0;
    this.path = '';
  }
}

/**
 * What the diff needs of a cluster, taken from each row as it joins (so a row is not held
 * until its cluster ends, however many rows the cluster spans): each side's tally, and
 * whether any row is in a Go or glibc arena.
 */
class ClusterTally implements ClusterVisitor {
  private readonly before: SideTally;
  private readonly after: SideTally;
  private goArena = false;
  private glibcArena = false;

  constructor(
    before: MapsSide,
    after: MapsSide,
    private readonly changes: RegionChanges,
  ) {
    this.before = new SideTally(before);
    this.after = new SideTally(after);
  }

  join(side: Side, i: number): void {
    const tally = side === 'before' ? this.before : this.after;
    const area = tally.side.areaOf(i);
    if (area === Area.GoArena) this.goArena = true;
    else if (area === Area.GlibcArena) this.glibcArena = true;
    tally.join(i);
  }

  /** Decodes the paths held by id: after a walk, rows may be dropped and the pool rebuilt. */
  keepPaths(): void {
    this.before.keep();
    this.after.keep();
  }

  close(start: Address, end: Address): void {
    const { before: a, after: b } = this;
    const status = a.rows === 0 ? 'new' : b.rows === 0 ? 'removed' : 'changed';
    if (status !== 'changed' || a.kb !== b.kb) {
      const area = this.goArena ? 'go-arena' : this.glibcArena ? 'glibc-arena' : b.rows > 0 ? b.kind : a.kind;
      this.keepPaths();
      const path = b.path !== '' ? b.path : a.path;
      this.changes.add({ status, start, end, area, path, before_kb: a.kb, after_kb: b.kb, delta_kb: b.kb - a.kb });
    }
    a.reset();
    b.reset();
    this.goArena = this.glibcArena = false;
  }
}
