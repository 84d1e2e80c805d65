/**
 * The in-process training-job API that `strata train`, `strata run` and the HTTP server share:
 * CreateTrainingJob, DescribeTrainingJob, ListTrainingJobs, StopTrainingJob (SageMaker's shapes), plus log
 * lines and waiting. It owns the jobs it starts: runs them through an JobRunner (worker threads by default),
 * turns their events into lifecycle transitions in the registry, enforces MaxRuntimeInSeconds, and watches
 * the registry for stop requests made by other processes (`strata jobs stop` in another shell).
 *
 * Hyperparameters are validated twice, by the algorithm's own table: at creation without the data (names,
 * types, fixed ranges: an error there means the job is never created), and after the data is read with its
 * shape (num_components <= features, k <= rows, feature_dim = width: an error there ends the job Failed with
 * a `ClientError:` FailureReason naming the parameter).
 * @module
 */
import { EventEmitter } from "node:events";
import {
  type AccessRules,
  checkReadLocation,
  checkWriteLocation,
  UNRESTRICTED,
} from "../data/sources/access.js";
import { StrataError } from "../errors.js";
import { openRegistryDb, type RegistryDb } from "../registry/db.js";
import { createOwner, type ProcessOwner, releaseOwner } from "../registry/owner.js";
import type { Channel } from "./algorithm.js";
import { getAlgorithm } from "./algorithms/index.js";
import { removeIncompleteArtifacts } from "./artifact-cleanup.js";
import {
  type ArnContext,
  defaultArnContext,
  describeRecord,
  type ListTrainingJobsRequest,
  listQuery,
  summarizeRecord,
  trainingJobArn,
} from "./describe.js";
import { advance, initialState, isTerminal, withStatusMessage } from "./lifecycle.js";
import { outcomeLogLine, outcomePatch } from "./outcome.js";
import { recoverOrphanedJobs } from "./recovery.js";
import type { DescribeTrainingJobResponse, TrainingJobSummary } from "./request.js";
import type { JobRunner, RunHandle, RunOutcome, RunPhase } from "./runners/runner.js";
import { ThreadJobRunner } from "./runners/threads.js";
import { type TrainingJobSpec, validateTrainingJobRequest } from "./spec.js";
import { type LogLine, type TrainingJobRecord, TrainingJobStore } from "./training-job-store.js";

/** setTimeout for delays beyond 2^31 − 1 ms (MaxRuntimeInSeconds may be 28 days); unref'd. Returns a cancel. */
function setLongTimeout(ms: number, fire: () => void): () => void {
  const MAX = 2 ** 31 - 1;
  let timer: NodeJS.Timeout;
  const arm = (left: number) => {
    timer = setTimeout(() => (left > MAX ? arm(left - MAX) : fire()), Math.min(left, MAX));
    timer.unref();
  };
  arm(ms);
  return () => clearTimeout(timer);
}

export interface TrainingServiceOptions {
  /** Strata home (default `$STRATA_HOME`, else ~/.strata). */
  readonly home?: string;
  /** Region and account of ARNs (default us-east-1 / 000000000000, or $STRATA_REGION / $STRATA_ACCOUNT_ID). */
  readonly arn?: Partial<ArnContext>;
  /** Where jobs run (default: a ThreadJobRunner). */
  readonly runner?: JobRunner;
  /** Milliseconds a stopped worker gets before it is terminated (default 2000; thread runner only). */
  readonly stopGraceMs?: number;
  /** How often running jobs are checked for stop requests from other processes (default 250 ms). */
  readonly pollIntervalMs?: number;
  /** How often jobs of processes that died are looked for (default 2000 ms). */
  readonly recoveryIntervalMs?: number;
  /** Where jobs may read and write (the server's rules; default anywhere: the CLI). */
  readonly access?: AccessRules;
  /**
   * A cluster's Redis URL: every job's shards run on its workers (`strata worker`), its channels streamed so
   * that each shard names an object the workers read themselves.
   */
  readonly cluster?: string;
  /**
   * Which jobs go to `cluster`: every job ("all", the default: `strata train --cluster`), or only those that
   * ask for more than one instance (`ResourceConfig.InstanceCount` > 1: `strata serve --cluster`).
   */
  readonly clusterJobs?: "all" | "multi-instance";
  /**
   * Where the cluster's workers put partials too large for Redis (an `s3://` prefix or a directory every
   * machine mounts, ending in "/"; cluster/partial-store.ts). None: every partial goes through Redis.
   */
  readonly clusterPartials?: string;
}

export type { ListTrainingJobsRequest } from "./describe.js";

export interface CreateTrainingJobOptions {
  /** Already-decoded channels from an in-process caller; the request's S3Uri values are then only recorded. */
  readonly channels?: { readonly train: Channel; readonly test?: Channel | null };
  /** Extra fields for strata-model.json (`caller`), e.g. the scaler fitted before PCA. */
  readonly callerMetadata?: Record<string, unknown>;
}

export interface WaitOptions {
  /** Give up after this many milliseconds (default: wait forever). */
  readonly timeoutMs?: number;
  /** Registry poll interval for jobs owned by other processes (default 100 ms). */
  readonly pollMs?: number;
}

interface RunningJob {
  readonly handle: RunHandle;
  cancelMaxRuntime: () => void;
  lastProgressWrite: number;
}

/** SageMaker's training-job control plane, in process. */
export class TrainingService {
  readonly store: TrainingJobStore;
  readonly #db: RegistryDb;
  readonly #owner: ProcessOwner;
  readonly #runner: JobRunner;
  readonly #cluster: string | undefined;
  readonly #clusterJobs: "all" | "multi-instance";
  readonly #clusterPartials: string | undefined;
  readonly #arn: ArnContext;
  readonly #running = new Map<string, RunningJob>();
  readonly #changes = new EventEmitter();
  readonly #pollTimer: NodeJS.Timeout;
  readonly #recoveryTimer: NodeJS.Timeout;
  readonly #home: string | undefined;
  readonly #access: AccessRules;
  #closed = false;

  private constructor(db: RegistryDb, options: TrainingServiceOptions) {
    this.#db = db;
    this.store = new TrainingJobStore(db);
    this.#owner = createOwner();
    const home = options.home;
    this.#home = home;
    this.#access = options.access ?? UNRESTRICTED;
    this.#cluster = options.cluster;
    this.#clusterJobs = options.clusterJobs ?? "all";
    this.#clusterPartials = options.clusterPartials;
    this.#runner =
      options.runner ??
      new ThreadJobRunner({
        ...(options.stopGraceMs === undefined ? {} : { graceMs: options.stopGraceMs }),
        ...(home ? { home } : {}),
      });
    this.#arn = { ...defaultArnContext(), ...options.arn };
    this.#changes.setMaxListeners(0);
    this.#pollTimer = setInterval(() => this.#pollStopRequests(), options.pollIntervalMs ?? 250);
    this.#pollTimer.unref();
    // Jobs of processes that died are noticed within seconds even when nobody asks about them.
    this.#recoveryTimer = setInterval(() => this.#safelyRecover(), options.recoveryIntervalMs ?? 2000);
    this.#recoveryTimer.unref();
  }

  /**
   * Opens the registry, marks jobs of dead processes Failed (removing any model.tar.gz they left) and
   * returns a service ready to run jobs.
   * @throws StrataError REGISTRY_UNAVAILABLE
   * @example
   * const jobs = await TrainingService.open({ home: "/tmp/strata" });
   * const { TrainingJobArn } = await jobs.createTrainingJob(request);
   */
  static async open(options: TrainingServiceOptions = {}): Promise<TrainingService> {
    const service = new TrainingService(
      openRegistryDb(options.home === undefined ? {} : { home: options.home }),
      options,
    );
    await service.recover();
    return service;
  }

  /** Marks orphaned jobs Failed and cleans their output; returns their names. */
  async recover(): Promise<string[]> {
    const recovered = recoverOrphanedJobs(this.store);
    await this.#cleanUp(recovered);
    return recovered.map((r) => r.name);
  }

  async #cleanUp(recovered: readonly TrainingJobRecord[]): Promise<void> {
    for (const record of recovered) {
      for (const problem of await removeIncompleteArtifacts(record.request))
        this.store.appendLog(record.name, "warn", problem);
    }
  }

  /**
   * Marks jobs of dead processes Failed now (their artifacts are cleaned up after): a reader must never see
   * InProgress for a job nobody runs. Describe, List and a periodic check call it.
   */
  #recoverNow(): void {
    if (this.#closed) return;
    const recovered = recoverOrphanedJobs(this.store);
    if (recovered.length > 0) void this.#cleanUp(recovered).catch(() => undefined);
  }

  /** The cluster a job runs on, if any (see `clusterJobs`). */
  #clusterFor(spec: TrainingJobSpec): string | undefined {
    if (this.#cluster === undefined) return undefined;
    const instances = spec.request.ResourceConfig?.InstanceCount ?? 1;
    return this.#clusterJobs === "all" || instances > 1 ? this.#cluster : undefined;
  }

  /**
   * CreateTrainingJob: validates the request and the hyperparameters' names and types, records the job
   * (InProgress / Starting) and starts it.
   * @throws StrataError INVALID_JOB_REQUEST, UNKNOWN_HYPERPARAMETER, INVALID_HYPERPARAMETER,
   *   MISSING_HYPERPARAMETER, NOT_IMPLEMENTED, JOB_NAME_IN_USE
   */
  async createTrainingJob(
    request: unknown,
    options: CreateTrainingJobOptions = {},
  ): Promise<{ TrainingJobArn: string }> {
    this.#checkOpen();
    const spec = validateTrainingJobRequest(request, this.#homeOptions());
    getAlgorithm(spec.algorithm).checkHyperParameters(spec.request.HyperParameters);
    if (options.channels === undefined)
      for (const [i, channel] of spec.request.InputDataConfig.entries())
        await checkReadLocation(
          channel.DataSource.S3DataSource.S3Uri,
          this.#access,
          `InputDataConfig[${i}].DataSource.S3DataSource.S3Uri`,
        );
    await checkWriteLocation(
      spec.request.OutputDataConfig.S3OutputPath,
      this.#access,
      "OutputDataConfig.S3OutputPath",
    );
    const name = spec.request.TrainingJobName;
    const now = new Date();
    const arn = trainingJobArn(name, this.#arn);
    this.store.insert({
      name,
      arn,
      algorithm: spec.algorithm,
      request: spec.request,
      state: initialState(now),
      artifactUri: null,
      metadataUri: null,
      progress: null,
      progressMessage: null,
      stopReason: null,
      owner: this.#owner,
    });
    this.store.appendLog(
      name,
      "info",
      `Created training job ${name} (${spec.algorithm}) with HyperParameters ${JSON.stringify(spec.request.HyperParameters)}.`,
      now,
    );
    const channels =
      options.channels === undefined
        ? undefined
        : { train: options.channels.train, test: options.channels.test ?? null };
    const handle = this.#runner.start(
      {
        spec,
        ...(channels === undefined ? {} : { channels }),
        ...(options.callerMetadata === undefined ? {} : { callerMetadata: options.callerMetadata }),
        access: this.#access,
        ...(this.#clusterFor(spec) === undefined
          ? {}
          : {
              cluster: this.#clusterFor(spec),
              ...(this.#clusterPartials === undefined ? {} : { clusterPartials: this.#clusterPartials }),
            }),
      },
      {
        phase: (phase, message) => this.#safely(name, () => this.#onPhase(name, phase, message)),
        log: (level, message, time) =>
          this.#safely(name, () => this.store.appendLog(name, level, message, time)),
        progress: (fraction, message) => this.#safely(name, () => this.#onProgress(name, fraction, message)),
        status: (message) => this.#safely(name, () => this.#onStatus(name, message)),
      },
    );
    const running: RunningJob = { handle, cancelMaxRuntime: () => {}, lastProgressWrite: 0 };
    this.#running.set(name, running);
    running.cancelMaxRuntime = setLongTimeout(spec.request.StoppingCondition.MaxRuntimeInSeconds * 1000, () =>
      this.#onMaxRuntime(name, running),
    );
    void handle.done.then((outcome) => this.#safely(name, () => this.#finish(name, outcome)));
    return { TrainingJobArn: arn };
  }

  /**
   * DescribeTrainingJob.
   * @throws StrataError JOB_NOT_FOUND
   */
  describeTrainingJob(name: string): DescribeTrainingJobResponse {
    const record = this.store.get(name);
    if (isTerminal(record.state.status) || this.#running.has(name))
      return describeRecord(record, this.store.metrics(name));
    this.#recoverNow();
    return describeRecord(this.store.get(name), this.store.metrics(name));
  }

  /** ListTrainingJobs (newest first by default). */
  listTrainingJobs(request: ListTrainingJobsRequest = {}): { TrainingJobSummaries: TrainingJobSummary[] } {
    this.#recoverNow();
    const records = this.store.list(listQuery(request));
    return { TrainingJobSummaries: records.map(summarizeRecord) };
  }

  /**
   * StopTrainingJob: moves an InProgress job to Stopping; it ends Stopped once its worker has stopped (within
   * one algorithm iteration, or after the grace period). Jobs of other processes are stopped by their owner,
   * which polls the registry.
   * @throws StrataError JOB_NOT_FOUND, JOB_NOT_STOPPABLE
   */
  async stopTrainingJob(name: string): Promise<void> {
    await this.recover();
    this.store.update(name, (record) => {
      if (record.state.status !== "InProgress") {
        throw new StrataError(
          "JOB_NOT_STOPPABLE",
          `Training job "${name}" is ${record.state.status}; only an InProgress job can be stopped.`,
          { details: { name, status: record.state.status } },
        );
      }
      return { state: advance(record.state, "Stopping", new Date()), stopReason: "user" };
    });
    this.store.appendLog(name, "info", "StopTrainingJob requested.");
    this.#emit(name);
    this.#running.get(name)?.handle.stop();
  }

  /**
   * A job's log lines with id > sinceId (page with the last id seen).
   * @throws StrataError JOB_NOT_FOUND
   */
  logs(name: string, options: { sinceId?: number; limit?: number } = {}): LogLine[] {
    this.store.get(name);
    return this.store.logs(name, options);
  }

  /**
   * Resolves with the description once the job is Completed, Failed or Stopped (it does not throw on
   * Failed: check TrainingJobStatus).
   * @throws StrataError JOB_NOT_FOUND, WAIT_TIMEOUT
   */
  async waitForCompletion(name: string, options: WaitOptions = {}): Promise<DescribeTrainingJobResponse> {
    const deadline =
      options.timeoutMs === undefined ? Number.POSITIVE_INFINITY : Date.now() + options.timeoutMs;
    const pollMs = options.pollMs ?? 100;
    for (;;) {
      // A job owned by another process that died would never finish: recover it while waiting.
      if (!this.#running.has(name)) await this.recover();
      const description = this.describeTrainingJob(name);
      if (isTerminal(description.TrainingJobStatus)) return description;
      const left = deadline - Date.now();
      if (left <= 0) {
        throw new StrataError(
          "WAIT_TIMEOUT",
          `Training job "${name}" is still ${description.TrainingJobStatus} after ${options.timeoutMs} ms; it keeps running (see \`strata jobs describe ${name}\`).`,
          { details: { name, status: description.TrainingJobStatus, timeoutMs: options.timeoutMs } },
        );
      }
      await new Promise<void>((resolve) => {
        const done = () => {
          clearTimeout(timer);
          this.#changes.off(name, done);
          resolve();
        };
        const timer = setTimeout(done, Math.min(pollMs, left));
        this.#changes.on(name, done);
      });
    }
  }

  /** True when this service sends jobs to a cluster (`--cluster`). */
  get hasCluster(): boolean {
    return this.#cluster !== undefined;
  }

  /**
   * The live workers of this service's cluster (`strata workers`; the API's ListClusterWorkers, a Strata
   * extension): host, load, shards done and failed, last shard, last heartbeat.
   * @throws StrataError INVALID_ARGUMENT when the service has no cluster; SOURCE_UNREACHABLE when its Redis is down
   */
  async listClusterWorkers(): Promise<{ Workers: unknown[] }> {
    const url = this.#cluster;
    if (url === undefined)
      throw new StrataError(
        "INVALID_ARGUMENT",
        "This server has no cluster: start it with strata serve --cluster redis://host:port to list workers.",
      );
    const [{ checkReachable, redisConnection }, { listWorkers }] = await Promise.all([
      import("../cluster/queue.js"),
      import("../cluster/worker-registry.js"),
    ]);
    await checkReachable(url, "--cluster");
    const redis = redisConnection(url, "--cluster");
    try {
      return { Workers: await listWorkers(redis) };
    } finally {
      redis.disconnect();
    }
  }

  /** Names of the jobs this service is running right now. */
  runningJobs(): string[] {
    return [...this.#running.keys()];
  }

  /**
   * Stops every job this service still runs (they end Stopped), waits for them, and closes the registry.
   */
  async close(): Promise<void> {
    if (this.#closed) return;
    const pending = [...this.#running.entries()];
    for (const [name] of pending) {
      try {
        await this.stopTrainingJob(name);
      } catch {
        // Already terminal or stopping: nothing to do.
      }
    }
    await Promise.all(
      pending.map(([, r]) => r.handle.done.then(() => new Promise((resolve) => setImmediate(resolve)))),
    );
    this.#closed = true;
    clearInterval(this.#pollTimer);
    clearInterval(this.#recoveryTimer);
    await this.#runner.close?.();
    releaseOwner(this.#owner);
    this.#db.close();
  }

  #homeOptions(): { home?: string } {
    return this.#home === undefined ? {} : { home: this.#home };
  }

  #checkOpen(): void {
    if (this.#closed) throw new StrataError("INTERNAL", "The TrainingService is closed.");
  }

  #emit(name: string): void {
    this.#changes.emit(name);
  }

  /** Event handlers run on worker messages: a failure must not crash the process; it is logged instead. */
  #safely(name: string, work: () => void): void {
    if (this.#closed) return;
    try {
      work();
    } catch (error) {
      try {
        this.store.appendLog(
          name,
          "error",
          `Strata could not record a job event: ${(error as Error).message}`,
        );
      } catch {
        // The registry itself is unavailable; the job's outcome is still handled by #finish.
      }
    }
  }

  #onPhase(name: string, phase: RunPhase, message?: string): void {
    this.store.update(name, (record) =>
      record.state.status === "InProgress"
        ? {
            state: advance(record.state, phase, new Date(), message === undefined ? {} : { message }),
            progress: null,
            progressMessage: null,
          }
        : null,
    );
    this.#emit(name);
  }

  #onStatus(name: string, message: string): void {
    this.store.update(name, (record) =>
      record.state.status === "InProgress"
        ? { state: withStatusMessage(record.state, message, new Date()) }
        : null,
    );
    this.#emit(name);
  }

  #onProgress(name: string, fraction: number, message?: string): void {
    const running = this.#running.get(name);
    const now = Date.now();
    if (running === undefined || (now - running.lastProgressWrite < 200 && fraction < 1)) return;
    running.lastProgressWrite = now;
    this.store.update(name, () => ({ progress: fraction, progressMessage: message ?? null }));
  }

  #onMaxRuntime(name: string, running: RunningJob): void {
    this.#safely(name, () => {
      const seconds = this.store.get(name).request.StoppingCondition.MaxRuntimeInSeconds;
      const message = `Stopping the training job: MaxRuntimeInSeconds (${seconds} s) exceeded`;
      this.store.update(name, (record) =>
        record.state.status === "InProgress"
          ? { state: advance(record.state, "Stopping", new Date(), { message }), stopReason: "max-runtime" }
          : null,
      );
      this.store.appendLog(name, "warn", `MaxRuntimeInSeconds (${seconds} s) exceeded: stopping the job.`);
      this.#emit(name);
      running.handle.stop();
    });
  }

  #safelyRecover(): void {
    try {
      this.#recoverNow();
    } catch {
      // The registry is busy or closing: the next tick tries again.
    }
  }

  #pollStopRequests(): void {
    if (this.#running.size === 0 || this.#closed) return;
    const names = [...this.#running.keys()];
    const rows = this.#db
      .prepare(
        `SELECT name FROM training_jobs WHERE status = 'Stopping' AND name IN (${names.map(() => "?").join(",")})`,
      )
      .all(...names) as { name: string }[];
    for (const { name } of rows) this.#running.get(name)?.handle.stop();
  }

  #finish(name: string, outcome: RunOutcome): void {
    const running = this.#running.get(name);
    running?.cancelMaxRuntime();
    this.#running.delete(name);
    const now = new Date();
    if (outcome.kind === "completed") this.store.setMetrics(name, outcome.metrics, now);
    const finished = this.store.update(name, (record) => outcomePatch(record, outcome, now));
    const line = outcomeLogLine(finished, outcome);
    this.store.appendLog(name, line.level, line.message, now);
    this.#emit(name);
  }
}
