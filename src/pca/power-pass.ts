/**
 * One pass of subspace (power) iteration for randomized PCA (Halko, Martinsson & Tropp, "Finding structure
 * with randomness", SIAM Review 2011, Algorithms 4.3/4.4 and 5.1), as sums over rows so that it is an
 * algorithm of the contract like the sketch. With Q the current orthonormal basis (ℓ×d, one direction per
 * row), the data's centred rows x̃ᵢ = xᵢ − mean and their projections zᵢ = Q·x̃ᵢ (ℓ), a pass sums
 *
 * - the product Y = Σ zᵢ x̃ᵢ (ℓ×d: the rows of Qᵀ·A with A = X̃ᵀX̃, the scatter, never formed), whose
 *   orthonormalised span is the next basis, and
 * - the Gram matrix T = Σ zᵢ zᵢᵀ = Q·A·Qᵀ (ℓ×ℓ): the scatter restricted to the basis, whose eigenpairs are the
 *   Rayleigh–Ritz estimates of the top eigenpairs of A.
 *
 * Both are plain sums over rows (the mean and the basis are broadcast), so they merge by addition and any cut
 * of the rows gives them up to rounding. The last pass needs only T and skips Y (half the work).
 * @module
 */
import { checkSameWidth } from "../contract/checks.js";
import { addWeightedPanel, centrePanel, PANEL_ROWS, projectPanel } from "../linalg/row-panels.js";

/** The sums of one power pass over a set of rows. Plain data; treat as immutable. */
export interface PowerStats {
  readonly numFeatures: number;
  readonly sketchRows: number;
  readonly count: number;
  /** Y = Σ zᵢ x̃ᵢ, ℓ×d row-major; empty (length 0) in a pass that only measures T. */
  readonly product: Float64Array;
  /** T = Σ zᵢ zᵢᵀ, ℓ×ℓ row-major, exactly symmetric. */
  readonly gram: Float64Array;
}

/** The identity of {@link mergePower}. */
export function emptyPower(numFeatures: number, sketchRows: number, withProduct: boolean): PowerStats {
  return Object.freeze({
    numFeatures,
    sketchRows,
    count: 0,
    product: new Float64Array(withProduct ? sketchRows * numFeatures : 0),
    gram: new Float64Array(sketchRows * sketchRows),
  });
}

/**
 * The pass's sums over rows start ≤ i < end of a row-major array of d columns, centred on `mean` (the data's,
 * or zeros for subtract_mean=false) and projected on `basis` (ℓ×d, orthonormal rows).
 */
export function powerRowRange(
  data: Float64Array,
  d: number,
  start: number,
  end: number,
  mean: Float64Array,
  basis: Float64Array,
  withProduct: boolean,
): PowerStats {
  const ell = basis.length / d;
  const product = new Float64Array(withProduct ? ell * d : 0);
  const gram = new Float64Array(ell * ell);
  const panel = new Float64Array(PANEL_ROWS * d);
  const z = new Float64Array(PANEL_ROWS * ell);
  for (let i = start; i < end; i += PANEL_ROWS) {
    const rows = Math.min(PANEL_ROWS, end - i);
    centrePanel(data, d, i, rows, mean, panel);
    projectPanel(panel, d, basis, ell, z);
    for (let r = 0; r < rows; r++) {
      const zr = r * ell;
      for (let a = 0; a < ell; a++) {
        const za = z[zr + a]!;
        for (let b = 0; b < ell; b++) gram[a * ell + b] = gram[a * ell + b]! + za * z[zr + b]!;
      }
    }
    if (withProduct) addWeightedPanel(product, ell, d, panel, z);
  }
  return Object.freeze({ numFeatures: d, sketchRows: ell, count: end - start, product, gram });
}

/**
 * The sums of two disjoint row sets (plain addition: commutative bit for bit, associative up to rounding).
 * @throws WIDTH_MISMATCH when the widths differ.
 */
export function mergePower(a: PowerStats, b: PowerStats): PowerStats {
  checkSameWidth(a.numFeatures, b.numFeatures, "Randomized PCA");
  return Object.freeze({
    numFeatures: a.numFeatures,
    sketchRows: a.sketchRows,
    count: a.count + b.count,
    product: a.product.map((v, k) => v + b.product[k]!),
    gram: a.gram.map((v, k) => v + b.gram[k]!),
  });
}
