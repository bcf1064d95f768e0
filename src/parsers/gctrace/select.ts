// The k-th smallest of a set of numbers without sorting it (quickselect, Hoare partition):
// the gctrace facts need three ranks of up to a million pauses, and a full sort of 900,000
// was ~120 ms of a 1,000,000-line parse (bench/gctrace.bench.js, docs/parsers.md § Bench).

/**
 * sorted(values)[k], for 0 ≤ k < values.length. Reorders `values` so that everything before
 * index k is ≤ values[k] and everything after is ≥ it. A random pivot keeps the expected time
 * linear for any input, including logs crafted against a fixed pivot rule.
 */
export function selectKth(values: Float64Array, k: number): number {
  let lo = 0;
  let hi = values.length - 1;
  while (lo < hi) {
    const pivot = values[lo + Math.floor(Math.random() * (hi - lo + 1))]!;
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (values[i]! < pivot) i++;
      while (values[j]! > pivot) j--;
      if (i <= j) {
        const t = values[i]!;
        values[i++] = values[j]!;
        values[j--] = t;
      }
    }
    // Now [lo, j] ≤ pivot, (j, i) = pivot, [i, hi] ≥ pivot.
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else return values[k]!;
  }
  return values[k]!;
}
