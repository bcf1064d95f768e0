// The trend of one time series over a range query (RSS, heap in use, goroutines…), from the
// mechanics of what moves such a series, not from its shape in one run:
// - a leak adds memory at the rate of the work that leaks: a straight climb (steady_growth);
// - a restart (OOM kill, deploy, crash) resets the process: one fall to its start-up level,
//   after which a leak climbs again — the climb since the restart is what counts, so the slope
//   is never taken across a fall;
// - a GC cycle (heap in use, heap alloc) or repeated restarts drop the value again and again
//   after gradual climbs: a sawtooth, whose troughs (the live heap, the start-up level) tell
//   a leak under it from a steady state;
// - a cache filling at once, a config change, a deploy with another footprint: one jump to a
//   new level, flat before and after (step).
// Pure and total: any points, no throw.

export type Trend = 'flat' | 'steady_growth' | 'steady_decline' | 'step' | 'sawtooth' | 'irregular' | 'too_few_samples';

export interface TrendPoint {
  /** Unix seconds. */
  t: number;
  v: number;
}

export interface TrendResult {
  trend: Trend;
  /** One sentence saying what was seen, with the numbers that decided it. */
  meaning: string;
  /** Units of the series per hour: the climb since the last fall (sawtooth: the median climb). */
  slopePerHour?: number;
  /** The least-squares rate over the whole window, falls included: what a staircase or a
   *  jump added per hour, whatever the shape. */
  windowSlopePerHour?: number;
  /** Sawtooth: how the troughs move per hour (a leak under GC cycles; under restarts the
   *  troughs are start-up memory and say nothing of a leak). */
  floorSlopePerHour?: number;
  /** Falls larger than a quarter of the range (restarts, GC cycles, releases). */
  resets: number;
  /** Unix seconds of each fall (the first sample after it). */
  resetTimes: number[];
  /** Step: how many jumps (a start time's staircase counts restarts). */
  steps?: number;
  /** Unix seconds from which the trend holds: the window's start, the last fall or the jump. */
  since?: number;
  /** Changes under this count as flat (the given one, or 2 % of the median level). */
  noiseFloor: number;
  /** How straight the climb is (1 = a line), for steady_growth and steady_decline. */
  r2?: number;
  /** Samples left out because their time or value is not a finite number (NaN, ±Inf). */
  dropped: number;
}

/** R² at or above this: the points lie on a line closely enough to call the rate steady. */
const STEADY_R2 = 0.8;
/** A fall bigger than this share of the range is a reset, not noise. */
const DROP_SHARE = 0.25;
/** One jump holding this share of the range, flat around it, is a step. */
const STEP_SHARE = 0.6;
/** A climb needs this many samples to be gradual (a GC cycle's rise, not a one-sample spike). */
const MIN_CLIMB_SAMPLES = 3;
const DEFAULT_FLOOR_SHARE = 0.02;

interface Line {
  slope: number;
  r2: number;
}

export function classifyTrend(input: readonly TrendPoint[], noiseFloor?: number): TrendResult {
  const points = input.filter((p) => Number.isFinite(p.t) && Number.isFinite(p.v)).slice().sort((a, b) => a.t - b.t);
  const dropped = input.length - points.length;
  const result = classifyFinite(points, noiseFloor);
  const windowSlope = points.length >= 2 && points[points.length - 1]!.t > points[0]!.t ? fitLine(points).slope * 3600 : undefined;
  return {
    ...result,
    ...(windowSlope !== undefined ? { windowSlopePerHour: windowSlope } : {}),
    dropped,
    ...(dropped > 0 ? { meaning: `${result.meaning} (${dropped} sample${dropped === 1 ? '' : 's'} that are not numbers left out)` } : {}),
  };
}

function classifyFinite(points: readonly TrendPoint[], noiseFloor: number | undefined): Omit<TrendResult, 'dropped'> {
  const floor = noiseFloor !== undefined && Number.isFinite(noiseFloor) && noiseFloor >= 0 ? noiseFloor : DEFAULT_FLOOR_SHARE * median(points.map((p) => Math.abs(p.v)));
  const base = { resets: 0, resetTimes: [] as number[], noiseFloor: floor };
  if (points.length < 3) {
    const slope = points.length === 2 && points[1]!.t > points[0]!.t ? ((points[1]!.v - points[0]!.v) / (points[1]!.t - points[0]!.t)) * 3600 : undefined;
    return { ...base, trend: 'too_few_samples', meaning: `${points.length} sample${points.length === 1 ? '' : 's'}: a trend needs 3 or more`, ...(slope !== undefined ? { slopePerHour: slope } : {}) };
  }
  const whole = fitLine(points);
  const range = spread(points);
  const start = points[0]!.t;
  if (range <= floor) {
    return { ...base, trend: 'flat', slopePerHour: whole.slope * 3600, since: start, meaning: `stays within ${num(range)} (noise floor ${num(floor)}) over ${hours(points)}` };
  }

  const dropLimit = Math.max(floor, DROP_SHARE * range);
  const drops: number[] = [];
  for (let i = 1; i < points.length; i++) if (points[i]!.v - points[i - 1]!.v < -dropLimit) drops.push(i);
  const segments = splitAt(points, drops);
  const resets = { resets: drops.length, resetTimes: drops.map((i) => points[i]!.t), noiseFloor: floor };
  const dropSizes = drops.map((i) => points[i - 1]!.v - points[i]!.v);

  if (drops.length >= 2) {
    const climbs = segments.filter((segment) => climbsBy(segment, Math.max(floor, 0.5 * median(dropSizes))));
    if (climbs.length >= 2) {
      const climbSlope = median(climbs.map((segment) => fitLine(segment).slope)) * 3600;
      const troughs = segments.slice(1).map((segment) => segment[0]!);
      const floorSlope = troughs.length >= 2 ? fitLine(troughs).slope * 3600 : undefined;
      return {
        ...resets,
        trend: 'sawtooth',
        slopePerHour: climbSlope,
        ...(floorSlope !== undefined ? { floorSlopePerHour: floorSlope } : {}),
        since: start,
        meaning: `falls ${drops.length} times (by ${num(median(dropSizes))} typically) and climbs back at ${num(climbSlope)}/h between falls: GC cycles or restarts${floorSlope !== undefined ? `; the troughs move ${num(floorSlope)}/h (${troughMeaning(floorSlope, troughs, floor)})` : ''}`,
      };
    }
  }

  if (drops.length === 1) {
    const [before, after] = segments as [TrendPoint[], TrendPoint[]];
    const fall = `fell by ${num(dropSizes[0]!)} at ${isoTime(points[drops[0]!]!.t)} (a restart or a release)`;
    // Climb, fall, climb back no higher than the fall released: one GC cycle (heap) or one
    // restart, the sawtooth's single tooth. One tooth cannot tell a leak from the GC's own
    // cycle: that takes troughs to compare, so a longer window.
    if (climbsBy(before, floor) && climbsBy(after, floor) && growthOf(after) <= dropSizes[0]!) {
      const climbSlope = fitLine(after).slope * 3600;
      return {
        ...resets,
        trend: 'sawtooth',
        slopePerHour: climbSlope,
        since: start,
        meaning: `one cycle: climbs, ${fall}, climbs back at ${num(climbSlope)}/h no higher than before: one GC cycle or one restart, too few to tell a leak from the cycle itself (a longer range holds more)`,
      };
    }
    const climbing = [after, before].find((segment) => segment.length >= MIN_CLIMB_SAMPLES && isSteadyClimb(segment, floor));
    if (climbing !== undefined && (climbing === after || after.length < MIN_CLIMB_SAMPLES)) {
      const line = fitLine(climbing);
      return { ...resets, trend: 'steady_growth', slopePerHour: line.slope * 3600, r2: line.r2, since: climbing[0]!.t, meaning: `climbs steadily at ${num(line.slope * 3600)}/h (R² ${line.r2.toFixed(2)}) from ${isoTime(climbing[0]!.t)}; ${fall}` };
    }
    return { ...resets, trend: 'step', steps: 1, slopePerHour: fitLine(after.length >= 2 ? after : points).slope * 3600, since: points[drops[0]!]!.t, meaning: fall };
  }

  // A staircase: rises between flat levels (a start time at each restart, a pool growing in
  // fixed chunks, a leak that allocates in bursts). Each level needs two samples, or any
  // coarse series would look like one. Its rate is the window's: a level's own slope is 0.
  const rises: number[] = [];
  for (let i = 1; i < points.length; i++) if (points[i]!.v - points[i - 1]!.v > dropLimit) rises.push(i);
  if (rises.length >= 2) {
    const levels = splitAt(points, rises);
    const smallest = rises.reduce((least, i) => Math.min(least, points[i]!.v - points[i - 1]!.v), Infinity);
    if (levels.every((level) => level.length >= 2 && spread(level) <= Math.max(floor, DROP_SHARE * smallest))) {
      const last = rises[rises.length - 1]!;
      return { ...base, trend: 'step', steps: rises.length, slopePerHour: whole.slope * 3600, since: points[last]!.t, meaning: `rose ${rises.length} times (by ${num(smallest)} or more), level between: ${num(whole.slope * 3600)}/h over ${hours(points)}; last at ${isoTime(points[last]!.t)}` };
    }
  }
  const jump = largestRise(points);
  if (jump !== undefined && jump.size >= STEP_SHARE * range) {
    const before = points.slice(0, jump.from + 1);
    const after = points.slice(jump.to);
    const calm = Math.max(floor, DROP_SHARE * jump.size);
    if (before.length >= 2 && after.length >= 2 && spread(before) <= calm && spread(after) <= calm) {
      return { ...base, trend: 'step', steps: 1, slopePerHour: fitLine(after).slope * 3600, since: points[jump.to]!.t, meaning: `rose by ${num(jump.size)} at ${isoTime(points[jump.to]!.t)}, level before and after` };
    }
  }
  const growth = whole.slope * (points[points.length - 1]!.t - start);
  if (Math.abs(growth) < floor) {
    return { ...base, trend: 'flat', slopePerHour: whole.slope * 3600, since: start, meaning: `no net change beyond the noise floor ${num(floor)} over ${hours(points)} (varies by ${num(range)})` };
  }
  if (whole.r2 >= STEADY_R2) {
    const trend = growth > 0 ? 'steady_growth' : 'steady_decline';
    return { ...base, trend, slopePerHour: whole.slope * 3600, r2: whole.r2, since: start, meaning: `${growth > 0 ? 'climbs' : 'falls'} steadily at ${num(whole.slope * 3600)}/h (R² ${whole.r2.toFixed(2)}) over the whole ${hours(points)}` };
  }
  return { ...base, trend: 'irregular', slopePerHour: whole.slope * 3600, r2: whole.r2, since: start, meaning: `changes by ${num(growth)} over ${hours(points)} but not along a line (R² ${whole.r2.toFixed(2)}) nor in one jump` };
}

function climbsBy(segment: readonly TrendPoint[], least: number): boolean {
  return segment.length >= MIN_CLIMB_SAMPLES && growthOf(segment) >= least;
}

/** What the line through a segment adds from its first sample to its last. */
function growthOf(segment: readonly TrendPoint[]): number {
  return segment.length < 2 ? 0 : fitLine(segment).slope * (segment[segment.length - 1]!.t - segment[0]!.t);
}

/** Rising troughs are a leak under GC cycles; level troughs are a steady live heap, or,
 *  when the falls are restarts, start-up memory that says nothing of a leak. */
function troughMeaning(floorSlope: number, troughs: readonly TrendPoint[], floor: number): string {
  const moved = Math.abs(floorSlope) * ((troughs[troughs.length - 1]!.t - troughs[0]!.t) / 3600);
  if (moved < floor) return 'level: no leak under GC cycles; if the falls are restarts, the troughs are start-up memory and the climbs are what counts';
  return floorSlope > 0 ? 'rising: a leak under GC cycles; if the falls are restarts, the start-up level itself grew' : 'falling';
}

function isSteadyClimb(segment: readonly TrendPoint[], floor: number): boolean {
  const line = fitLine(segment);
  return line.slope * (segment[segment.length - 1]!.t - segment[0]!.t) >= floor && line.r2 >= STEADY_R2;
}

/** The largest rise over one or two consecutive samples (a scrape can split a jump). */
function largestRise(points: readonly TrendPoint[]): { size: number; from: number; to: number } | undefined {
  let best: { size: number; from: number; to: number } | undefined;
  for (let i = 0; i < points.length - 1; i++) {
    for (const to of [i + 1, i + 2]) {
      if (to >= points.length) continue;
      const size = points[to]!.v - points[i]!.v;
      if (size > 0 && (best === undefined || size > best.size)) best = { size, from: i, to };
    }
  }
  return best;
}

function splitAt(points: readonly TrendPoint[], at: readonly number[]): TrendPoint[][] {
  const segments: TrendPoint[][] = [];
  let from = 0;
  for (const index of at) {
    segments.push(points.slice(from, index));
    from = index;
  }
  segments.push(points.slice(from));
  return segments;
}

/** Least squares; R² is 1 for a series without variance (a line fits it exactly). */
function fitLine(points: readonly TrendPoint[]): Line {
  const n = points.length;
  if (n < 2) return { slope: 0, r2: 1 };
  const t0 = points[0]!.t;
  let st = 0;
  let sv = 0;
  for (const p of points) {
    st += p.t - t0;
    sv += p.v;
  }
  const mt = st / n;
  const mv = sv / n;
  let stt = 0;
  let stv = 0;
  let svv = 0;
  for (const p of points) {
    const dt = p.t - t0 - mt;
    const dv = p.v - mv;
    stt += dt * dt;
    stv += dt * dv;
    svv += dv * dv;
  }
  if (stt === 0) return { slope: 0, r2: 1 };
  const slope = stv / stt;
  const r2 = svv === 0 ? 1 : (stv * stv) / (stt * svv);
  return { slope, r2 };
}

/** Max − min, in a loop: a series can hold more points than a call takes arguments. */
function spread(points: readonly TrendPoint[]): number {
  let min = Infinity;
  let max = -Infinity;
  for (const p of points) {
    if (p.v < min) min = p.v;
    if (p.v > max) max = p.v;
  }
  return max - min;
}

function median(values: readonly number[]): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** Three significant digits; from 100,000 up as 3.77e+9 (a byte rate's nine zeros are unreadable). */
function num(value: number): string {
  return Math.abs(value) >= 1e5 ? value.toExponential(2) : String(Number(value.toPrecision(3)));
}

/** ISO-8601 time, or the Unix seconds themselves beyond the dates JavaScript can write. */
export function isoTime(seconds: number): string {
  const date = new Date(seconds * 1000);
  return Number.isNaN(date.getTime()) ? `${seconds} (Unix seconds)` : date.toISOString().replace(/\.000Z$/, 'Z');
}

function hours(points: readonly TrendPoint[]): string {
  const seconds = points[points.length - 1]!.t - points[0]!.t;
  return seconds >= 5400 ? `${num(seconds / 3600)} h` : seconds >= 90 ? `${num(seconds / 60)} min` : `${num(seconds)} s`;
}
