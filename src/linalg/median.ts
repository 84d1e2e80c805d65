/**
 * Medians without sorting: quickselect (Hoare's FIND), expected O(n). Segment profiles take one per segment and
 * feature, and imputation one per feature, so a million rows cost a pass or two, not a sort. The plain median
 * runs in WebAssembly (wasm-columns.ts); the weighted one here.
 * @module
 */
import { wasmMedian } from "./wasm-columns.js";

/**
 * The median of `values` (the mean of the two middle ones for an even count; NaN for none), by quickselect in
 * WebAssembly (wasm-columns.ts). The values are not changed.
 */
export function median(values: Float64Array): number {
  return wasmMedian(values);
}

/**
 * The weighted median of `values` (weights positive): the midpoint of the lower and upper weighted medians,
 * the smallest values whose cumulative weight reaches, and passes, half the total. With equal weights this is
 * the plain median (the mean of the two middle values for an even count). NaN for no values. Reorders both
 * arrays together, by a weighted quickselect with three-way partitions: expected O(n), as the plain median.
 */
export function weightedMedianInPlace(values: Float64Array, weights: Float64Array): number {
  const n = values.length;
  if (n === 0) return Number.NaN;
  let total = 0;
  for (let i = 0; i < n; i++) total += weights[i]!;
  const half = total / 2;
  const lower = weightedSelect(values, weights, (w) => w >= half);
  const upper = weightedSelect(values, weights, (w) => w > half);
  return (lower + upper) / 2;
}

/** The smallest value v whose cumulative weight (of the values ≤ v) `reaches`. */
function weightedSelect(a: Float64Array, w: Float64Array, reaches: (weight: number) => boolean): number {
  let lo = 0;
  let hi = a.length - 1;
  let below = 0;
  let largest = Number.NEGATIVE_INFINITY;
  while (lo <= hi) {
    const pivot = a[(lo + hi) >>> 1]!;
    // Dutch-flag partition of [lo, hi]: [lo, lt) < pivot, [lt, gt] = pivot, (gt, hi] > pivot.
    let lt = lo;
    let gt = hi;
    let i = lo;
    while (i <= gt) {
      if (a[i]! < pivot) swap(a, w, i++, lt++);
      else if (a[i]! > pivot) swap(a, w, i, gt--);
      else i++;
    }
    let less = 0;
    for (let r = lo; r < lt; r++) less += w[r]!;
    let equal = 0;
    for (let r = lt; r <= gt; r++) equal += w[r]!;
    if (reaches(below + less)) hi = lt - 1;
    else if (reaches(below + less + equal)) return pivot;
    else {
      below += less + equal;
      largest = pivot;
      lo = gt + 1;
    }
  }
  // Rounding left the cumulative weight just short of the target: the largest value.
  return largest;
}

function swap(a: Float64Array, w: Float64Array, i: number, j: number): void {
  const t = a[i]!;
  a[i] = a[j]!;
  a[j] = t;
  const u = w[i]!;
  w[i] = w[j]!;
  w[j] = u;
}
