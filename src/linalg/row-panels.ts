/**
 * Kernels for sketches of the form out (k×d) += Wᵀ·(X − 1·shiftᵀ), where W (n×k) weighs every row of X
 * (n×d) into k accumulated directions: randomized PCA's sign sketch (W = ±1) and its power passes (W = the
 * rows' projections). Rows are taken in panels of {@link PANEL_ROWS}: a panel is centred once into a small
 * buffer, and each output row is then updated once per panel with four rows' contributions — one load and one
 * store of `out` per four rows instead of per row, which is what bounds this loop (k·d doubles of `out` stay
 * in L2; the panel in L1). Each output entry sums its panel in row order, then adds the panel's sum, so the
 * result depends on where panels start (a chunk's first row) only through rounding.
 * @module
 */

/** Rows per panel (the unrolled loop of {@link addWeightedPanel} is written for exactly four). */
export const PANEL_ROWS = 4;

/**
 * panel[r·d + j] ← X[(first + r)·d + j] − shift[j] for r < rows; rows rows..PANEL_ROWS−1 are zeroed so the
 * unrolled kernels can read them. When `squares` (length d) is given, each column's squared centred values
 * are added into it.
 */
export function centrePanel(
  X: Float64Array,
  d: number,
  first: number,
  rows: number,
  shift: Float64Array,
  panel: Float64Array,
  squares?: Float64Array,
): void {
  for (let r = 0; r < PANEL_ROWS; r++) {
    const at = r * d;
    if (r >= rows) {
      panel.fill(0, at, at + d);
      continue;
    }
    const src = (first + r) * d;
    for (let j = 0; j < d; j++) {
      const v = X[src + j]! - shift[j]!;
      panel[at + j] = v;
      if (squares !== undefined) squares[j] = squares[j]! + v * v;
    }
  }
}

/**
 * out[c·d + j] += Σ_r weights[r·k + c] · panel[r·d + j] over the PANEL_ROWS rows of a centred panel (rows
 * past the data are zero in both), for c < k.
 */
export function addWeightedPanel(
  out: Float64Array,
  k: number,
  d: number,
  panel: Float64Array,
  weights: Float64Array,
): void {
  const d2 = 2 * d;
  const d3 = 3 * d;
  for (let c = 0; c < k; c++) {
    const w0 = weights[c]!;
    const w1 = weights[k + c]!;
    const w2 = weights[2 * k + c]!;
    const w3 = weights[3 * k + c]!;
    const o = c * d;
    for (let j = 0; j < d; j++)
      out[o + j] =
        out[o + j]! + (w0 * panel[j]! + w1 * panel[d + j]! + w2 * panel[d2 + j]! + w3 * panel[d3 + j]!);
  }
}

/**
 * addWeightedPanel for weights of ±1 (a sign sketch), with a quarter of the arithmetic: a panel's four rows
 * have only 8 signed sums up to an overall sign, x₃ ± x₀ ± x₁ ± x₂, built once per panel into `sums` (8×d
 * scratch); each output row then adds one of them with its sign — one add per entry instead of four
 * multiply-adds. `signs` (PANEL_ROWS×k) holds ±1, or 0 for a row past the data (whose panel row is zero).
 */
export function addSignedPanel(
  out: Float64Array,
  k: number,
  d: number,
  panel: Float64Array,
  signs: Float64Array,
  sums: Float64Array,
): void {
  const d2 = 2 * d;
  const d3 = 3 * d;
  // sums[p·d + j] = x₃ + (−1)^{bit 0 of p}·x₀ + (−1)^{bit 1}·x₁ + (−1)^{bit 2}·x₂.
  for (let j = 0; j < d; j++) {
    const x0 = panel[j]!;
    const x1 = panel[d + j]!;
    const x2 = panel[d2 + j]!;
    const x3 = panel[d3 + j]!;
    const a0 = x3 + x0;
    const a1 = x3 - x0;
    const b0 = a0 + x1;
    const b1 = a1 + x1;
    const b2 = a0 - x1;
    const b3 = a1 - x1;
    sums[j] = b0 + x2;
    sums[d + j] = b1 + x2;
    sums[d2 + j] = b2 + x2;
    sums[d3 + j] = b3 + x2;
    sums[4 * d + j] = b0 - x2;
    sums[5 * d + j] = b1 - x2;
    sums[6 * d + j] = b2 - x2;
    sums[7 * d + j] = b3 - x2;
  }
  for (let c = 0; c < k; c++) {
    // Relative to row 3's sign, so that the sum's own sign is +1 for row 3 (a missing row counts as +1).
    const s3 = signs[3 * k + c]! < 0 ? -1 : 1;
    const p =
      (signs[c]! * s3 < 0 ? 1 : 0) | (signs[k + c]! * s3 < 0 ? 2 : 0) | (signs[2 * k + c]! * s3 < 0 ? 4 : 0);
    const from = p * d;
    const o = c * d;
    if (s3 > 0) for (let j = 0; j < d; j++) out[o + j] = out[o + j]! + sums[from + j]!;
    else for (let j = 0; j < d; j++) out[o + j] = out[o + j]! - sums[from + j]!;
  }
}

/**
 * z[r·k + c] ← panel row r · basis row c, for every panel row and c < k (basis k×d row-major). The four rows'
 * dot products with one basis row run together, so each basis value is loaded once per panel.
 */
export function projectPanel(
  panel: Float64Array,
  d: number,
  basis: Float64Array,
  k: number,
  z: Float64Array,
): void {
  const d2 = 2 * d;
  const d3 = 3 * d;
  for (let c = 0; c < k; c++) {
    const b = c * d;
    let s0 = 0;
    let s1 = 0;
    let s2 = 0;
    let s3 = 0;
    for (let j = 0; j < d; j++) {
      const v = basis[b + j]!;
      s0 += panel[j]! * v;
      s1 += panel[d + j]! * v;
      s2 += panel[d2 + j]! * v;
      s3 += panel[d3 + j]! * v;
    }
    z[c] = s0;
    z[k + c] = s1;
    z[2 * k + c] = s2;
    z[3 * k + c] = s3;
  }
}
