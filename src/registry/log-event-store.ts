/**
 * Every resource's log lines in one place: training jobs keep theirs in `training_job_logs` (written by
 * the training-job store), transform jobs and endpoints in `resource_logs` (written here); the `log_events`
 * view joins them, so readers (CloudWatch Logs in src/api) page through any resource the same way. Events
 * are ordered by (time, id): CloudWatch orders a stream by timestamp, and the SageMaker SDK resumes a stream
 * from the last timestamp it saw.
 * @module
 */
import type { RegistryDb } from "./db.js";

/** Resources that have log lines. */
export type LogKind = "training-job" | "transform-job" | "endpoint";

/** One log line of a resource. */
export interface LogEvent {
  readonly id: number;
  /** The resource's name (job or endpoint). */
  readonly name: string;
  /** Milliseconds since the epoch. */
  readonly time: number;
  readonly level: string;
  readonly message: string;
}

/** What is known of one resource's log lines. */
export interface LogStreamSummary {
  readonly name: string;
  readonly firstTime: number;
  readonly lastTime: number;
  readonly count: number;
  readonly bytes: number;
}

/** A place in the (time, id) order of events. */
export interface LogPosition {
  readonly time: number;
  readonly id: number;
}

export interface LogEventQuery {
  /** Only events after this position (ascending), or before it when `backward`. */
  readonly from?: LogPosition;
  readonly backward?: boolean;
  /** Events at or after this time (ms). */
  readonly startTime?: number;
  /** Events at or before this time (ms). */
  readonly endTime?: number;
  readonly limit: number;
}

/** Log lines of every resource kind, over the registry. */
export class LogEventStore {
  constructor(private readonly db: RegistryDb) {}

  /** Appends a line to a transform job's or an endpoint's log (training jobs log through their own store). */
  append(
    kind: Exclude<LogKind, "training-job">,
    name: string,
    level: string,
    message: string,
    time = new Date(),
  ): void {
    this.db
      .prepare("INSERT INTO resource_logs (kind, name, time, level, message) VALUES (?, ?, ?, ?, ?)")
      .run(kind, name, time.getTime(), level, message);
  }

  /** The resources of one kind with log lines, whose names start with `namePrefix`, by name. */
  streams(kind: LogKind, namePrefix = ""): LogStreamSummary[] {
    return this.db
      .prepare(
        `SELECT name, MIN(time) AS firstTime, MAX(time) AS lastTime, COUNT(*) AS count,
                SUM(length(CAST(message AS BLOB))) AS bytes
           FROM log_events WHERE kind = ? AND substr(name, 1, ?) = ? GROUP BY name ORDER BY name`,
      )
      .all(kind, namePrefix.length, namePrefix) as LogStreamSummary[];
  }

  /**
   * Events of the named resources in (time, id) order: the first `limit` after `from` (or from the start),
   * or with `backward` the last `limit` before `from` (or before the end), still returned ascending.
   */
  events(kind: LogKind, names: readonly string[], query: LogEventQuery): LogEvent[] {
    if (names.length === 0) return [];
    const where = [`kind = ?`, `name IN (${names.map(() => "?").join(",")})`];
    const args: (string | number)[] = [kind, ...names];
    if (query.startTime !== undefined) {
      where.push("time >= ?");
      args.push(query.startTime);
    }
    if (query.endTime !== undefined) {
      where.push("time <= ?");
      args.push(query.endTime);
    }
    if (query.from !== undefined) {
      where.push(
        query.backward ? "(time < ? OR (time = ? AND id < ?))" : "(time > ? OR (time = ? AND id > ?))",
      );
      args.push(query.from.time, query.from.time, query.from.id);
    }
    const order = query.backward ? "time DESC, id DESC" : "time, id";
    const rows = this.db
      .prepare(
        `SELECT id, name, time, level, message FROM log_events WHERE ${where.join(" AND ")} ORDER BY ${order} LIMIT ?`,
      )
      .all(...args, query.limit) as LogEvent[];
    return query.backward ? rows.reverse() : rows;
  }
}
