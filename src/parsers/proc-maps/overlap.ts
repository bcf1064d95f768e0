// Matches two snapshots of /proc/PID/maps by address range, not by line: the kernel merges
// adjacent anonymous VMAs and glibc/Go arenas grow in place (a `---p` tail turns `rw-p`),
// so one region before can be three after and vice versa. A cluster is a maximal set of
// regions from both snapshots connected by overlapping ranges.
import type { Address, MapRegion } from './region.js';
import type { MapsTable } from './table.js';

/** Both lists are address-ordered, so a cluster's members are index ranges [from, to) in each. */
export interface RegionCluster {
  beforeFrom: number;
  beforeTo: number;
  afterFrom: number;
  afterTo: number;
  start: Address;
  end: Address;
}

/** A side of the walk: the table so far, how many of its rows are final, and whether more will come. */
export interface WalkSide {
  table: MapsTable;
  /** Rows below this are read for good (a later row may still settle an earlier one's area). */
  ready: number;
  /** No row will follow the table's last. */
  done: boolean;
}

export type Side = 'before' | 'after';

/** What a walk tells as it goes: each row as it joins the open cluster, then the cluster. */
export interface ClusterVisitor {
  /** Row i of `side` joins the open cluster (rows come in address order). */
  join(side: Side, i: number): void;
  /** The open cluster, [start, end), is complete: every row of it has joined. */
  close(start: Address, end: Address): void;
}

/**
 * The clusters of two address-ordered tables, walked in address order as rows arrive: the
 * maps diff merges its two files while it reads them, so neither is held whole (issue 19). The
 * walk goes on while it can tell which row comes next, and stops when a side that may still
 * grow has no ready row left. A visitor keeps what it needs of each row as it joins, so a
 * reader may drop every row the walk has passed (`next`, `shift`), even inside an open cluster.
 */
export class ClusterWalk {
  /** The next row of each side. */
  private i = 0;
  private j = 0;
  private open = false;
  // Not 0: a field that starts as a small integer and is later given an address changes the
  // object's hidden class (as in AreaScan).
  private start: Address = Number.NaN;
  private end: Address = Number.NaN;

  /** Walks as far as both sides allow; returns the side it waits for, or null once both are done and every cluster was closed. */
  walk(before: WalkSide, after: WalkSide, visitor: ClusterVisitor): Side | null {
    const a = before.table;
    const b = after.table;
    let i = this.i;
    let j = this.j;
    for (;;) {
      const hasBefore = i < before.ready;
      const hasAfter = j < after.ready;
      // Until the other side's next row is known, it could come first: wait for it.
      const waiting = !hasBefore && !before.done ? 'before' : !hasAfter && !after.done ? 'after' : null;
      if (waiting !== null || (!hasBefore && !hasAfter)) {
        this.i = i;
        this.j = j;
        if (waiting === null && this.open) {
          this.open = false;
          visitor.close(this.start, this.end);
        }
        return waiting;
      }
      const takeBefore = !hasAfter || (hasBefore && a.start(i) <= b.start(j));
      const start = takeBefore ? a.start(i) : b.start(j);
      const end = takeBefore ? a.end(i) : b.end(j);
      if (!this.open || start >= this.end) {
        if (this.open) visitor.close(this.start, this.end);
        this.open = true;
        this.start = start;
        this.end = end;
      } else if (end > this.end) {
        this.end = end;
      }
      if (takeBefore) visitor.join('before', i++);
      else visitor.join('after', j++);
    }
  }

  /** The next row of `side` the walk will take: every row below it has joined its cluster. */
  next(side: Side): number {
    return side === 'before' ? this.i : this.j;
  }

  /** That side's first `n` rows (all below next(side)) were dropped: its row n is now row 0. */
  shift(side: Side, n: number): void {
    if (side === 'before') this.i -= n;
    else this.j -= n;
  }
}

/** Both tables whole and sorted by start (as the kernel prints them): calls `visit` once per
 *  cluster, with its rows as index ranges (the object is reused from call to call). */
export function forEachCluster(before: MapsTable, after: MapsTable, visit: (cluster: Readonly<RegionCluster>) => void): void {
  const cluster: RegionCluster = { beforeFrom: 0, beforeTo: 0, afterFrom: 0, afterTo: 0, start: 0, end: 0 };
  let nextBefore = 0;
  let nextAfter = 0;
  let fresh = true;
  const visitor: ClusterVisitor = {
    join(side, i) {
      if (fresh) {
        cluster.beforeFrom = cluster.beforeTo = nextBefore;
        cluster.afterFrom = cluster.afterTo = nextAfter;
        fresh = false;
      }
      if (side === 'before') cluster.beforeTo = nextBefore = i + 1;
      else cluster.afterTo = nextAfter = i + 1;
    },
    close(start, end) {
      cluster.start = start;
      cluster.end = end;
      fresh = true;
      visit(cluster);
    },
  };
  new ClusterWalk().walk({ table: before, ready: before.count, done: true }, { table: after, ready: after.count, done: true }, visitor);
}

/** Regions in address order (a stable sort by start); a copy only when they were not in it. */
export function sortedByStart<R extends MapRegion>(regions: R[]): R[] {
  for (let k = 1; k < regions.length; k++) {
    if (regions[k]!.start < regions[k - 1]!.start) return [...regions].sort((x, y) => (x.start < y.start ? -1 : x.start > y.start ? 1 : 0));
  }
  return regions;
}
