// A series of snapshots of one measure (resident memory, in KiB) → per-leg growth, the rate
// over the whole series and the shape of the growth (docs/engine.md "Snapshot series").
// Pure and total: any points, no throw.
import type { Facts } from '../parsers/types.js';
import { signedNumber } from '../util/prose-number.js';

export interface SeriesPoint {
  /** Seconds since the first point. */
  t_s: number;
  kb: number;
}

export type Trend = 'flat' | 'plateau' | 'step' | 'steady' | 'accelerating' | 'slowing';

/** A leg holding at least this share of the growth, the others flat, is a step. */
const stepShare = 0.75;
/** Later legs growing this many times faster (or slower) than earlier ones change the trend. */
const rateRatio = 1.5;

const round1 = (value: number): number => Math.round(value * 10) / 10;

/** What the trend means, for a conclusion. */
export const trendMeaning: Record<Trend, string> = {
  flat: 'flat: the whole series grew less than the noise floor',
  plateau: 'a plateau: it grew, then the last leg stayed under the noise floor (a cache or pool that filled up, or a one-off load)',
  step: 'a step: flat, then one leg holds most of the growth (a one-off allocation, or growth that just began)',
  steady: 'steady: every part of the series grew at a like rate (a leak keeps this up until the limit)',
  accelerating: 'accelerating: the later legs grew faster than the earlier ones',
  slowing: 'slowing: the later legs grew slower than the earlier ones but still above the noise floor',
};

/**
 * Classifies legs (MiB grown, seconds taken) against a per-leg noise floor (MiB), in order:
 * flat (all growth < floor); step (one leg ≥ 75 % of the growth, every other leg < floor,
 * after a flat leg: flat, one jump); plateau (last leg < floor after one at or above it:
 * grew, then stopped; a jump in the first leg is one too, the series cannot tell them
 * apart); then the rate of the later half
 * of the legs against the earlier half: ≥ 1.5× faster and at least a floor more per leg
 * → accelerating, the reverse → slowing, else steady. Undefined with fewer than two legs.
 */
export function classifyTrend(legsMb: number[], legSeconds: number[], floorMb: number): Trend | undefined {
  if (legsMb.length < 2 || legSeconds.length !== legsMb.length) return undefined;
  const total = legsMb.reduce((sum, leg) => sum + leg, 0);
  if (total < floorMb) return 'flat';
  const biggest = legsMb.indexOf(Math.max(...legsMb));
  const alone = legsMb[biggest]! >= stepShare * total && legsMb.every((leg, i) => i === biggest || leg < floorMb);
  if (alone && biggest > 0) return 'step';
  const last = legsMb[legsMb.length - 1]!;
  if (last < floorMb && legsMb.slice(0, -1).some((leg) => leg >= floorMb)) return 'plateau';
  const half = Math.floor(legsMb.length / 2);
  const rate = (from: number, to: number): { perS: number; seconds: number } => {
    const mb = legsMb.slice(from, to).reduce((sum, leg) => sum + leg, 0);
    const seconds = legSeconds.slice(from, to).reduce((sum, s) => sum + s, 0);
    return { perS: seconds > 0 ? mb / seconds : 0, seconds: seconds / Math.max(to - from, 1) };
  };
  const early = rate(0, half);
  const late = rate(legsMb.length - half, legsMb.length);
  // Per leg of the later half's mean length: the difference must stand above the noise floor too.
  const differenceMb = (late.perS - early.perS) * late.seconds;
  if (late.perS >= rateRatio * early.perS && differenceMb >= floorMb) return 'accelerating';
  if (early.perS >= rateRatio * late.perS && -differenceMb >= floorMb) return 'slowing';
  return 'steady';
}

/**
 * Facts of one measure over a series: the values (MiB), each leg's growth (MiB), length (s)
 * and rate (MiB/min), the growth and rate over the whole series, and the trend (with
 * at least two legs). Points out of time order, or not finite, are dropped with a warning.
 */
export function growthSeriesFacts(points: SeriesPoint[], floorMb: number): { facts: Facts; warnings: string[] } {
  const warnings: string[] = [];
  const usable: SeriesPoint[] = [];
  points.forEach((p, i) => {
    const previous = usable[usable.length - 1];
    if (Number.isFinite(p.t_s) && Number.isFinite(p.kb) && (previous === undefined || p.t_s > previous.t_s)) usable.push(p);
    else warnings.push(`snapshot ${i} of the series has no usable time or value, or is not later than the one before: left out`);
  });
  const facts: Facts = { count: usable.length, values_mb: usable.map((p) => round1(p.kb / 1024)) };
  if (usable.length < 2) return { facts, warnings };
  const legsMb: number[] = [];
  const legSeconds: number[] = [];
  for (let i = 1; i < usable.length; i++) {
    legsMb.push((usable[i]!.kb - usable[i - 1]!.kb) / 1024);
    legSeconds.push(usable[i]!.t_s - usable[i - 1]!.t_s);
  }
  const seconds = usable[usable.length - 1]!.t_s - usable[0]!.t_s;
  const growthMb = (usable[usable.length - 1]!.kb - usable[0]!.kb) / 1024;
  facts['legs_mb'] = legsMb.map(round1);
  facts['leg_seconds'] = legSeconds.map(round1);
  facts['leg_mib_per_min'] = legsMb.map((mb, i) => round1((mb / legSeconds[i]!) * 60));
  facts['growth_mb'] = round1(growthMb);
  facts['seconds'] = round1(seconds);
  facts['mib_per_min'] = round1((growthMb / seconds) * 60);
  facts['noise_floor_mb'] = floorMb;
  facts['legs_text'] = legsMb.map((mb, i) => `${signedNumber(round1(mb))} MiB in ${round1(legSeconds[i]!)} s`).join(', ');
  const trend = classifyTrend(legsMb, legSeconds, floorMb);
  if (trend !== undefined) {
    facts['trend'] = trend;
    facts['trend_meaning'] = trendMeaning[trend];
  }
  return { facts, warnings };
}
