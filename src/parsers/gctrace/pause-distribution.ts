// STW pauses of a log of any length in bounded memory, for p50/p99 (nearest rank) and the
// longest few. Counts per distinct pause value give ranks exactly: the runtime prints clock
// phases with two significant digits below 10 ms and whole ms above (fmtNSAsMS), so real
// logs hold a few thousand distinct pauses however many cycles they have. Only past
// MAX_DISTINCT_VALUES are pauses rounded to 3 significant digits (then at most ~900 values
// per decade: still bounded), and `approximate` says so. The longest few are always exact.
import { nearestRankIndex } from '../percentile.js';

const MAX_DISTINCT_VALUES = 65_536;

export class PauseDistribution {
  private counts = new Map<number, number>();
  private total = 0;
  /** The longest pauses seen, longest first. */
  private readonly top: number[] = [];
  approximate = false;

  constructor(private readonly topCount: number) {}

  add(us: number): void {
    this.total++;
    this.keepIfLongest(us);
    const key = this.approximate ? threeSignificantDigits(us) : us;
    this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
    if (this.counts.size > MAX_DISTINCT_VALUES) this.coarsen();
  }

  count(): number {
    return this.total;
  }

  /** Nearest-rank pN (docs/parsers.md § gctrace); null without pauses. */
  percentile(p: number): number | null {
    if (this.total === 0) return null;
    const rank = nearestRankIndex(this.total, p) + 1;
    const values = Float64Array.from(this.counts.keys()).sort();
    let seen = 0;
    for (const value of values) {
      seen += this.counts.get(value)!;
      if (seen >= rank) return value;
    }
    return values[values.length - 1]!;
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

  private coarsen(): void {
    this.approximate = true;
    const coarse = new Map<number, number>();
    for (const [value, count] of this.counts) {
      const key = threeSignificantDigits(value);
      coarse.set(key, (coarse.get(key) ?? 0) + count);
    }
    this.counts = coarse;
  }
}

function threeSignificantDigits(us: number): number {
  if (us < 1000) return us;
  const scale = 10 ** (Math.floor(Math.log10(us)) - 2);
  return Math.round(us / scale) * scale;
}
