// Outliers of a finding group: the instance growing three times faster than the rest.
// Each instance is judged on its own first key number (conclude.numbers lists the deciding
// one first) against the others carrying that same number: conclude steps reaching one
// finding may decide it on different numbers (arenas vs native_growth_mib), never compared.
import type { FleetOutlier } from './fleet-records.js';

/** A group smaller than this has no "rest" to stand out from. */
export const MIN_GROUP = 3;
/** How many times the median of the others makes an outlier. */
export const OUTLIER_RATIO = 3;
/** Key numbers are in human units (MiB, goroutines, ms, counts): a difference under one
 *  unit is measurement noise (RSS moves by pages, a sample by a goroutine), however large
 *  the ratio, e.g. 0.4 MiB against 0.1 MiB in a group that does not grow. */
export const NOISE_FLOOR_UNITS = 1;

export interface Instance {
  target: string;
  finding: string;
  numbers: Record<string, number>;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Within each group: an instance whose first number, among the ≥ MIN_GROUP instances
 *  carrying that number, is ≥ OUTLIER_RATIO × the median of the others, above that median
 *  by more than the noise floor, and clear of the largest other by more than the others'
 *  own spread: in a group that is merely scattered (5, 9, 10, 40, 60) none stands out. */
export function findOutliers(group: Instance[]): FleetOutlier[] {
  if (group.length < MIN_GROUP) return [];
  const outliers: FleetOutlier[] = [];
  for (const instance of group) {
    const label = Object.keys(instance.numbers)[0];
    if (label === undefined || !Number.isFinite(instance.numbers[label])) continue;
    const measured = group.filter((i) => Number.isFinite(i.numbers[label]));
    if (measured.length < MIN_GROUP) continue;
    const value = instance.numbers[label]!;
    const others = measured.filter((o) => o !== instance).map((o) => o.numbers[label]!);
    const middle = median(others);
    if (!(middle > 0)) continue; // a ratio to nothing (or to shrinking) says nothing
    const largest = Math.max(...others);
    const spread = largest - Math.min(...others);
    if (value >= OUTLIER_RATIO * middle && value - middle > NOISE_FLOOR_UNITS && value - largest > spread) {
      outliers.push({ target: instance.target, finding: instance.finding, number: label, value, median: middle, ratio: Math.round((value / middle) * 10) / 10 });
    }
  }
  return outliers;
}
