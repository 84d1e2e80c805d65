/**
 * The checks every K-Means fit makes at entry, whichever way it trains (full-batch Lloyd or web-scale): at
 * least 2 rows, the params against the data (k ≤ rows, feature_dim = width), finite values, and one positive
 * finite sample weight per row. One place, so both training modes refuse the same input with the same words.
 * @module
 */
import { StrataError } from "../errors.js";
import { checkFinite } from "../linalg/checks.js";
import type { Matrix } from "../linalg/matrix.js";
import { checkParamsAgainstData, type KMeansParams } from "./hyperparameters.js";

/**
 * Checks `x` (n × d) for a fit with `params`; returns the sample weights as a Float64Array when given.
 * @throws StrataError INVALID_ARGUMENT (fewer than 2 rows; a bad weight), WIDTH_MISMATCH, INVALID_HYPERPARAMETER
 *   (k > n), NON_NUMERIC_VALUE
 */
export function checkFitInput(
  x: Matrix,
  params: KMeansParams,
  options: {
    readonly featureNames?: readonly string[] | undefined;
    readonly sampleWeight?: Float64Array | readonly number[] | undefined;
  },
): Float64Array | undefined {
  if (x.rows < 2) {
    throw new StrataError("INVALID_ARGUMENT", `K-Means needs at least 2 rows; the data has ${x.rows}.`, {
      details: { rows: x.rows },
    });
  }
  checkParamsAgainstData(params, x.rows, x.cols);
  checkFinite(x, options.featureNames);
  return options.sampleWeight === undefined ? undefined : checkedWeights(options.sampleWeight, x.rows);
}

/**
 * The sample weights as a Float64Array, checked: one per row, each finite and above 0.
 * @throws StrataError INVALID_ARGUMENT naming the first bad weight's row (0-based) and value
 */
function checkedWeights(given: Float64Array | readonly number[], rows: number): Float64Array {
  if (given.length !== rows)
    throw new StrataError(
      "INVALID_ARGUMENT",
      `sampleWeight has ${given.length} weights; the data has ${rows} rows (one weight per row).`,
      { details: { expected: rows, received: given.length } },
    );
  const weights = Float64Array.from(given);
  for (let i = 0; i < rows; i++) {
    const w = weights[i]!;
    if (!(Number.isFinite(w) && w > 0))
      throw new StrataError(
        "INVALID_ARGUMENT",
        `sampleWeight[${i}] is ${w}; every sample weight must be a finite number above 0.`,
        { details: { row: i, value: String(w) } },
      );
  }
  return weights;
}
