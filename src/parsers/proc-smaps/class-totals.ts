// Resident (Rss, Anonymous, Swap) and virtual (Size) KiB per region class, as flat facts
// (`go_heap_anon_kb`, `thread_stack_size_kb`, …) a runbook expression can read.
import type { Facts } from '../types.js';
import { isReservation } from '../proc-maps/region.js';
import type { SmapsRegion } from './entries.js';
import { REGION_CLASSES, type RegionClass } from './region-class.js';

export interface Totals {
  rss_kb: number;
  anon_kb: number;
  swap_kb: number;
  /** Virtual size: address space, not memory. */
  size_kb: number;
  mappings: number;
}

const MEASURES = ['rss_kb', 'anon_kb', 'swap_kb', 'size_kb', 'mappings'] as const;

function emptyTotals(): Totals {
  return { rss_kb: 0, anon_kb: 0, swap_kb: 0, size_kb: 0, mappings: 0 };
}

function add(t: Totals, region: SmapsRegion): void {
  t.rss_kb += region.rss_kb;
  t.anon_kb += region.anon_kb;
  t.swap_kb += region.swap_kb;
  t.size_kb += region.kb;
  t.mappings++;
}

export interface ClassTotals {
  all: Totals;
  byClass: Record<RegionClass, Totals>;
  /** Thread stacks seen: `[stack]` plus every guarded stack body (a guard page is not a thread). */
  threadStacks: number;
}

export function classTotals(regions: readonly SmapsRegion[], classes: readonly RegionClass[]): ClassTotals {
  const byClass = Object.fromEntries(REGION_CLASSES.map((c) => [c, emptyTotals()])) as Record<RegionClass, Totals>;
  const all = emptyTotals();
  let threadStacks = 0;
  for (let i = 0; i < regions.length; i++) {
    const region = regions[i]!;
    const cls = classes[i]!;
    add(all, region);
    add(byClass[cls], region);
    if (cls === 'thread_stack' && !isReservation(region)) threadStacks++;
  }
  return { all, byClass, threadStacks };
}

/** `{ rss_kb, …, go_heap_rss_kb, …, thread_stack_count }`; a `suffix` ('_delta') for diffs. */
export function totalsFacts(totals: ClassTotals, suffix = ''): Facts {
  const facts: Facts = {};
  for (const m of MEASURES) facts[`${m}${suffix}`] = totals.all[m];
  for (const cls of REGION_CLASSES) for (const m of MEASURES) facts[`${cls}_${m}${suffix}`] = totals.byClass[cls][m];
  facts[`thread_stack_count${suffix}`] = totals.threadStacks;
  return facts;
}

/** after − before, field by field. */
export function subtractTotals(after: ClassTotals, before: ClassTotals): ClassTotals {
  const minus = (a: Totals, b: Totals): Totals => ({
    rss_kb: a.rss_kb - b.rss_kb,
    anon_kb: a.anon_kb - b.anon_kb,
    swap_kb: a.swap_kb - b.swap_kb,
    size_kb: a.size_kb - b.size_kb,
    mappings: a.mappings - b.mappings,
  });
  const byClass = Object.fromEntries(REGION_CLASSES.map((c) => [c, minus(after.byClass[c], before.byClass[c])])) as Record<RegionClass, Totals>;
  return { all: minus(after.all, before.all), byClass, threadStacks: after.threadStacks - before.threadStacks };
}
