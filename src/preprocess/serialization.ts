/**
 * Reading fitted models back from JSON. Every model's `toJSON()` writes a `kind` tag and a `formatVersion`;
 * `fromJSON()` checks both before trusting the rest, so a K-Means file is never read as a scaler and a future
 * format is refused with a clear message instead of being misread (mljs/pca's `load` checks `name`;
 * scikit-learn stamps its version into pickles). Typed arrays travel as plain number arrays.
 * @module
 */
import { StrataError } from "../errors.js";

/** Header every model JSON starts with. */
export interface ModelJSONHeader {
  readonly kind: string;
  readonly formatVersion: number;
}

function invalid(kind: string, message: string): never {
  throw new StrataError("ARTIFACT_INVALID", `This is not a valid ${kind} model: ${message}.`);
}

/**
 * Returns `json` as a record after checking `kind` and `formatVersion`.
 * @throws ARTIFACT_INVALID on a wrong kind, an unsupported version or a non-object.
 */
export function checkHeader(json: unknown, kind: string, formatVersion: number): Record<string, unknown> {
  if (typeof json !== "object" || json === null || Array.isArray(json))
    invalid(kind, "expected a JSON object");
  const record = json as Record<string, unknown>;
  if (record["kind"] !== kind) invalid(kind, `kind is ${JSON.stringify(record["kind"])}, expected "${kind}"`);
  if (record["formatVersion"] !== formatVersion) {
    invalid(
      kind,
      `formatVersion ${JSON.stringify(record["formatVersion"])} is not supported (expected ${formatVersion})`,
    );
  }
  return record;
}

/** Reads field `key` as a finite number array of length `length` (any length when omitted). */
export function readNumbers(
  record: Record<string, unknown>,
  key: string,
  kind: string,
  length?: number,
): Float64Array {
  const value = record[key];
  if (!Array.isArray(value) || !value.every((v) => typeof v === "number" && Number.isFinite(v))) {
    invalid(kind, `"${key}" must be an array of finite numbers`);
  }
  if (length !== undefined && value.length !== length) {
    invalid(kind, `"${key}" has ${value.length} values, expected ${length}`);
  }
  return Float64Array.from(value as number[]);
}

/** Reads field `key` as a string array of length `length`. */
export function readStrings(
  record: Record<string, unknown>,
  key: string,
  kind: string,
  length: number,
): string[] {
  const value = record[key];
  if (!Array.isArray(value) || value.length !== length || !value.every((v) => typeof v === "string")) {
    invalid(kind, `"${key}" must be an array of ${length} strings`);
  }
  return value as string[];
}

/** Reads field `key` as a non-negative integer. */
export function readCount(record: Record<string, unknown>, key: string, kind: string): number {
  const value = record[key];
  if (typeof value !== "number" || !Number.isInteger(value) || value < 0) {
    invalid(kind, `"${key}" must be a non-negative integer`);
  }
  return value;
}

/** Reads field `key` as a boolean. */
export function readBoolean(record: Record<string, unknown>, key: string, kind: string): boolean {
  const value = record[key];
  if (typeof value !== "boolean") invalid(kind, `"${key}" must be true or false`);
  return value;
}
