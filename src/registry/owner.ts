/**
 * Which process owns a running job, and whether that process is still alive. A job row records the owner's
 * pid, hostname, a start marker and a random token. The start marker is the kernel's start time of the
 * process (field 22 of `/proc/<pid>/stat`) on Linux, so a recycled pid is recognised as a different
 * process; elsewhere it is the process's own start time and liveness falls back to `kill(pid, 0)`.
 *
 * Tokens name one TrainingService inside a process. A service releases its token when it closes, so a second
 * service in the same process (tests, a server that reopens) can tell "still running" from "left behind by a
 * service that was closed without finishing".
 * @module
 */
import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { hostname } from "node:os";

/** The owner columns of a job row. */
export interface ProcessOwner {
  readonly pid: number;
  readonly hostname: string;
  readonly token: string;
  /** Kernel start time of the process (Linux), or `t<epoch ms>` elsewhere. */
  readonly start: string;
}

/** The owner columns every job and endpoint table has (null pid: no owner recorded). */
export interface OwnerColumns {
  readonly owner_pid: number | null;
  readonly owner_hostname: string | null;
  readonly owner_token: string | null;
  readonly owner_start: string | null;
}

/** The owner of a row, or null when it records none. */
export function ownerFromRow(row: OwnerColumns): ProcessOwner | null {
  return row.owner_pid === null
    ? null
    : {
        pid: row.owner_pid,
        hostname: row.owner_hostname ?? "",
        token: row.owner_token ?? "",
        start: row.owner_start ?? "",
      };
}

/** The owner as its columns (all null for none): the inverse of {@link ownerFromRow}. */
export function ownerColumns(owner: ProcessOwner | null | undefined): OwnerColumns {
  return {
    owner_pid: owner?.pid ?? null,
    owner_hostname: owner?.hostname ?? null,
    owner_token: owner?.token ?? null,
    owner_start: owner?.start ?? null,
  };
}

/** The same values in column order, for statements with positional parameters. */
export function ownerParams(
  owner: ProcessOwner | null | undefined,
): [number | null, string | null, string | null, string | null] {
  const c = ownerColumns(owner);
  return [c.owner_pid, c.owner_hostname, c.owner_token, c.owner_start];
}

/** SQLite's answer to an insert of a primary key that exists (the caller names what exists). */
export function isDuplicateKey(error: unknown): boolean {
  return (error as { code?: string }).code === "SQLITE_CONSTRAINT_PRIMARYKEY";
}

/** Why a job whose process died is Failed (training and transform jobs alike). */
export function orphanReason(pid: number | undefined, what = "job"): string {
  return `The Strata process running this ${what}${pid === undefined ? "" : ` (pid ${pid})`} exited before the ${what} finished.`;
}

/**
 * Tokens of this thread's services that have closed. A token is declared gone only when it is here: each
 * worker thread has its own copy of this module, so a token this thread never saw may belong to a live
 * service on another thread of this process (a console run's training jobs run on the run's thread, while the
 * server's thread lists them).
 */
const releasedTokens = new Set<string>();

/** Reads a process's kernel start time from /proc, or null when unavailable. */
export function procStartTime(pid: number): string | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // The command name (field 2) may contain spaces and parentheses: split after the last ")".
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return fields[19] ?? null; // field 22 overall = index 19 after dropping pid and comm
  } catch {
    return null;
  }
}

let selfStart: string | undefined;
function currentStart(): string {
  selfStart ??= procStartTime(process.pid) ?? `t${Math.round(Date.now() - process.uptime() * 1000)}`;
  return selfStart;
}

/**
 * A new owner identity for this process.
 * @example
 * const owner = createOwner(); // { pid: 1234, hostname: "laptop", token: "…", start: "98765" }
 * releaseOwner(owner);
 */
export function createOwner(): ProcessOwner {
  const owner = { pid: process.pid, hostname: hostname(), token: randomUUID(), start: currentStart() };
  return owner;
}

/** Marks an owner's token as no longer live (its service closed). */
export function releaseOwner(owner: ProcessOwner): void {
  releasedTokens.add(owner.token);
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the pid exists but belongs to someone else; it is alive.
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/**
 * Whether the owner of a job is certainly gone. Owners on another host are never declared gone (their
 * liveness cannot be checked from here).
 */
export function isOwnerGone(owner: ProcessOwner): boolean {
  if (owner.hostname !== hostname()) return false;
  if (owner.pid === process.pid && owner.start === currentStart()) return releasedTokens.has(owner.token);
  if (!pidAlive(owner.pid)) return true;
  const start = procStartTime(owner.pid);
  // A live pid with a different kernel start time is a recycled pid: the owner is gone.
  return start !== null && !owner.start.startsWith("t") && start !== owner.start;
}
