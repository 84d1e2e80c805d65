/**
 * The checks every algorithm of the contract makes on a chunk, with one message each: a chunk of another
 * width is WIDTH_MISMATCH, a NaN or infinite value is NON_NUMERIC_VALUE, whichever algorithm reads it.
 * @module
 */
import { StrataError } from "../errors.js";
import type { Matrix } from "../linalg/matrix.js";

/**
 * Two partials of the same algorithm over data of different widths cannot merge.
 * @throws StrataError WIDTH_MISMATCH
 */
export function checkSameWidth(a: number, b: number, algorithm: string): void {
  if (a !== b)
    throw new StrataError("WIDTH_MISMATCH", `${algorithm}: a shard has ${b} columns; the first has ${a}.`, {
      details: { algorithm, expected: a, received: b },
    });
}

/**
 * @throws StrataError WIDTH_MISMATCH, NON_NUMERIC_VALUE
 * @example checkChunk(chunk, 34, "PCA");
 */
export function checkChunk(chunk: Matrix, width: number, algorithm: string): void {
  if (chunk.cols !== width)
    throw new StrataError(
      "WIDTH_MISMATCH",
      `${algorithm}: a chunk has ${chunk.cols} columns; the data has ${width}.`,
      { details: { algorithm, expected: width, received: chunk.cols } },
    );
  const data = chunk.data;
  const n = chunk.rows * chunk.cols;
  let sum = 0;
  for (let i = 0; i < n; i++) sum += data[i]! * 0;
  if (sum === 0) return;
  for (let i = 0; i < n; i++)
    if (!Number.isFinite(data[i]!))
      throw new StrataError(
        "NON_NUMERIC_VALUE",
        `${algorithm}: row ${Math.floor(i / width) + 1} of a chunk, column ${(i % width) + 1}, is not a finite number.`,
        { details: { algorithm, column: (i % width) + 1 } },
      );
}
