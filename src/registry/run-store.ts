/**
 * Segmentation runs in the registry: every `strata run` (from the CLI, a library call, or the web console)
 * is a row with its source, options, out dir, status and, when it completes, the headline of its result; its
 * progress is a list of step events. The console lists and follows runs from here, so a run started from a
 * terminal shows up in the browser as it goes. A run whose process died reads Failed, as jobs do.
 * @module
 */
import type { RegistryDb } from "./db.js";
import {
  createOwner,
  isOwnerGone,
  type OwnerColumns,
  orphanReason,
  ownerFromRow,
  ownerParams,
  type ProcessOwner,
} from "./owner.js";

export type RunStatus = "InProgress" | "Completed" | "Failed";

/** What a completed run found, for lists (the whole result is the run's summary.json). */
export interface RunHeadline {
  readonly name: string;
  readonly rows: number;
  readonly features: number;
  readonly components: number;
  readonly clusters: number;
  readonly pipelineModel: string;
  readonly entity: string;
  readonly sweep: boolean;
}

export interface RunRecord {
  readonly id: string;
  readonly source: string;
  readonly options: Record<string, unknown>;
  readonly outDir: string;
  readonly status: RunStatus;
  readonly creationTime: number;
  readonly endTime: number | null;
  readonly failureReason: string | null;
  readonly headline: RunHeadline | null;
}

/** One step event: a step started or finished, a phase (reading, writing, report), or the end. */
export interface RunEvent {
  readonly seq: number;
  readonly time: number;
  readonly kind: "step-start" | "step-done" | "phase" | "end";
  readonly step: string | null;
  readonly message: string;
}

interface RunRow extends OwnerColumns {
  id: string;
  source: string;
  options_json: string;
  out_dir: string;
  status: RunStatus;
  creation_time: number;
  end_time: number | null;
  failure_reason: string | null;
  result_json: string | null;
}

function fromRow(row: RunRow): RunRecord {
  return {
    id: row.id,
    source: row.source,
    options: JSON.parse(row.options_json) as Record<string, unknown>,
    outDir: row.out_dir,
    status: row.status,
    creationTime: row.creation_time,
    endTime: row.end_time,
    failureReason: row.failure_reason,
    headline: row.result_json === null ? null : (JSON.parse(row.result_json) as RunHeadline),
  };
}

/** Most runs a list returns. */
export const MAX_LISTED_RUNS = 500;

export class RunStore {
  constructor(
    private readonly db: RegistryDb,
    private readonly now: () => number = Date.now,
  ) {}

  /** Records a run that starts now, owned by this process. */
  start(
    run: { id: string; source: string; options: Record<string, unknown>; outDir: string },
    owner: ProcessOwner = createOwner(),
  ): ProcessOwner {
    this.db
      .prepare(
        `INSERT INTO runs (id, source, options_json, out_dir, status, creation_time,
           owner_pid, owner_hostname, owner_token, owner_start)
         VALUES (?, ?, ?, ?, 'InProgress', ?, ?, ?, ?, ?)`,
      )
      .run(run.id, run.source, JSON.stringify(run.options), run.outDir, this.now(), ...ownerParams(owner));
    return owner;
  }

  event(id: string, kind: RunEvent["kind"], step: string | null, message: string): void {
    this.db
      .prepare("INSERT INTO run_events (run_id, time, kind, step, message) VALUES (?, ?, ?, ?, ?)")
      .run(id, this.now(), kind, step, message);
  }

  complete(id: string, headline: RunHeadline): void {
    this.db
      .prepare("UPDATE runs SET status = 'Completed', end_time = ?, result_json = ? WHERE id = ?")
      .run(this.now(), JSON.stringify(headline), id);
    this.event(id, "end", null, "Completed");
  }

  fail(id: string, reason: string): void {
    this.db
      .prepare("UPDATE runs SET status = 'Failed', end_time = ?, failure_reason = ? WHERE id = ?")
      .run(this.now(), reason, id);
    this.event(id, "end", null, `Failed: ${reason}`);
  }

  /** Marks Failed the runs whose process is gone. */
  #recover(rows: RunRow[]): RunRow[] {
    return rows.map((row) => {
      const owner = ownerFromRow(row);
      if (row.status !== "InProgress" || owner === null || !isOwnerGone(owner)) return row;
      const reason = orphanReason(owner.pid, "run");
      this.fail(row.id, reason);
      return { ...row, status: "Failed", failure_reason: reason, end_time: this.now() };
    });
  }

  get(id: string): RunRecord | null {
    const row = this.db.prepare("SELECT * FROM runs WHERE id = ?").get(id) as RunRow | undefined;
    return row === undefined ? null : fromRow(this.#recover([row])[0]!);
  }

  /** Newest first. */
  list(limit = MAX_LISTED_RUNS): RunRecord[] {
    const rows = this.db
      .prepare("SELECT * FROM runs ORDER BY creation_time DESC, id DESC LIMIT ?")
      .all(Math.min(limit, MAX_LISTED_RUNS)) as RunRow[];
    return this.#recover(rows).map(fromRow);
  }

  /** The run's events after `afterSeq`, oldest first. */
  events(id: string, afterSeq = 0): RunEvent[] {
    return this.db
      .prepare(
        "SELECT seq, time, kind, step, message FROM run_events WHERE run_id = ? AND seq > ? ORDER BY seq",
      )
      .all(id, afterSeq) as RunEvent[];
  }
}
