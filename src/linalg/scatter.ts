/**
 * The blocked scatter kernel: out ← out + Σᵢ (xᵢ − c)(xᵢ − c)ᵀ over a row range of a row-major n×d array.
 * This is the whole cost of an exact PCA (n·d²/2 multiply-adds; the d×d eigensolve is negligible), so it is
 * written by hand for V8 rather than delegated to a library:
 *
 * - Rows are taken in panels of `panelRows` (default 128). Each panel is centred once into a reusable
 *   column-major buffer (d′×p, d′ = d rounded up to 4 with zero columns), so every scatter entry is a dot
 *   product of two contiguous columns that stay in L1/L2 cache — no per-row allocation, no strided reads.
 * - The upper triangle is computed in 4×4 register tiles: per panel row, 8 loads feed 16 multiply-adds held
 *   in local variables, which V8 keeps in registers. A plain dot product per entry does 2 loads per
 *   multiply-add and is about 2× slower; ml-pca's SVD of the n×d matrix (and number[][] storage) is 20–40×
 *   slower. Per panel, each tile's 16 sums are added into the accumulator once, so the summation order of every
 *   entry is "sequential within a panel, panels in row order" — exactly that of a per-entry dot product, which
 *   keeps results bit-identical to the straightforward kernel.
 * @module
 */
import { StrataError } from "../errors.js";

/** Rows per panel: 128 rows × 36 columns × 8 bytes = 36 KiB, inside L2 on every current x86/ARM core. */
export const DEFAULT_PANEL_ROWS = 128;

const TILE = 4;

/**
 * out (d×d row-major) ← out + Σ (X[i] − shift)(X[i] − shift)ᵀ for rows start ≤ i < end of X (row-major, d
 * columns). The result is exactly symmetric (the upper triangle is mirrored).
 * @throws INTERNAL when shift or out have the wrong length (a caller bug).
 * @example
 * accumulateScatterRange(x.data, x.cols, 0, x.rows, mean, scatter);
 */
export function accumulateScatterRange(
  X: Float64Array,
  d: number,
  start: number,
  end: number,
  shift: Float64Array,
  out: Float64Array,
  panelRows = DEFAULT_PANEL_ROWS,
): Float64Array {
  if (shift.length !== d || out.length !== d * d) {
    throw new StrataError(
      "INTERNAL",
      `accumulateScatter: shift ${shift.length} / out ${out.length} for d=${d}.`,
    );
  }
  const n = end - start;
  const dp = Math.ceil(d / TILE) * TILE;
  const p = Math.max(1, Math.min(panelRows, n));
  const panel = new Float64Array(dp * p); // column j occupies panel[j*p .. j*p + rows); padding columns stay 0
  const acc = new Float64Array(dp * dp);
  for (let s0 = start; s0 < end; s0 += p) {
    const rows = Math.min(p, end - s0);
    for (let r = 0; r < rows; r++) {
      const src = (s0 + r) * d;
      for (let j = 0; j < d; j++) panel[j * p + r] = X[src + j]! - shift[j]!;
    }
    for (let i0 = 0; i0 < dp; i0 += TILE) {
      for (let j0 = i0; j0 < dp; j0 += TILE) tile(panel, p, rows, i0, j0, acc, dp);
    }
  }
  for (let i = 0; i < d; i++) {
    for (let j = i; j < d; j++) out[i * d + j] = out[i * d + j]! + acc[i * dp + j]!;
  }
  mirrorUpper(out, d);
  return out;
}

/** acc[i0..i0+4)[j0..j0+4) += panel columns i0.. · panel columns j0.. over the first `rows` rows. */
function tile(
  panel: Float64Array,
  p: number,
  rows: number,
  i0: number,
  j0: number,
  acc: Float64Array,
  dp: number,
) {
  const a0 = i0 * p;
  const a1 = a0 + p;
  const a2 = a1 + p;
  const a3 = a2 + p;
  const b0 = j0 * p;
  const b1 = b0 + p;
  const b2 = b1 + p;
  const b3 = b2 + p;
  let s00 = 0,
    s01 = 0,
    s02 = 0,
    s03 = 0,
    s10 = 0,
    s11 = 0,
    s12 = 0,
    s13 = 0;
  let s20 = 0,
    s21 = 0,
    s22 = 0,
    s23 = 0,
    s30 = 0,
    s31 = 0,
    s32 = 0,
    s33 = 0;
  for (let r = 0; r < rows; r++) {
    const v0 = panel[b0 + r]!;
    const v1 = panel[b1 + r]!;
    const v2 = panel[b2 + r]!;
    const v3 = panel[b3 + r]!;
    let u = panel[a0 + r]!;
    s00 += u * v0;
    s01 += u * v1;
    s02 += u * v2;
    s03 += u * v3;
    u = panel[a1 + r]!;
    s10 += u * v0;
    s11 += u * v1;
    s12 += u * v2;
    s13 += u * v3;
    u = panel[a2 + r]!;
    s20 += u * v0;
    s21 += u * v1;
    s22 += u * v2;
    s23 += u * v3;
    u = panel[a3 + r]!;
    s30 += u * v0;
    s31 += u * v1;
    s32 += u * v2;
    s33 += u * v3;
  }
  let o = i0 * dp + j0;
  acc[o]! += s00;
  acc[o + 1]! += s01;
  acc[o + 2]! += s02;
  acc[o + 3]! += s03;
  o += dp;
  acc[o]! += s10;
  acc[o + 1]! += s11;
  acc[o + 2]! += s12;
  acc[o + 3]! += s13;
  o += dp;
  acc[o]! += s20;
  acc[o + 1]! += s21;
  acc[o + 2]! += s22;
  acc[o + 3]! += s23;
  o += dp;
  acc[o]! += s30;
  acc[o + 1]! += s31;
  acc[o + 2]! += s32;
  acc[o + 3]! += s33;
}

/** Copies the upper triangle of the d×d row-major matrix `a` onto its lower triangle, in place. */
export function mirrorUpper(a: Float64Array, d: number): void {
  for (let i = 1; i < d; i++) {
    for (let j = 0; j < i; j++) a[i * d + j] = a[j * d + i]!;
  }
}

/** Column means of rows start ≤ i < end of X (row-major, d columns) into out (length d); zeros if empty. */
export function rangeMeans(
  X: Float64Array,
  d: number,
  start: number,
  end: number,
  out: Float64Array,
): Float64Array {
  out.fill(0);
  for (let i = start; i < end; i++) {
    const base = i * d;
    for (let j = 0; j < d; j++) out[j] = out[j]! + X[base + j]!;
  }
  if (end > start) for (let j = 0; j < d; j++) out[j] = out[j]! / (end - start);
  return out;
}
