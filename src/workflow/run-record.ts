/**
 * A run's record in the registry (registry/run-store.ts), kept by executeRun: created when the run starts
 * (unless its caller, the console's run service, created it already), one event per step as the steps go,
 * and Completed with its headline or Failed with the reason at the end. The hooks the caller passed still
 * hear every step; recording wraps them.
 * @module
 */
import { randomBytes } from "node:crypto";
import { resolve } from "node:path";
import type { Summary } from "../explain/summary-document.js";
import { nameFromBase } from "../jobs/names.js";
import { openRegistryDb, type RegistryDb } from "../registry/db.js";
import { releaseOwner } from "../registry/owner.js";
import { type RunHeadline, RunStore } from "../registry/run-store.js";
import type { SegmentationOptions } from "./options.js";

/** A new run id: `run-` and the UTC time to the millisecond, with 4 random hex digits against collisions. */
export function newRunId(): string {
  return `${nameFromBase("run")}-${randomBytes(2).toString("hex")}`;
}

/** The options as stored: everything but functions, the source and the out dir (stored apart). */
export function storedOptions(options: SegmentationOptions): Record<string, unknown> {
  const { source: _source, ...rest } = options as SegmentationOptions & { outDir?: string };
  return JSON.parse(JSON.stringify({ ...rest, outDir: undefined })) as Record<string, unknown>;
}

function headline(summary: Summary & { registeredModels: { name: string; pipeline: string } }): RunHeadline {
  return {
    name: summary.registeredModels.name,
    rows: summary.rows.used,
    features: summary.features.length,
    components: summary.pca.kept,
    clusters: summary.kmeans.k,
    pipelineModel: summary.registeredModels.pipeline,
    entity: summary.entity.many,
    sweep: summary.kSweep !== null,
  };
}

export interface RunRecorder {
  readonly id: string;
  event(kind: "step-start" | "step-done" | "phase", step: string | null, message: string): void;
  complete(summary: Summary & { registeredModels: { name: string; pipeline: string } }): void;
  fail(error: unknown): void;
  close(): void;
}

/**
 * Opens the registry and records the run (or takes over the record `existingId` names).
 * @param home Strata home (default $STRATA_HOME)
 */
export function recordRun(
  options: SegmentationOptions & { outDir: string },
  home: { home?: string },
  existingId?: string,
): RunRecorder {
  const db: RegistryDb = openRegistryDb(home);
  const store = new RunStore(db);
  const id = existingId ?? newRunId();
  const owner =
    existingId === undefined
      ? store.start({
          id,
          source: options.source,
          options: storedOptions(options),
          outDir: resolve(options.outDir),
        })
      : null;
  // A record that cannot be written must not fail the run itself (a busy registry): the run goes on.
  const quietly = (write: () => void) => {
    try {
      write();
    } catch {
      // The run's outputs are what matters; its record is best effort past the start.
    }
  };
  return {
    id,
    event: (kind, step, message) => quietly(() => store.event(id, kind, step, message)),
    complete: (summary) => quietly(() => store.complete(id, headline(summary))),
    fail: (error) =>
      quietly(() =>
        store.fail(id, error instanceof Error ? error.message : `The run failed: ${String(error)}`),
      ),
    close: () => {
      if (owner !== null) releaseOwner(owner);
      db.close();
    },
  };
}
