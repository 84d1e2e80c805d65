/**
 * The AWS JSON 1.1 wire form: timestamps travel as epoch seconds (numbers with a fraction), everything else
 * as plain JSON. `toWire` turns the services' `Date`s into seconds for responses; `dateField` reads a
 * request timestamp (seconds, or an ISO string some clients send) into a `Date`.
 * @module
 */
import { StrataError } from "../errors.js";

/** A copy of `value` with every Date replaced by epoch seconds. */
export function toWire(value: unknown): unknown {
  if (value instanceof Date) return value.getTime() / 1000;
  if (Array.isArray(value)) return value.map(toWire);
  if (value !== null && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) if (v !== undefined) out[k] = toWire(v);
    return out;
  }
  return value;
}

/**
 * A request timestamp as a Date (undefined when absent).
 * @throws StrataError INVALID_HOSTING_REQUEST for a value that is not a time
 */
export function dateField(input: Record<string, unknown>, field: string): Date | undefined {
  const v = input[field];
  if (v === undefined || v === null) return undefined;
  const d =
    typeof v === "number" ? new Date(v * 1000) : typeof v === "string" ? new Date(v) : new Date(Number.NaN);
  if (Number.isNaN(d.getTime()))
    throw new StrataError("INVALID_HOSTING_REQUEST", `${field}=${JSON.stringify(v)} is not a timestamp.`);
  return d;
}

/** The List* request fields, with timestamps read. */
export function listRequest(input: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...input };
  for (const f of [
    "CreationTimeAfter",
    "CreationTimeBefore",
    "LastModifiedTimeAfter",
    "LastModifiedTimeBefore",
  ]) {
    const d = dateField(input, f);
    if (d !== undefined) out[f] = d;
  }
  return out;
}
