/**
 * Randomized PCA's mergeable sketch (SageMaker's randomized mode, spec §1.2): over rows xᵢ (1×d) with random
 * sign columns hᵢ ∈ {±1}^ℓ, SageMaker's workers sum B = Σ hᵢ xᵢ (ℓ×d; Σ H_t X_t over mini-batches), h = Σ hᵢ
 * (ℓ), s = Σ xᵢ (d) and n, and the server forms C = B − (1/n)·h·sᵀ = Σ hᵢ (xᵢ − mean): the sketch of the
 * centred data. Strata keeps the same summary in centred form, as the regular statistics keep the scatter:
 * count n, mean (= s/n), the centred sketch C itself, h, and each column's centred sum of squares (so the
 * total variance, and with it the exact explained-variance ratios, is known too). B = C + h·meanᵀ is
 * recovered exactly for subtract_mean=false.
 *
 * Two partials merge with Chan, Golub & LeVeque's pairwise update (Stanford CS-79-773, 1979), carried over to
 * the sketch: with δ = mean_b − mean_a, C = C_a + C_b + ((n_a·h_b − n_b·h_a)/n)·δᵀ — both sides re-centred on
 * the merged mean, no cancellation between large raw sums. hᵢ comes from a counter-based generator keyed by
 * (seed, row index in the data) (linalg/counter-signs.ts), so every cut of the rows sums the same terms and the
 * sketch depends on the data and the seed only.
 * @module
 */
import { checkSameWidth } from "../contract/checks.js";
import { rowSigns } from "../linalg/counter-signs.js";
import { addSignedPanel, centrePanel, PANEL_ROWS } from "../linalg/row-panels.js";
import { rangeMeans } from "../linalg/scatter.js";

/** The sketch of a set of rows. Plain data (structured-clone safe); treat as immutable. */
export interface SketchStats {
  readonly numFeatures: number;
  /** ℓ = num_components + extra_components. */
  readonly sketchRows: number;
  readonly count: number;
  /** Column means, length d (zeros when count = 0). */
  readonly mean: Float64Array;
  /** Σ (x_j − mean_j)² per column, length d. */
  readonly squares: Float64Array;
  /** h = Σ hᵢ, length ℓ. */
  readonly signSums: Float64Array;
  /** C = Σ hᵢ (xᵢ − mean), ℓ×d row-major. */
  readonly sketch: Float64Array;
}

function sketchStats(fields: SketchStats): SketchStats {
  return Object.freeze(fields);
}

/** The identity of {@link mergeSketch}: no rows. */
export function emptySketch(numFeatures: number, sketchRows: number): SketchStats {
  return sketchStats({
    numFeatures,
    sketchRows,
    count: 0,
    mean: new Float64Array(numFeatures),
    squares: new Float64Array(numFeatures),
    signSums: new Float64Array(sketchRows),
    sketch: new Float64Array(sketchRows * numFeatures),
  });
}

/**
 * The sketch of rows start ≤ i < end of a row-major array of d columns, whose row `start` is row `firstRow`
 * of the data (its signs are keyed by that index). Centred on the range's own mean (two passes). Values are
 * not checked (the contract checks the plan once).
 */
export function sketchRowRange(
  data: Float64Array,
  d: number,
  start: number,
  end: number,
  firstRow: number,
  key: number,
  sketchRows: number,
): SketchStats {
  const ell = sketchRows;
  const mean = rangeMeans(data, d, start, end, new Float64Array(d));
  const squares = new Float64Array(d);
  const signSums = new Float64Array(ell);
  const sketch = new Float64Array(ell * d);
  const panel = new Float64Array(PANEL_ROWS * d);
  const signs = new Float64Array(PANEL_ROWS * ell);
  const sums = new Float64Array(8 * d);
  for (let i = start; i < end; i += PANEL_ROWS) {
    const rows = Math.min(PANEL_ROWS, end - i);
    centrePanel(data, d, i, rows, mean, panel, squares);
    signs.fill(0);
    for (let r = 0; r < rows; r++) {
      rowSigns(key, firstRow + (i - start) + r, ell, signs, r * ell);
      for (let c = 0; c < ell; c++) signSums[c] = signSums[c]! + signs[r * ell + c]!;
    }
    addSignedPanel(sketch, ell, d, panel, signs, sums);
  }
  return sketchStats({
    numFeatures: d,
    sketchRows: ell,
    count: end - start,
    mean,
    squares,
    signSums,
    sketch,
  });
}

/**
 * The sketch of two disjoint row sets (the pairwise update above). mergeSketch(a, b) and mergeSketch(b, a) are
 * bit-identical; associative up to rounding. Returns new stats.
 * @throws WIDTH_MISMATCH when the widths differ.
 */
export function mergeSketch(a: SketchStats, b: SketchStats): SketchStats {
  checkSameWidth(a.numFeatures, b.numFeatures, "Randomized PCA");
  const d = a.numFeatures;
  const ell = a.sketchRows;
  if (a.count === 0 || b.count === 0) {
    const src = a.count === 0 ? b : a;
    return sketchStats({
      ...src,
      mean: Float64Array.from(src.mean),
      squares: Float64Array.from(src.squares),
      signSums: Float64Array.from(src.signSums),
      sketch: Float64Array.from(src.sketch),
    });
  }
  const n = a.count + b.count;
  const mean = new Float64Array(d);
  const delta = new Float64Array(d);
  const squares = new Float64Array(d);
  const f = (a.count * b.count) / n;
  for (let j = 0; j < d; j++) {
    mean[j] = (a.count * a.mean[j]! + b.count * b.mean[j]!) / n;
    delta[j] = b.mean[j]! - a.mean[j]!;
    squares[j] = a.squares[j]! + b.squares[j]! + f * delta[j]! * delta[j]!;
  }
  const signSums = new Float64Array(ell);
  const sketch = new Float64Array(ell * d);
  for (let c = 0; c < ell; c++) {
    signSums[c] = a.signSums[c]! + b.signSums[c]!;
    // Both halves re-centred on the merged mean: a's rows move by −(n_b/n)δ, b's by +(n_a/n)δ.
    const shift = (a.count * b.signSums[c]! - b.count * a.signSums[c]!) / n;
    const o = c * d;
    for (let j = 0; j < d; j++) sketch[o + j] = a.sketch[o + j]! + b.sketch[o + j]! + shift * delta[j]!;
  }
  return sketchStats({ numFeatures: d, sketchRows: ell, count: n, mean, squares, signSums, sketch });
}

/**
 * The sketch the SVD is taken of: C (centred) when `subtractMean`, else SageMaker's B = C + h·meanᵀ (the
 * sketch of the raw rows). A new ℓ×d array.
 */
export function sketchToFactor(stats: SketchStats, subtractMean: boolean): Float64Array {
  const out = Float64Array.from(stats.sketch);
  if (subtractMean) return out;
  const d = stats.numFeatures;
  for (let c = 0; c < stats.sketchRows; c++)
    for (let j = 0; j < d; j++) out[c * d + j] = out[c * d + j]! + stats.signSums[c]! * stats.mean[j]!;
  return out;
}

/**
 * The trace of the matrix whose eigenvectors are the components: the total centred sum of squares, or
 * Σ‖xᵢ‖² = that + n·‖mean‖² for subtract_mean=false (as regular mode's scatter + n·mean·meanᵀ).
 */
export function sketchTrace(stats: SketchStats, subtractMean: boolean): number {
  let trace = 0;
  for (let j = 0; j < stats.numFeatures; j++)
    trace += stats.squares[j]! + (subtractMean ? 0 : stats.count * stats.mean[j]! * stats.mean[j]!);
  return trace;
}
