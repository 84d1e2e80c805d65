/**
 * The blocked scatter kernel: out ← out + Σᵢ (xᵢ − c)(xᵢ − c)ᵀ over a row range of a row-major n×d array.
 * This is the whole cost of an exact PCA (n·d²/2 multiply-adds; the d×d eigensolve is negligible), so it is
 * written by hand for V8 rather than delegated to a library:
 *
 * - Rows are taken in panels of `panelRows` (default 128). Each panel is centred once into a reusable
 *   column-major buffer (d′×p, d′ = d rounded up to 4 with zero columns), so every scatter entry is a dot
 *   product of two contiguous columns that stay in L1/L2 cache — no per-row allocation, no strided reads.
 * - The upper triangle is computed in 4×4 register tiles: per panel row, 8 loads feed 16 multiply-adds held
 *   in locals, kept in registers. A plain dot product per entry does 2 loads per multiply-add and is about 2×
 *   slower; ml-pca's SVD of the n×d matrix (and number[][] storage) is 20–40× slower. Per panel, each tile's
 *   16 sums are added into the accumulator once, so the summation order of every entry is "sequential within
 *   a panel, panels in row order" — exactly that of a per-entry dot product, which keeps results
 *   bit-identical to the straightforward kernel.
 * - The centring and the tiles run in WebAssembly (wasm-scatter.ts), a panel at a time.
 * @module
 */
import { StrataError } from "../errors.js";
import { scatterKernels } from "./wasm-scatter.js";

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
  const acc = scatterKernels().panelTiles(X, d, start, end, shift, p, dp);
  for (let i = 0; i < d; i++) {
    for (let j = i; j < d; j++) out[i * d + j] = out[i * d + j]! + acc[i * dp + j]!;
  }
  mirrorUpper(out, d);
  return out;
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
  scatterKernels().columnSums(X, d, start, end, out);
  if (end > start) for (let j = 0; j < d; j++) out[j] = out[j]! / (end - start);
  return out;
}
