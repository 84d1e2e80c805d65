/**
 * Transform jobs in the SQLite registry (`transform_jobs` of migration 1): the validated request as JSON, the
 * status and failure reason as columns, and the progress fields SageMaker's DescribeTransformJob returns
 * (start and end times) in `description_json`. The owner columns name the process running the job, so a
 * job left InProgress by a process that died is recognised and marked Failed.
 * @module
 */
import { StrataError } from "../errors.js";
import type { RegistryDb } from "./db.js";
import { isDuplicateKey, ownerFromRow, ownerParams, type ProcessOwner } from "./owner.js";

export type TransformJobStatus = "InProgress" | "Completed" | "Failed" | "Stopping" | "Stopped";

/** Fields of `description_json`. */
export interface TransformJobProgress {
  readonly startTime?: number;
  readonly endTime?: number;
  readonly objects?: number;
  readonly records?: number;
}

export interface TransformJobRecord<T> {
  readonly name: string;
  readonly arn: string;
  readonly modelName: string;
  readonly request: T;
  readonly status: TransformJobStatus;
  readonly failureReason: string | null;
  readonly progress: TransformJobProgress;
  readonly creationTime: Date;
  readonly lastModifiedTime: Date;
  readonly owner: ProcessOwner | null;
}

interface Row {
  name: string;
  arn: string;
  model_name: string;
  request_json: string;
  status: string;
  failure_reason: string | null;
  description_json: string;
  creation_time: number;
  last_modified_time: number;
  owner_pid: number | null;
  owner_hostname: string | null;
  owner_token: string | null;
  owner_start: string | null;
}

function fromRow<T>(r: Row): TransformJobRecord<T> {
  return {
    name: r.name,
    arn: r.arn,
    modelName: r.model_name,
    request: JSON.parse(r.request_json) as T,
    status: r.status as TransformJobStatus,
    failureReason: r.failure_reason,
    progress: JSON.parse(r.description_json) as TransformJobProgress,
    creationTime: new Date(r.creation_time),
    lastModifiedTime: new Date(r.last_modified_time),
    owner: ownerFromRow(r),
  };
}

export type TransformJobPatch = Partial<
  Pick<TransformJobRecord<unknown>, "status" | "failureReason" | "progress" | "owner">
>;

/** Typed access to `transform_jobs`. */
export class TransformJobStore {
  constructor(readonly db: RegistryDb) {}

  /** @throws StrataError RESOURCE_IN_USE when the name exists (SageMaker's ResourceInUse) */
  insert<T>(record: TransformJobRecord<T>): void {
    try {
      this.db
        .prepare(
          `INSERT INTO transform_jobs (name, arn, model_name, request_json, status, failure_reason, description_json,
             creation_time, last_modified_time, owner_pid, owner_hostname, owner_token, owner_start)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(
          record.name,
          record.arn,
          record.modelName,
          JSON.stringify(record.request),
          record.status,
          record.failureReason,
          JSON.stringify(record.progress),
          record.creationTime.getTime(),
          record.lastModifiedTime.getTime(),
          ...ownerParams(record.owner),
        );
    } catch (e) {
      if (isDuplicateKey(e)) {
        throw new StrataError(
          "RESOURCE_IN_USE",
          `Transform job "${record.name}" already exists; pick another TransformJobName.`,
          {
            details: { name: record.name },
          },
        );
      }
      throw e;
    }
  }

  get<T>(name: string): TransformJobRecord<T> | null {
    const row = this.db.prepare("SELECT * FROM transform_jobs WHERE name = ?").get(name) as Row | undefined;
    return row === undefined ? null : fromRow<T>(row);
  }

  list<T>(): TransformJobRecord<T>[] {
    return (
      this.db.prepare("SELECT * FROM transform_jobs ORDER BY creation_time DESC, name").all() as Row[]
    ).map((r) => fromRow<T>(r));
  }

  /** Jobs still InProgress or Stopping (the status index answers it). */
  listUnfinished<T>(): TransformJobRecord<T>[] {
    return (
      this.db
        .prepare("SELECT * FROM transform_jobs WHERE status IN ('InProgress', 'Stopping') ORDER BY name")
        .all() as Row[]
    ).map((r) => fromRow<T>(r));
  }

  /** Applies a patch in an IMMEDIATE transaction; `change` returns null to leave the row alone. */
  update<T>(
    name: string,
    change: (current: TransformJobRecord<T>) => TransformJobPatch | null,
    now = new Date(),
  ): void {
    const run = this.db.transaction(() => {
      const current = this.get<T>(name);
      if (current === null) return;
      const patch = change(current);
      if (patch === null) return;
      const next = { ...current, ...patch };
      this.db
        .prepare(
          `UPDATE transform_jobs SET status = ?, failure_reason = ?, description_json = ?, last_modified_time = ?,
             owner_pid = ?, owner_hostname = ?, owner_token = ?, owner_start = ? WHERE name = ?`,
        )
        .run(
          next.status,
          next.failureReason,
          JSON.stringify(next.progress),
          now.getTime(),
          ...ownerParams(next.owner),
          name,
        );
    });
    run.immediate();
  }
}
