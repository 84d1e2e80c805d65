/**
 * Field checks for request validation: each failure is an INVALID_JOB_REQUEST whose message starts with the
 * field's path (`InputDataConfig[0].ContentType: …`) and whose details name the field and the value.
 * @module
 */
import { StrataError } from "../errors.js";

const URI_SCHEMES = ["file:", "s3:", "https:", "http:"];

export function invalid(field: string, message: string, value?: unknown): never {
  throw new StrataError("INVALID_JOB_REQUEST", `${field}: ${message}`, {
    details: value === undefined ? { field } : { field, value },
  });
}

export function show(value: unknown): string {
  return JSON.stringify(value) ?? String(value);
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

export function optionalRecord(value: unknown, field: string): Record<string, unknown> {
  if (value === undefined || value === null) return {};
  if (!isRecord(value)) invalid(field, `expected an object, got ${show(value)}.`, value);
  return value;
}

export function integerField(
  value: unknown,
  field: string,
  min: number,
  max: number,
  fallback: number,
): number {
  if (value === undefined || value === null) return fallback;
  if (typeof value !== "number" || !Number.isInteger(value) || value < min || value > max) {
    invalid(field, `${show(value)} is invalid: expected an integer from ${min} to ${max}.`, value);
  }
  return value;
}

/** Checks a data or output location: a local path, or a file://, s3:// or https:// URI. */
export function checkUri(value: unknown, field: string): string {
  if (typeof value !== "string" || value.trim() === "") {
    invalid(
      field,
      `expected a path or a URI (file://, s3://bucket/key, https://), got ${show(value)}.`,
      value,
    );
  }
  const scheme = /^([a-zA-Z][a-zA-Z0-9+.-]*:)\/\//.exec(value)?.[1]?.toLowerCase();
  if (scheme !== undefined && !URI_SCHEMES.includes(scheme)) {
    invalid(
      field,
      `${show(value)} has the unsupported scheme ${scheme}//: expected a path, file://, s3:// or https://.`,
      value,
    );
  }
  if (scheme === "s3:" && !/^s3:\/\/[^/]+/.test(value))
    invalid(field, `${show(value)} names no bucket.`, value);
  return value;
}
