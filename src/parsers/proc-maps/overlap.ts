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

/**
 * The clusters of two address-ordered tables, visited in address order as rows arrive: the
 * maps diff merges its two files while it reads them, so neither is held whole (issue 19). The
 * walk goes on while it can tell which row comes next, and stops when a side that may still
 * grow has no ready row left. The cluster object is reused from visit to visit (one per cluster
 * was most of the diff's garbage).
 */
export class ClusterWalk {
  /** The next row of each side. */
  private i = 0;
  private j = 0;
  private open = false;
  private readonly current: RegionCluster = { beforeFrom: 0, beforeTo: 0, afterFrom: 0, afterTo: 0, start: 0, end: 0 };

  /** Walks as far as both sides allow; returns the side it waits for, or null once both are done and every cluster was visited. */
  walk(before: WalkSide, after: WalkSide, visit: (cluster: Readonly<RegionCluster>) => void): 'before' | 'after' | null {
    const current = this.current;
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
        if (waiting === null && this.open) visit(current);
        if (waiting === null) this.open = false;
        return waiting;
      }
      const takeBefore = !hasAfter || (hasBefore && a.start(i) <= b.start(j));
      const start = takeBefore ? a.start(i) : b.start(j);
      const end = takeBefore ? a.end(i) : b.end(j);
      if (!this.open || start >= current.end) {
        if (this.open) visit(current);
        this.open = true;
        current.beforeFrom = current.beforeTo = i;
        current.afterFrom = current.afterTo = j;
        current.start = start;
        current.end = end;
      } else if (end > current.end) {
        current.end = end;
      }
      if (takeBefore) current.beforeTo = ++i;
      else current.afterTo = ++j;
    }
  }

  /** The first row of each side the walk still needs (its open cluster's, or its next). */
  neededFrom(side: 'before' | 'after'): number {
    if (side === 'before') return this.open ? this.current.beforeFrom : this.i;
    return this.open ? this.current.afterFrom : this.j;
  }

  /** That side's first `n` rows were dropped: its row n is now row 0. */
  shift(side: 'before' | 'after', n: number): void {
    if (side === 'before') {
      this.i -= n;
      this.current.beforeFrom -= n;
      this.current.beforeTo -= n;
    } else {
      this.j -= n;
      this.current.afterFrom -= n;
      this.current.afterTo -= n;
    }
  }
}

/** Both tables whole and sorted by start (as the kernel prints them): calls `visit` once per cluster. */
export function forEachCluster(before: MapsTable, after: MapsTable, visit: (cluster: Readonly<RegionCluster>) => void): void {
  new ClusterWalk().walk({ table: before, ready: before.count, done: true }, { table: after, ready: after.count, done: true }, visit);
}

/** The stable order of rows 0…count−1 by start address, or null when they are in it already. */
function startOrder(count: number, startOf: (i: number) => Address): number[] | null {
  for (let k = 1; k < count; k++) {
    if (startOf(k) < startOf(k - 1)) {
      return Array.from({ length: count }, (_, i) => i).sort((a, b) => {
        const x = startOf(a);
        const y = startOf(b);
        return x < y ? -1 : x > y ? 1 : 0;
      });
    }
  }
  return null;
}

/** Regions in address order; a copy only when the input was not sorted. */
export function sortedByStart<R extends MapRegion>(regions: R[]): R[] {
  const order = startOrder(regions.length, (i) => regions[i]!.start);
  return order === null ? regions : order.map((i) => regions[i]!);
}
