// STW pauses of a log of any length in bounded memory, for p50/p99 (nearest rank) and the
// longest few. Counts per distinct pause value give ranks exactly: the runtime prints clock
// phases with two significant digits below 10 ms and whole ms above (fmtNSAsMS), so real
// logs hold a few thousand distinct pauses however many cycles they have. Only past
// MAX_DISTINCT_VALUES are pauses rounded to 3 significant digits (then at most ~900 values
// per decade: still bounded), and `approximate` says so. The longest few are always exact.
import { nearestRankIndex } from '../percentile.js';

const MAX_DISTINCT_VALUES = 65_536;
/**
 * Whole-µs pauses below this (65 ms: nearly all) are counted in an array indexed by value;
 * a Map get and set per cycle was a twentieth of the parse (profiled, bench/gctrace.bench.js).
 */
const DENSE_LIMIT_US = 65_536;

export class PauseDistribution {
  /** Counts per pause value: whole µs below DENSE_LIMIT_US here, every other value in `sparse`. */
  private dense = new Float64Array(DENSE_LIMIT_US);
  private sparse = new Map<number, number>();
  private distinct = 0;
  private total = 0;
  /** The longest pauses seen, longest first. */
  private readonly top: number[] = [];
  approximate = false;

  constructor(private readonly topCount: number) {}

  add(us: number): void {
    this.total++;
    this.keepIfLongest(us);
    this.tally(this.approximate ? threeSignificantDigits(us) : us, 1);
    if (this.distinct > MAX_DISTINCT_VALUES) this.coarsen();
  }

  count(): number {
    return this.total;
  }

  /** Nearest-rank pN (docs/parsers.md § gctrace); null without pauses. */
  percentile(p: number): number | null {
    if (this.total === 0) return null;
    const rank = nearestRankIndex(this.total, p) + 1;
    // Ascending order: the dense values by index, merged with the sorted sparse ones (in
    // practice all above the dense range, but any number is placed where it sorts).
    const sparse = Float64Array.from(this.sparse.keys()).sort();
    const dense = this.dense;
    let seen = 0;
    let next = 0;
    for (let us = 0; us < DENSE_LIMIT_US; us++) {
      for (; next < sparse.length && sparse[next]! < us; next++) {
        seen += this.sparse.get(sparse[next]!)!;
        if (seen >= rank) return sparse[next]!;
      }
      if (dense[us] === 0) continue;
      seen += dense[us]!;
      if (seen >= rank) return us;
    }
    for (; next < sparse.length; next++) {
      seen += this.sparse.get(sparse[next]!)!;
      if (seen >= rank) return sparse[next]!;
    }
    // Not reached: the ranks counted above add up to the total.
    return this.top[0]!;
  }

  /** The longest pauses, longest first (duplicates kept), at most `topCount`. */
  longest(): number[] {
    return [...this.top];
  }

  private keepIfLongest(us: number): void {
    const top = this.top;
    if (top.length === this.topCount && us <= top[top.length - 1]!) return;
    let at = top.length;
    while (at > 0 && top[at - 1]! < us) at--;
    top.splice(at, 0, us);
    if (top.length > this.topCount) top.pop();
  }

  private tally(key: number, count: number): void {
    if (key >>> 0 === key && key < DENSE_LIMIT_US) {
      if (this.dense[key] === 0) this.distinct++;
      this.dense[key]! += count;
      return;
    }
    const had = this.sparse.get(key);
    if (had === undefined) this.distinct++;
    this.sparse.set(key, (had ?? 0) + count);
  }

  private coarsen(): void {
    this.approximate = true;
    const { dense, sparse } = this;
    this.dense = new Float64Array(DENSE_LIMIT_US);
    this.sparse = new Map();
    this.distinct = 0;
    for (let us = 0; us < DENSE_LIMIT_US; us++) if (dense[us]! > 0) this.tally(threeSignificantDigits(us), dense[us]!);
    for (const [value, count] of sparse) this.tally(threeSignificantDigits(value), count);
  }
}

function threeSignificantDigits(us: number): number {
  if (us < 1000) return us;
  const scale = 10 ** (Math.floor(Math.log10(us)) - 2);
  return Math.round(us / scale) * scale;
}
