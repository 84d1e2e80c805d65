/**
 * Dense Float64Array kernels for the estimators: dot products, axpy, column means, matrix products into
 * preallocated outputs, and the blocked accumulation of a shifted scatter matrix Σ (xᵢ − c)(xᵢ − c)ᵀ. All
 * work on row-major storage (see `matrix.ts`); none allocates per row, and none mutates its inputs (only the
 * `out` argument is written). Shapes are given in comments as rows×cols.
 * @module
 */
import { StrataError } from "../errors.js";
import type { Matrix } from "./matrix.js";
import { accumulateScatterRange, DEFAULT_PANEL_ROWS } from "./scatter.js";

export { DEFAULT_PANEL_ROWS, mirrorUpper } from "./scatter.js";

/**
 * Σ a[aOffset + k] · b[bOffset + k] for k < n.
 * @example dot(new Float64Array([1, 2]), new Float64Array([3, 4])) // 11
 */
export function dot(a: Float64Array, b: Float64Array, n = a.length, aOffset = 0, bOffset = 0): number {
  let s = 0;
  for (let k = 0; k < n; k++) s += a[aOffset + k]! * b[bOffset + k]!;
  return s;
}

/**
 * ‖a[aOffset..aOffset+d) − b[bOffset..bOffset+d)‖², summed over t = 0..d-1 in order (so callers that compare
 * it with the unrolled kernels' sums get the same bits).
 * @example squaredDistance(rows, i * d, centres, j * d, d)
 */
export function squaredDistance(
  a: Float64Array,
  aOffset: number,
  b: Float64Array,
  bOffset: number,
  d: number,
): number {
  let s = 0;
  for (let t = 0; t < d; t++) {
    const diff = a[aOffset + t]! - b[bOffset + t]!;
    s += diff * diff;
  }
  return s;
}

/** y ← y + alpha·x over the first `x.length` entries (in place on `y`, which must be at least as long). */
export function axpy(alpha: number, x: Float64Array, y: Float64Array): void {
  for (let k = 0; k < x.length; k++) y[k] = y[k]! + alpha * x[k]!;
}

/** Column sums of x (n×d) as a new Float64Array of length d. */
export function columnSums(x: Matrix): Float64Array {
  const d = x.cols;
  const out = new Float64Array(d);
  for (let i = 0; i < x.rows; i++) addRow(out, x.data, i * d, d);
  return out;
}

/**
 * out += the row of `d` values at `base`. A function per row so that V8 optimises it after its first calls: a
 * loop over a whole table inside a function that runs once stays interpreted in a fresh process and boxes a
 * double per value.
 */
function addRow(out: Float64Array, data: Float64Array, base: number, d: number): void {
  for (let j = 0; j < d; j++) out[j] = out[j]! + data[base + j]!;
}

/** Column means of x (n×d); zeros when n = 0. */
export function columnMeans(x: Matrix): Float64Array {
  const out = columnSums(x);
  if (x.rows > 0) for (let j = 0; j < out.length; j++) out[j] = out[j]! / x.rows;
  return out;
}

function checkShape(what: string, m: Matrix, rows: number, cols: number): void {
  if (m.rows !== rows || m.cols !== cols) {
    throw new StrataError("INTERNAL", `${what} is ${m.rows}x${m.cols}; expected ${rows}x${cols}.`);
  }
}

/**
 * out ← A·B for A (n×k), B (k×m), out (n×m). Loop order i-k-j so B and out are read along rows.
 * @throws INTERNAL when the shapes do not agree (a caller bug, not user input).
 */
export function multiply(a: Matrix, b: Matrix, out: Matrix): Matrix {
  checkShape("multiply: B", b, a.cols, b.cols);
  checkShape("multiply: out", out, a.rows, b.cols);
  const { rows: n, cols: k } = a;
  const m = b.cols;
  const o = out.data;
  o.fill(0, 0, n * m);
  for (let i = 0; i < n; i++) {
    const oi = i * m;
    for (let p = 0; p < k; p++) {
      const aip = a.data[i * k + p]!;
      if (aip === 0) continue;
      const bp = p * m;
      for (let j = 0; j < m; j++) o[oi + j] = o[oi + j]! + aip * b.data[bp + j]!;
    }
  }
  return out;
}

/**
 * out ← (A − 1·shiftᵀ)·Bᵀ for A (n×k), B (m×k), out (n×m): every entry is a dot product of two contiguous
 * rows. `shift` (length k, or omitted for none) is subtracted from each row of A on the fly, so the caller
 * need not copy A to centre it.
 */
export function multiplyTransposed(a: Matrix, b: Matrix, out: Matrix, shift?: Float64Array): Matrix {
  checkShape("multiplyTransposed: B", b, b.rows, a.cols);
  checkShape("multiplyTransposed: out", out, a.rows, b.rows);
  const { rows: n, cols: k } = a;
  const m = b.rows;
  const centred = new Float64Array(k);
  for (let i = 0; i < n; i++) {
    const ai = i * k;
    for (let p = 0; p < k; p++) centred[p] = a.data[ai + p]! - (shift === undefined ? 0 : shift[p]!);
    for (let j = 0; j < m; j++) out.data[i * m + j] = dot(centred, b.data, k, 0, j * k);
  }
  return out;
}

/**
 * out ← out + Σᵢ (xᵢ − c)(xᵢ − c)ᵀ over the rows of x (n×d); out is d×d row-major. The blocked, register-tiled
 * kernel of scatter.ts over all rows (panels of `panelRows`, upper triangle mirrored, exactly symmetric).
 * @param shift c, length d (the batch mean for a centred scatter, zeros for the raw second moment).
 */
export function accumulateScatter(
  x: Matrix,
  shift: Float64Array,
  out: Float64Array,
  panelRows = DEFAULT_PANEL_ROWS,
): Float64Array {
  return accumulateScatterRange(x.data, x.cols, 0, x.rows, shift, out, panelRows);
}
