/**
 * Large partials go around Redis: a worker whose partial is larger than the task's threshold (a PCA scatter of
 * 1,000 columns is 8 MB) writes it to the cluster's partials location — an `s3://` prefix, or a directory every
 * machine mounts — and returns only a reference with its size and SHA-256; the coordinator reads it, checks
 * both, and deletes it. Redis keeps every finished task's return value for a while, and BullMQ's events
 * stream carries it once more, so megabytes there are megabytes of Redis memory each (noeviction: when it is
 * full, the cluster stops).
 * @module
 */
import { createHash } from "node:crypto";
import { resolve } from "node:path";
import { type AccessRules, checkWriteLocation } from "../data/sources/access.js";
import { resolveStore } from "../data/sources/resolve.js";
import { StrataError } from "../errors.js";

/**
 * A partials location as given (`--cluster-partials`): an `s3://` prefix or a local directory (a path or
 * `file://`), made to end in "/"; a local one made absolute.
 * @throws StrataError INVALID_ARGUMENT naming the flag, for http(s) or another scheme
 */
export function partialsLocation(value: string, flag: string): string {
  const withSlash = value.endsWith("/") ? value : `${value}/`;
  if (/^s3:\/\/[^/]+\//i.test(withSlash)) return withSlash;
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(value) && !/^file:\/\//i.test(value))
    throw new StrataError(
      "INVALID_ARGUMENT",
      `${flag} ${JSON.stringify(value)} is invalid: expected an s3://bucket/prefix/ or a directory every machine of the cluster mounts.`,
      { details: { flag } },
    );
  const path = value.replace(/^file:\/\//i, "");
  const absolute = resolve(path);
  return absolute.endsWith("/") ? absolute : `${absolute}/`;
}

/** Partials at least this large go to the partials location when the cluster has one: 1 MiB. */
export const SPILL_MIN_BYTES = 1024 * 1024;

/** Where a task's worker puts a large partial (the coordinator's `partials` location). */
export interface PartialSpill {
  /** A URI prefix ending in "/": `s3://bucket/prefix/`, or a directory shared by every machine. */
  readonly prefix: string;
  readonly minBytes: number;
}

/** A partial written to the partials location, by reference. */
export interface SpilledPartial {
  readonly uri: string;
  readonly bytes: number;
  readonly sha256: string;
}

function sha256(bytes: Uint8Array): string {
  return createHash("sha256").update(bytes).digest("hex");
}

/**
 * Writes a task's serialized partial under the prefix, as `<task id>-a<attempt>.partial` (a retried task writes
 * its own), after checking the worker may write there.
 * @throws StrataError LOCATION_NOT_ALLOWED when the worker's rules forbid the location
 */
export async function spillPartial(
  bytes: Uint8Array,
  spill: PartialSpill,
  taskId: string,
  attempt: number,
  rules: AccessRules,
): Promise<SpilledPartial> {
  // The task id came from the queue: a name of its own, never a path.
  if (!/^[A-Za-z0-9_-][A-Za-z0-9._-]*$/.test(taskId) || taskId.includes(".."))
    throw new StrataError(
      "INVALID_ARGUMENT",
      `A shard task's id ${JSON.stringify(taskId)} cannot name a partial.`,
      {
        details: { taskId },
      },
    );
  const uri = spilledUri(spill.prefix, taskId, attempt);
  await checkWriteLocation(uri, rules, "The cluster's partials location");
  await resolveStore(uri).put(uri, bytes);
  return { uri, bytes: bytes.length, sha256: sha256(bytes) };
}

/** Where the partial of task `taskId`'s attempt goes under `prefix`. */
function spilledUri(prefix: string, taskId: string, attempt: number): string {
  return `${prefix}${taskId}-a${attempt}.partial`;
}

/**
 * The partial a worker spilled for task `taskId`: read, checked against its size and hash, then deleted. The
 * coordinator reads only where its own prefix and the task say — never a location a result names (a result
 * comes from the queue: it could name any file).
 * @throws StrataError TRAINING_JOB_FAILED when it is missing, short, altered, or not where it should be
 */
export async function readSpilled(
  ref: SpilledPartial,
  prefix: string,
  taskId: string,
  attempt: number,
): Promise<Uint8Array> {
  const uri = Number.isInteger(attempt) && attempt > 0 ? spilledUri(prefix, taskId, attempt) : "";
  if (uri !== ref.uri)
    throw new StrataError(
      "TRAINING_JOB_FAILED",
      `A shard's result names its partial at ${JSON.stringify(ref.uri)}, not under the cluster's partials location ${prefix} as task ${taskId} should.`,
      { details: { uri: ref.uri } },
    );
  const store = resolveStore(ref.uri);
  const bytes = await store.getBytes(ref.uri);
  if (bytes.length !== ref.bytes || sha256(bytes) !== ref.sha256)
    throw new StrataError(
      "TRAINING_JOB_FAILED",
      `A shard's partial at ${ref.uri} is not the one its worker wrote (${bytes.length} bytes, expected ${ref.bytes} with SHA-256 ${ref.sha256}).`,
      { details: { uri: ref.uri } },
    );
  await store.delete(ref.uri).catch(() => undefined);
  return bytes;
}
