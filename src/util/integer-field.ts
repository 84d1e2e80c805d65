/**
 * An integer field of an API request in a range, with one message for every action
 * (`MaxResults=0 is invalid: expected an integer from 1 to 100.`); the error code is the caller's API's.
 * @module
 */
import { type ErrorCode, StrataError } from "../errors.js";

export interface IntegerRange {
  readonly min: number;
  readonly max: number;
  /** Said after the range, in parentheses ("0, chunked encoding, is not supported"). */
  readonly note?: string;
}

/**
 * The value when it is an integer in the range, `fallback` when it is absent (undefined or null).
 * @throws StrataError `code` naming the field, the value and the range
 */
export function integerField<F extends number | undefined>(
  value: unknown,
  field: string,
  range: IntegerRange,
  code: ErrorCode,
  fallback: F,
): number | F {
  if (value === undefined || value === null) return fallback;
  if (typeof value !== "number" || !Number.isInteger(value) || value < range.min || value > range.max)
    throw new StrataError(
      code,
      `${field}=${JSON.stringify(value)} is invalid: expected an integer from ${range.min} to ${range.max}${range.note === undefined ? "" : ` (${range.note})`}.`,
      { details: { field, value, min: range.min, max: range.max } },
    );
  return value;
}
