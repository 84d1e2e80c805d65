/**
 * Dense row-major matrices over one contiguous Float64Array. Every numeric hot path in Strata works on this
 * shape (never number[][]), so data can be handed to worker threads or a SharedArrayBuffer without copying.
 * @module
 */
import { StrataError } from "../errors.js";

/** A rows x cols matrix; element (i, j) is `data[i * cols + j]`. */
export interface Matrix {
  readonly rows: number;
  readonly cols: number;
  readonly data: Float64Array;
}

/**
 * Matrices of at least this many values are allocated in a SharedArrayBuffer, so the worker pool
 * (src/parallel) reads them in place instead of copying them. A shared Float64Array behaves like any other.
 */
export const SHARED_MIN_VALUES = 1 << 16;

/**
 * Wraps (or allocates, zero-filled; in shared memory from {@link SHARED_MIN_VALUES} values) the storage of a
 * rows x cols matrix, checking the length.
 */
export function matrix(rows: number, cols: number, data?: Float64Array): Matrix {
  if (!Number.isInteger(rows) || !Number.isInteger(cols) || rows < 0 || cols < 0) {
    throw new StrataError("INTERNAL", `Matrix shape ${rows}x${cols} is not a pair of non-negative integers.`);
  }
  const size = rows * cols;
  const storage =
    data ??
    (size >= SHARED_MIN_VALUES && typeof SharedArrayBuffer !== "undefined"
      ? new Float64Array(new SharedArrayBuffer(size * Float64Array.BYTES_PER_ELEMENT))
      : new Float64Array(size));
  if (storage.length !== rows * cols) {
    throw new StrataError(
      "INTERNAL",
      `Matrix ${rows}x${cols} needs ${rows * cols} values; the buffer holds ${storage.length}.`,
    );
  }
  return { rows, cols, data: storage };
}

/** Builds a matrix from nested arrays (tests, small literals). Rows must all have the same length. */
export function fromRows(rows: readonly (readonly number[])[]): Matrix {
  const cols = rows[0]?.length ?? 0;
  const m = matrix(rows.length, cols);
  rows.forEach((row, i) => {
    if (row.length !== cols) {
      throw new StrataError("WIDTH_MISMATCH", `Row ${i} has ${row.length} values; row 0 has ${cols}.`);
    }
    m.data.set(row, i * cols);
  });
  return m;
}

/** Copies a matrix into nested arrays (JSON output, tests). */
export function toRows(m: Matrix): number[][] {
  const out: number[][] = [];
  for (let i = 0; i < m.rows; i++) out.push(Array.from(m.data.subarray(i * m.cols, (i + 1) * m.cols)));
  return out;
}

/** A view of row i (no copy). */
export function row(m: Matrix, i: number): Float64Array {
  return m.data.subarray(i * m.cols, (i + 1) * m.cols);
}

/** The transpose, as a new matrix. */
export function transpose(m: Matrix): Matrix {
  const t = matrix(m.cols, m.rows);
  for (let i = 0; i < m.rows; i++) {
    for (let j = 0; j < m.cols; j++) t.data[j * m.rows + i] = m.data[i * m.cols + j]!;
  }
  return t;
}

/** Keeps the given columns, in the given order, as a new matrix. */
export function selectColumns(m: Matrix, columns: readonly number[]): Matrix {
  const out = matrix(m.rows, columns.length);
  for (let i = 0; i < m.rows; i++) {
    const src = i * m.cols;
    const dst = i * columns.length;
    for (let j = 0; j < columns.length; j++) out.data[dst + j] = m.data[src + columns[j]!]!;
  }
  return out;
}
