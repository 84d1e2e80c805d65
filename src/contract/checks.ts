/**
 * The checks of the contract, with one message each whichever algorithm reads the data: a chunk or a shard of
 * another width is WIDTH_MISMATCH (checked by every `update` and `merge`: it costs nothing), and a NaN or
 * infinite value is NON_NUMERIC_VALUE, checked once per plan by `fitRounds` ({@link checkPlan}) rather than
 * by every `update` of every round over the same rows.
 * @module
 */
import { StrataError } from "../errors.js";
import { checkFinite } from "../linalg/checks.js";
import type { Matrix } from "../linalg/matrix.js";
import { rowView, type Shard } from "./contract.js";

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
 * @throws StrataError WIDTH_MISMATCH
 * @example checkChunkWidth(chunk, 34, "PCA");
 */
export function checkChunkWidth(chunk: Matrix, width: number, algorithm: string): void {
  if (chunk.cols !== width)
    throw new StrataError(
      "WIDTH_MISMATCH",
      `${algorithm}: a chunk has ${chunk.cols} columns; the data has ${width}.`,
      { details: { algorithm, expected: width, received: chunk.cols } },
    );
}

/**
 * Every value of a plan's in-memory rows is finite; the first one that is not is named by its row in the data
 * and its column, as the estimators name it (linalg/checks.ts `checkFinite`). Streamed shards are checked
 * chunk by chunk as they are read (contract.ts).
 * @throws StrataError NON_NUMERIC_VALUE
 */
export function checkPlan(shards: readonly Shard[]): void {
  for (const shard of shards) {
    if (!("data" in shard)) continue;
    const { data, start, end } = shard;
    checkFinite(rowView(data, start, end), undefined, start);
  }
}
