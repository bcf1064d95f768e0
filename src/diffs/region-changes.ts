// The maps diff's changed regions, taken cluster by cluster in address order: contiguous new
// (or removed) clusters of one area become one region (an arena's head and tail, a thread stack
// and its guard page), each status is counted, and only the `limit` largest of each list are
// kept, so a diff of any size holds a few dozen of them (issue 19: flat memory).
import type { Address, RegionKind } from '../parsers/proc-maps/region.js';
import type { Facts } from '../parsers/types.js';

export type ChangeArea = 'go-arena' | 'glibc-arena' | RegionKind;

export interface RegionChange {
  status: 'new' | 'removed' | 'changed';
  start: Address;
  end: Address;
  area: ChangeArea;
  path: string;
  before_kb: number;
  after_kb: number;
  delta_kb: number;
}

export class RegionChanges {
  readonly added: LargestChanges;
  readonly removed: LargestChanges;
  readonly grown: LargestChanges;
  shrunkCount = 0;
  /** The latest change, which the next may still extend. */
  private last: RegionChange | null = null;

  constructor(limit: number) {
    this.added = new LargestChanges(limit);
    this.removed = new LargestChanges(limit);
    this.grown = new LargestChanges(limit);
  }

  /** The next change in address order (taken as is, not copied). */
  add(change: RegionChange): void {
    const last = this.last;
    if (last !== null && change.status !== 'changed' && last.status === change.status && last.end === change.start && last.area === change.area) {
      last.end = change.end;
      last.before_kb += change.before_kb;
      last.after_kb += change.after_kb;
      last.delta_kb = last.after_kb - last.before_kb;
      if (last.path === '') last.path = change.path;
      return;
    }
    if (last !== null) this.file(last);
    this.last = change;
  }

  /** No change follows. */
  finish(): void {
    if (this.last !== null) this.file(this.last);
    this.last = null;
  }

  private file(change: RegionChange): void {
    if (change.status === 'new') this.added.offer(change);
    else if (change.status === 'removed') this.removed.offer(change);
    else if (change.delta_kb > 0) this.grown.offer(change);
    else this.shrunkCount++;
  }
}

/** The `limit` largest changes by |delta_kb| offered, largest first, the earlier first among equals. */
export class LargestChanges {
  count = 0;
  private readonly items: RegionChange[] = [];

  constructor(private readonly limit: number) {}

  offer(change: RegionChange): void {
    this.count++;
    const size = Math.abs(change.delta_kb);
    const items = this.items;
    if (items.length >= this.limit && (items.length === 0 || size <= Math.abs(items[items.length - 1]!.delta_kb))) return;
    // The first item smaller than this one: it goes there, after every item as large.
    let low = 0;
    let high = items.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (Math.abs(items[mid]!.delta_kb) >= size) low = mid + 1;
      else high = mid;
    }
    items.splice(low, 0, change);
    if (items.length > this.limit) items.pop();
  }

  facts(): Facts[] {
    return this.items.map((c) => ({
      start: c.start.toString(16),
      end: c.end.toString(16),
      area: c.area,
      path: c.path,
      before_kb: c.before_kb,
      after_kb: c.after_kb,
      delta_kb: c.delta_kb,
    }));
  }
}
