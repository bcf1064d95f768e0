// Streaming detectors for the two gctrace signals in domain.md that span several cycles:
// the live-heap trend of the latest run and GOMEMLIMIT pressure. Both are fed cycle by
// cycle so a million-line log never needs the whole series in memory.
import type { GcCycle } from './line.js';

export type LiveHeapTrend = 'rising' | 'falling' | 'flat' | 'unknown';

const N = 0;
const SUM_X = 1;
const SUM_Y = 2;
const SUM_XY = 3;
const SUM_XX = 4;

/**
 * Trend of the live heap (`z` in x->y->z) within the latest run (after the last restart).
 * rising: least-squares slope over cycle index > 0 and last − first > max(1 MB, 10% of first);
 * falling: the mirror image; flat otherwise; unknown below 3 cycles. The threshold keeps MB
 * flooring (1 MB steps) and ordinary sawtooth from reading as a leak.
 */
export class LiveHeapTrendTracker {
  /**
   * The cycle count n, Σx, Σy, Σxy and Σxx, in a typed array rather than fields: a field or
   * product that starts as a small integer and grows past 2^31 changes representation
   * mid-parse, and each change threw the parser's optimised loop away (three deoptimisations
   * per 1,000,000-line log, profiled); doubles here are doubles from the first cycle.
   */
  private readonly sums = new Float64Array(5);
  private first = 0;
  private last = 0;

  restart(): void {
    this.sums.fill(0);
  }

  add(liveMb: number): void {
    const sums = this.sums;
    const x = sums[N]!;
    if (x === 0) this.first = liveMb;
    this.last = liveMb;
    sums[N] = x + 1;
    sums[SUM_X]! += x;
    sums[SUM_Y]! += liveMb;
    sums[SUM_XY]! += x * liveMb;
    sums[SUM_XX]! += x * x;
  }

  /** MB per cycle; 0 below 2 cycles. */
  slope(): number {
    const [n, sumX, sumY, sumXY, sumXX] = this.sums as unknown as [number, number, number, number, number];
    const denominator = n * sumXX - sumX * sumX;
    return denominator === 0 ? 0 : (n * sumXY - sumX * sumY) / denominator;
  }

  trend(): LiveHeapTrend {
    if (this.cycles() < 3) return 'unknown';
    const change = this.last - this.first;
    const threshold = Math.max(1, this.first * 0.1);
    const slope = this.slope();
    if (slope > 0 && change > threshold) return 'rising';
    if (slope < 0 && -change > threshold) return 'falling';
    return 'flat';
  }

  cycles(): number {
    return this.sums[N]!;
  }
}

/**
 * GOMEMLIMIT pressure (domain.md: "N% rising with y ≈ goal back-to-back"). A cycle is
 * goal-bound when (a) its heap at GC end `y` is within max(1 MB, 5%) of the goal (MB are
 * floored, hence the 1 MB slack) and (b) the goal leaves less headroom than GOGC=100 would:
 * goal < 1.5 × the previous cycle's live heap. (b) matters because the pacer aims `y` at the
 * goal in every healthy cycle; only a goal pinned by the memory limit sits this close to the
 * live heap. A streak is consecutive cycles (gc n, n+1, …) that are goal-bound with a GC CPU %
 * that never falls; pressure is reported once a streak reaches 3 cycles with the % at its end
 * above the % at its start.
 */
export class GoalBoundStreakTracker {
  static readonly minCycles = 3;
  static readonly maxHeadroom = 1.5;
  private length = 0;
  private startN = 0;
  private startCpu = 0;
  // The previous cycle's fields the next one is compared with (the caller reuses its records).
  private hasPrev = false;
  private prevN = 0;
  private prevLiveMb = 0;
  private prevCpuPercent = 0;
  longest = 0;
  longestFromGc: number | null = null;
  pressure = false;
  pressureFromGc: number | null = null;

  add(cycle: GcCycle): void {
    const consecutive = this.hasPrev && cycle.n === this.prevN + 1;
    const atGoal = cycle.heap_end_mb >= cycle.goal_mb - Math.max(1, cycle.goal_mb * 0.05);
    const tight = consecutive && cycle.goal_mb < GoalBoundStreakTracker.maxHeadroom * this.prevLiveMb;
    if (!atGoal || !tight) {
      this.length = 0;
    } else {
      if (this.length === 0 || cycle.cpu_percent < this.prevCpuPercent) {
        this.length = 0;
        this.startN = cycle.n;
        this.startCpu = cycle.cpu_percent;
      }
      this.length++;
      if (this.length > this.longest) {
        this.longest = this.length;
        this.longestFromGc = this.startN;
      }
      if (this.length >= GoalBoundStreakTracker.minCycles && cycle.cpu_percent > this.startCpu && !this.pressure) {
        this.pressure = true;
        this.pressureFromGc = this.startN;
      }
    }
    this.hasPrev = true;
    this.prevN = cycle.n;
    this.prevLiveMb = cycle.live_mb;
    this.prevCpuPercent = cycle.cpu_percent;
  }
}
