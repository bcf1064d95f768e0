// Nearest-rank percentile (gctrace pauses, the MemStats pause ring): the smallest sample such that at least p% of all samples are
// less than or equal to it, i.e. sorted[ceil(p/100 × N) − 1]. It is always a value that
// was observed (no interpolation), so "p99 STW = 1.8 ms" names a real pause.

/** `sorted` ascending, non-empty; p in (0, 100]. */
export function nearestRank(sorted: ArrayLike<number>, p: number): number {
  return sorted[nearestRankIndex(sorted.length, p)]!;
}

/** The index nearest rank takes in `count` (> 0) sorted samples. */
export function nearestRankIndex(count: number, p: number): number {
  // p × N first: (99 / 100) × 300 is 297.00000000000006 in floating point.
  const rank = Math.max(1, Math.ceil((p * count) / 100));
  return Math.min(rank, count) - 1;
}
