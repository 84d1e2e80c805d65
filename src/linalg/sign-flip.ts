/**
 * Deterministic signs for principal directions. An eigenvector or singular vector is only defined up to
 * sign, so two correct solvers can disagree; Strata fixes the sign so that each component's entry of largest
 * magnitude is positive. This is scikit-learn's `svd_flip` rule applied to the rows of `components_`
 * (`u_based_decision=False`); ties in magnitude go to the first index, as `numpy.argmax` does.
 * @module
 */
import type { Matrix } from "./matrix.js";

/** Index of the entry of largest |value| in row `r` of m (first index on ties). */
export function largestMagnitudeIndex(m: Matrix, r: number): number {
  let best = 0;
  let bestAbs = -1;
  const base = r * m.cols;
  for (let j = 0; j < m.cols; j++) {
    const a = Math.abs(m.data[base + j]!);
    if (a > bestAbs) {
      best = j;
      bestAbs = a;
    }
  }
  return best;
}

/**
 * Returns a copy of `components` (C×d, one component per row) with every row multiplied by ±1 so that its
 * largest-magnitude entry is positive, and the signs applied (length C, each +1 or −1). A zero row is kept
 * (sign +1). The input is not modified.
 * @example
 * flipSigns(fromRows([[0.6, -0.8]])).components // rows [[-0.6, 0.8]]
 */
export function flipSigns(components: Matrix): { components: Matrix; signs: Float64Array } {
  const out = { rows: components.rows, cols: components.cols, data: Float64Array.from(components.data) };
  const signs = new Float64Array(components.rows);
  for (let r = 0; r < components.rows; r++) {
    const j = largestMagnitudeIndex(components, r);
    const sign = components.data[r * components.cols + j]! < 0 ? -1 : 1;
    signs[r] = sign;
    if (sign < 0) {
      const base = r * components.cols;
      for (let k = 0; k < components.cols; k++) out.data[base + k] = -out.data[base + k]!;
    }
  }
  return { components: out, signs };
}
