/**
 * The AWS JSON 1.1 wire form: timestamps travel as epoch seconds (numbers with a fraction), everything else
 * as plain JSON. `toWire` turns the services' `Date`s into seconds for responses; `dateField` reads a
 * request timestamp (seconds, or an ISO string some clients send) into a `Date`.
 * @module
 */

import { StrataError } from "../errors.js";
import { TRAINING_JOB_STATUSES } from "../jobs/lifecycle.js";
import { integerField } from "../util/integer-field.js";

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

/** What one List* action accepts besides the common fields (SageMaker's enums per action). */
export interface ListRules {
  readonly sortBy: readonly string[];
  /** Values of StatusEquals; none when the action has no status filter. */
  readonly statuses?: readonly string[];
}

// Transform jobs have the same five statuses as training jobs.
const JOB_STATUSES: readonly string[] = TRAINING_JOB_STATUSES;

/** SageMaker's SortBy and StatusEquals values per List* action. */
export const LIST_RULES = {
  trainingJobs: { sortBy: ["Name", "CreationTime", "Status"], statuses: JOB_STATUSES },
  transformJobs: { sortBy: ["Name", "CreationTime", "Status"], statuses: JOB_STATUSES },
  endpoints: {
    sortBy: ["Name", "CreationTime", "Status"],
    statuses: [
      "OutOfService",
      "Creating",
      "Updating",
      "SystemUpdating",
      "RollingBack",
      "InService",
      "Deleting",
      "Failed",
      "UpdateRollbackFailed",
    ],
  },
  models: { sortBy: ["Name", "CreationTime"] },
  endpointConfigs: { sortBy: ["Name", "CreationTime"] },
} as const satisfies Record<string, ListRules>;

function listInvalid(field: string, value: unknown, expected: string): StrataError {
  return new StrataError(
    "INVALID_HOSTING_REQUEST",
    `${field}=${JSON.stringify(value)} is invalid: expected ${expected}.`,
    { details: { field } },
  );
}

function oneOfField(
  input: Record<string, unknown>,
  field: string,
  allowed: readonly string[] | undefined,
): void {
  const v = input[field];
  if (v === undefined || v === null) return;
  if (allowed === undefined) throw listInvalid(field, v, "no value: this action has no such filter");
  if (typeof v !== "string" || !allowed.includes(v))
    throw listInvalid(field, v, `one of ${allowed.join(", ")}`);
}

/**
 * The List* request fields, checked as SageMaker checks them (SortBy, SortOrder, StatusEquals, MaxResults,
 * NameContains), with timestamps read.
 * @throws StrataError INVALID_HOSTING_REQUEST naming the field
 */
export function listRequest(input: Record<string, unknown>, rules: ListRules): Record<string, unknown> {
  oneOfField(input, "SortBy", rules.sortBy);
  oneOfField(input, "SortOrder", ["Ascending", "Descending"]);
  oneOfField(input, "StatusEquals", rules.statuses);
  integerField(input["MaxResults"], "MaxResults", { min: 1, max: 100 }, "INVALID_HOSTING_REQUEST", undefined);
  const contains = input["NameContains"];
  if (contains !== undefined && contains !== null && (typeof contains !== "string" || contains.length > 63))
    throw listInvalid("NameContains", contains, "a string of at most 63 characters");
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
