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

/**
 * Both tables sorted by start (as the kernel prints them); calls `visit` once per cluster. The
 * cluster object is reused from call to call (one per cluster was most of the diff's garbage).
 */
export function forEachCluster(before: MapsTable, after: MapsTable, visit: (cluster: Readonly<RegionCluster>) => void): void {
  let i = 0;
  let j = 0;
  let open = false;
  const current: RegionCluster = { beforeFrom: 0, beforeTo: 0, afterFrom: 0, afterTo: 0, start: 0, end: 0 };
  while (i < before.count || j < after.count) {
    const takeBefore = j >= after.count || (i < before.count && before.start(i) <= after.start(j));
    const start = takeBefore ? before.start(i) : after.start(j);
    const end = takeBefore ? before.end(i) : after.end(j);
    if (!open || start >= current.end) {
      if (open) visit(current);
      open = true;
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
  if (open) visit(current);
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

/** The table in address order; a copy only when the input was not sorted. */
export function sortedTable(regions: MapsTable): MapsTable {
  if (regions.inStartOrder()) return regions;
  const order = startOrder(regions.count, (i) => regions.start(i));
  return order === null ? regions : regions.permuted(order);
}
