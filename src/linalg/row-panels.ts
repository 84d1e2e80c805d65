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

/** z[r·k + c] ← panel row r · basis row c, for every panel row and c < k (basis k×d row-major). */
export function projectPanel(
  panel: Float64Array,
  d: number,
  basis: Float64Array,
  k: number,
  z: Float64Array,
): void {
  for (let r = 0; r < PANEL_ROWS; r++) {
    const p = r * d;
    for (let c = 0; c < k; c++) {
      const b = c * d;
      let s = 0;
      for (let j = 0; j < d; j++) s += panel[p + j]! * basis[b + j]!;
      z[r * k + c] = s;
    }
  }
}
