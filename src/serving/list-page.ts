/**
 * The List* conventions of SageMaker's control plane: NameContains (case-insensitive), CreationTimeAfter /
 * CreationTimeBefore, SortBy Name | CreationTime (default CreationTime), SortOrder (default Descending),
 * MaxResults (1–100, default 10… SageMaker's default; Strata returns up to 100 when unset) and an opaque
 * NextToken (here the base64 offset into the sorted list).
 * @module
 */
import { StrataError } from "../errors.js";

/** The filter fields every List* action shares. */
export interface ListRequest {
  readonly NameContains?: string;
  readonly CreationTimeAfter?: Date;
  readonly CreationTimeBefore?: Date;
  readonly SortBy?: string;
  readonly SortOrder?: "Ascending" | "Descending";
  readonly MaxResults?: number;
  readonly NextToken?: string;
  readonly StatusEquals?: string;
}

/**
 * One page of `items`.
 * @throws StrataError INVALID_HOSTING_REQUEST for a NextToken Strata did not issue
 */
export function listPage<T extends { name: string; creationTime: Date; status?: string }>(
  items: readonly T[],
  request: ListRequest,
): { page: T[]; nextToken?: string } {
  const contains = request.NameContains?.toLowerCase();
  const after = request.CreationTimeAfter?.getTime();
  const before = request.CreationTimeBefore?.getTime();
  const filtered = items.filter(
    (i) =>
      (contains === undefined || i.name.toLowerCase().includes(contains)) &&
      (after === undefined || i.creationTime.getTime() > after) &&
      (before === undefined || i.creationTime.getTime() < before) &&
      (request.StatusEquals === undefined || i.status === request.StatusEquals),
  );
  const sign = request.SortOrder === "Ascending" ? 1 : -1;
  const byTime = (a: (typeof filtered)[number], b: (typeof filtered)[number]) =>
    a.creationTime.getTime() - b.creationTime.getTime() || a.name.localeCompare(b.name);
  filtered.sort(
    (a, b) =>
      sign *
      (request.SortBy === "Name"
        ? a.name.localeCompare(b.name)
        : request.SortBy === "Status"
          ? String(a.status ?? "").localeCompare(String(b.status ?? "")) || byTime(a, b)
          : byTime(a, b)),
  );
  // MaxResults is checked where requests arrive (api/wire.ts listRequest).
  const max = request.MaxResults ?? 100;
  let offset = 0;
  if (request.NextToken !== undefined) {
    offset = Number(Buffer.from(request.NextToken, "base64").toString("utf8"));
    if (!Number.isInteger(offset) || offset < 0)
      throw new StrataError(
        "INVALID_HOSTING_REQUEST",
        `NextToken ${JSON.stringify(request.NextToken)} is not one Strata issued.`,
      );
  }
  const page = filtered.slice(offset, offset + max);
  const next = offset + max;
  return next < filtered.length
    ? { page, nextToken: Buffer.from(String(next)).toString("base64") }
    : { page };
}
