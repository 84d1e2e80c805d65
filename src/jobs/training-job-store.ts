/**
 * Training jobs in the SQLite registry: rows of `training_jobs` (the normalized request as JSON, the status
 * fields of lifecycle.ts, times, failure reason, artifact URIs, owner), their timestamped log lines and final
 * metrics. Every status change is a read-modify-write inside an IMMEDIATE transaction, so two processes
 * (the job's owner and a `strata jobs stop` in another shell) never overwrite each other's change.
 * @module
 */
import { StrataError } from "../errors.js";
import type { RegistryDb } from "../registry/db.js";
import { isDuplicateKey, ownerColumns, type ProcessOwner } from "../registry/owner.js";
import type { AlgorithmName } from "./algorithm.js";
import type { JobState, TrainingJobStatus } from "./lifecycle.js";
import type { NormalizedTrainingJobRequest } from "./request.js";
import { fromRow, type Row, stateColumns } from "./training-job-rows.js";

/** Why a job was asked to stop. */
export type StopReason = "user" | "max-runtime";

export interface TrainingJobRecord {
  readonly name: string;
  readonly arn: string;
  readonly algorithm: AlgorithmName;
  readonly request: NormalizedTrainingJobRequest;
  readonly state: JobState;
  readonly artifactUri: string | null;
  readonly metadataUri: string | null;
  readonly progress: number | null;
  readonly progressMessage: string | null;
  readonly stopReason: StopReason | null;
  readonly owner: ProcessOwner | null;
}

export interface LogLine {
  readonly id: number;
  readonly time: Date;
  readonly level: string;
  readonly message: string;
}

export interface StoredMetric {
  readonly name: string;
  readonly value: number;
  readonly timestamp: Date;
}

export interface ListJobsQuery {
  readonly status?: TrainingJobStatus;
  readonly nameContains?: string;
  readonly creationTimeAfter?: Date;
  readonly creationTimeBefore?: Date;
  /** Newest first unless "Ascending". */
  readonly sortOrder?: "Ascending" | "Descending";
  /** The key the order applies to (default CreationTime). */
  readonly sortBy?: "Name" | "CreationTime" | "Status";
  readonly limit?: number;
}

/** Changes {@link TrainingJobStore.update} may make besides the state. */
export type RecordPatch = Partial<
  Pick<
    TrainingJobRecord,
    "state" | "artifactUri" | "metadataUri" | "progress" | "progressMessage" | "stopReason" | "owner"
  >
>;

/** Typed access to the training-job tables. */
export class TrainingJobStore {
  constructor(readonly db: RegistryDb) {}

  /**
   * Inserts a new job.
   * @throws StrataError JOB_NAME_IN_USE when the name exists
   */
  insert(record: TrainingJobRecord): void {
    try {
      this.db
        .prepare(
          `INSERT INTO training_jobs (name, arn, algorithm, request_json, status, secondary_status, transitions_json,
             failure_reason, creation_time, training_start_time, training_end_time, last_modified_time,
             artifact_uri, metadata_uri, progress, progress_message, stop_reason,
             owner_pid, owner_hostname, owner_token, owner_start)
           VALUES (@name, @arn, @algorithm, @request_json, @status, @secondary_status, @transitions_json,
             @failure_reason, @creation_time, @training_start_time, @training_end_time, @last_modified_time,
             @artifact_uri, @metadata_uri, @progress, @progress_message, @stop_reason,
             @owner_pid, @owner_hostname, @owner_token, @owner_start)`,
        )
        .run({
          name: record.name,
          arn: record.arn,
          algorithm: record.algorithm,
          request_json: JSON.stringify(record.request),
          ...stateColumns(record.state),
          creation_time: record.state.creationTime.getTime(),
          artifact_uri: record.artifactUri,
          metadata_uri: record.metadataUri,
          progress: record.progress,
          progress_message: record.progressMessage,
          stop_reason: record.stopReason,
          ...ownerColumns(record.owner),
        });
    } catch (error) {
      if (isDuplicateKey(error)) {
        throw new StrataError(
          "JOB_NAME_IN_USE",
          `Training job "${record.name}" already exists: choose another TrainingJobName (or omit it for a timestamped one).`,
          { details: { name: record.name } },
        );
      }
      throw error;
    }
  }

  /** The job, or undefined. */
  find(name: string): TrainingJobRecord | undefined {
    const row = this.db.prepare("SELECT * FROM training_jobs WHERE name = ?").get(name) as Row | undefined;
    return row === undefined ? undefined : fromRow(row);
  }

  /**
   * The job.
   * @throws StrataError JOB_NOT_FOUND
   */
  get(name: string): TrainingJobRecord {
    const record = this.find(name);
    if (record === undefined) {
      throw new StrataError(
        "JOB_NOT_FOUND",
        `Training job "${name}" does not exist: see \`strata jobs list\`.`,
        {
          details: { name },
        },
      );
    }
    return record;
  }

  /** Jobs matching the query, newest first by default. */
  list(query: ListJobsQuery = {}): TrainingJobRecord[] {
    const where: string[] = [];
    const params: unknown[] = [];
    const add = (clause: string, value: unknown) => {
      where.push(clause);
      params.push(value);
    };
    if (query.status !== undefined) add("status = ?", query.status);
    if (query.nameContains !== undefined) add("instr(lower(name), lower(?)) > 0", query.nameContains);
    if (query.creationTimeAfter !== undefined) add("creation_time > ?", query.creationTimeAfter.getTime());
    if (query.creationTimeBefore !== undefined) add("creation_time < ?", query.creationTimeBefore.getTime());
    const order = query.sortOrder === "Ascending" ? "ASC" : "DESC";
    const limit = query.limit === undefined ? "" : ` LIMIT ${Math.max(0, Math.floor(query.limit))}`;
    const key =
      query.sortBy === "Name"
        ? `name ${order}`
        : query.sortBy === "Status"
          ? `status ${order}, creation_time ${order}, name ${order}`
          : `creation_time ${order}, name ${order}`;
    const sql = `SELECT * FROM training_jobs${where.length > 0 ? ` WHERE ${where.join(" AND ")}` : ""} ORDER BY ${key}${limit}`;
    return (this.db.prepare(sql).all(...params) as Row[]).map(fromRow);
  }

  /** Names of jobs not yet terminal (InProgress or Stopping). */
  listUnfinished(): TrainingJobRecord[] {
    return (
      this.db.prepare("SELECT * FROM training_jobs WHERE status IN ('InProgress', 'Stopping')").all() as Row[]
    ).map(fromRow);
  }

  /**
   * Atomically reads a job, lets `change` compute a patch from it (or null for no change) and writes it.
   * `change` may throw (e.g. an illegal transition); nothing is written then.
   * @returns the record after the change
   */
  update(name: string, change: (record: TrainingJobRecord) => RecordPatch | null): TrainingJobRecord {
    const run = this.db.transaction(() => {
      const current = this.get(name);
      const patch = change(current);
      if (patch === null) return current;
      const next: TrainingJobRecord = { ...current, ...patch };
      this.db
        .prepare(
          `UPDATE training_jobs SET status = @status, secondary_status = @secondary_status,
             transitions_json = @transitions_json, failure_reason = @failure_reason,
             training_start_time = @training_start_time, training_end_time = @training_end_time,
             last_modified_time = @last_modified_time, artifact_uri = @artifact_uri, metadata_uri = @metadata_uri,
             progress = @progress, progress_message = @progress_message, stop_reason = @stop_reason,
             owner_pid = @owner_pid, owner_hostname = @owner_hostname, owner_token = @owner_token,
             owner_start = @owner_start
           WHERE name = @name`,
        )
        .run({
          name,
          ...stateColumns(next.state),
          artifact_uri: next.artifactUri,
          metadata_uri: next.metadataUri,
          progress: next.progress,
          progress_message: next.progressMessage,
          stop_reason: next.stopReason,
          ...ownerColumns(next.owner),
        });
      return next;
    });
    return run.immediate();
  }

  /** Appends a log line; returns its id (ids increase, so `sinceId` pages through them). */
  appendLog(name: string, level: string, message: string, time: Date = new Date()): number {
    const info = this.db
      .prepare("INSERT INTO training_job_logs (job_name, time, level, message) VALUES (?, ?, ?, ?)")
      .run(name, time.getTime(), level, message);
    return Number(info.lastInsertRowid);
  }

  /** Log lines with id > sinceId, oldest first. */
  logs(name: string, options: { sinceId?: number; limit?: number } = {}): LogLine[] {
    const rows = this.db
      .prepare(
        "SELECT id, time, level, message FROM training_job_logs WHERE job_name = ? AND id > ? ORDER BY id LIMIT ?",
      )
      .all(name, options.sinceId ?? 0, options.limit ?? 1_000_000) as {
      id: number;
      time: number;
      level: string;
      message: string;
    }[];
    return rows.map((r) => ({ id: r.id, time: new Date(r.time), level: r.level, message: r.message }));
  }

  /** Replaces a job's final metrics. */
  setMetrics(
    name: string,
    metrics: readonly { name: string; value: number }[],
    time: Date = new Date(),
  ): void {
    const write = this.db.transaction(() => {
      this.db.prepare("DELETE FROM training_job_metrics WHERE job_name = ?").run(name);
      const insert = this.db.prepare(
        "INSERT INTO training_job_metrics (job_name, metric_name, value, timestamp) VALUES (?, ?, ?, ?)",
      );
      for (const m of metrics)
        insert.run(name, m.name, Number.isFinite(m.value) ? m.value : null, time.getTime());
    });
    write.immediate();
  }

  /** A job's final metrics, by name. Non-finite values read back as NaN. */
  metrics(name: string): StoredMetric[] {
    const rows = this.db
      .prepare(
        "SELECT metric_name, value, timestamp FROM training_job_metrics WHERE job_name = ? ORDER BY metric_name",
      )
      .all(name) as { metric_name: string; value: number | null; timestamp: number }[];
    return rows.map((r) => ({
      name: r.metric_name,
      value: r.value ?? Number.NaN,
      timestamp: new Date(r.timestamp),
    }));
  }
}
