/**
 * Entry checks shared by every estimator and model: matrix width against the trained width, finite values,
 * and feature names. They produce the user-facing messages of the error registry (WIDTH_MISMATCH,
 * NON_NUMERIC_VALUE), so every estimator words the same failure the same way.
 * @module
 */
import { StrataError } from "../errors.js";
import type { Matrix } from "./matrix.js";

/**
 * Throws WIDTH_MISMATCH unless x has `expected` columns.
 * @param what what the width belongs to, e.g. "the model was trained on 34 features".
 */
export function checkWidth(
  x: Matrix,
  expected: number,
  what = `the model was trained on ${expected} features`,
) {
  if (x.cols !== expected) {
    throw new StrataError("WIDTH_MISMATCH", `Input rows have ${x.cols} values; ${what}.`, {
      details: { expected, received: x.cols },
    });
  }
}

/**
 * Whether every value is finite. Three scans by Float64Array's own `includes` (NaN, +Infinity, -Infinity;
 * `includes` finds NaN, `indexOf` does not), which run as compiled loops from the first call: a JavaScript
 * loop runs unoptimised on its first pass, and a fit checks each input once (the census: 109,000 values in
 * 0.5 ms against 2 ms, and no boxed doubles for the collector).
 */
export function allFinite(values: Float64Array): boolean {
  return !(
    values.includes(Number.NaN) ||
    values.includes(Number.POSITIVE_INFINITY) ||
    values.includes(Number.NEGATIVE_INFINITY)
  );
}

/** Throws NON_NUMERIC_VALUE at the first NaN or ±Infinity in x, naming its row and column. */
export function checkFinite(x: Matrix, featureNames?: readonly string[], firstRow = 0): void {
  const { data, cols } = x;
  if (allFinite(data)) return;
  const k = data.findIndex((v) => !Number.isFinite(v));
  const r = firstRow + Math.floor(k / cols);
  const col = k % cols;
  const name = featureNames?.[col] ?? `column ${col}`;
  throw new StrataError(
    "NON_NUMERIC_VALUE",
    `Row ${r}, ${JSON.stringify(name)} is ${data[k]}; estimators need finite numbers (drop or impute it first).`,
    { details: { row: r, column: col, value: String(data[k]) } },
  );
}

/**
 * The feature names to store in a model: `names` (copied, length checked against d) or "x0".."x{d-1}", the
 * default of scikit-learn's `get_feature_names_out`.
 * @throws WIDTH_MISMATCH when `names` has the wrong length.
 */
export function resolveFeatureNames(names: readonly string[] | undefined, d: number): readonly string[] {
  if (names === undefined) return Object.freeze(Array.from({ length: d }, (_, j) => `x${j}`));
  if (names.length !== d) {
    throw new StrataError("WIDTH_MISMATCH", `${names.length} feature names were given for ${d} columns.`, {
      details: { expected: d, received: names.length },
    });
  }
  return Object.freeze([...names]);
}

/** Throws INVALID_ARGUMENT unless x has at least `min` rows. */
export function checkRows(x: Matrix, min: number, who: string): void {
  if (x.rows < min) {
    throw new StrataError(
      "INVALID_ARGUMENT",
      `${who} needs at least ${min} row${min === 1 ? "" : "s"}; the input has ${x.rows}.`,
      { details: { minimum: min, received: x.rows } },
    );
  }
}
