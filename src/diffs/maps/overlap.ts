// Matches two snapshots of /proc/PID/maps by address range, not by line: the kernel merges
// adjacent anonymous VMAs and glibc/Go arenas grow in place (a `---p` tail turns `rw-p`),
// so one region before can be three after and vice versa. A cluster is a maximal set of
// regions from both snapshots connected by overlapping ranges.
import type { Address, MapRegion } from '../../parsers/proc-maps/region.js';

/** Both lists are address-ordered, so a cluster's members are index ranges [from, to) in each. */
export interface RegionCluster {
  beforeFrom: number;
  beforeTo: number;
  afterFrom: number;
  afterTo: number;
  start: Address;
  end: Address;
}

/** Both arrays sorted by start (as the kernel prints them); calls `visit` once per cluster. */
export function forEachCluster(before: readonly MapRegion[], after: readonly MapRegion[], visit: (cluster: RegionCluster) => void): void {
  let i = 0;
  let j = 0;
  let current: RegionCluster | null = null;
  while (i < before.length || j < after.length) {
    const takeBefore = j >= after.length || (i < before.length && before[i]!.start <= after[j]!.start);
    const region = takeBefore ? before[i]! : after[j]!;
    if (current === null || region.start >= current.end) {
      if (current !== null) visit(current);
      current = { beforeFrom: i, beforeTo: i, afterFrom: j, afterTo: j, start: region.start, end: region.end };
    } else if (region.end > current.end) {
      current.end = region.end;
    }
    if (takeBefore) current.beforeTo = ++i;
    else current.afterTo = ++j;
  }
  if (current !== null) visit(current);
}

/** Regions in address order; a copy only when the input was not sorted. */
export function sortedByStart<R extends MapRegion>(regions: R[]): R[] {
  for (let k = 1; k < regions.length; k++) {
    if (regions[k]!.start < regions[k - 1]!.start) return [...regions].sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : 0));
  }
  return regions;
}
