/**
 * Medians without sorting: quickselect (Hoare's FIND), expected O(n), in place. Segment profiles take one per
 * segment and feature, and imputation one per feature, so a million rows cost a pass or two, not a sort.
 * @module
 */

/**
 * The k-th smallest of `a[lo..hi)` (0-based within the whole array), found in place by quickselect (Hoare's
 * FIND): expected O(n), so a million rows cost a pass or two per feature, not a sort.
 */
function select(a: Float64Array, k: number): number {
  let lo = 0;
  let hi = a.length - 1;
  while (lo < hi) {
    const pivot = a[(lo + hi) >>> 1]!;
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (a[i]! < pivot) i++;
      while (a[j]! > pivot) j--;
      if (i <= j) {
        const t = a[i]!;
        a[i] = a[j]!;
        a[j] = t;
        i++;
        j--;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else return a[k]!;
  }
  return a[k]!;
}

/** The median of `values` (the mean of the two middle ones for an even count; NaN for none). Reorders them. */
export function medianInPlace(values: Float64Array): number {
  const n = values.length;
  if (n === 0) return Number.NaN;
  const upper = select(values, n >>> 1);
  if (n % 2 === 1) return upper;
  // The lower middle is the largest of the values select left below the upper one.
  let lower = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < n >>> 1; i++) if (values[i]! > lower) lower = values[i]!;
  return (lower + upper) / 2;
}
