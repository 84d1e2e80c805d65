/**
 * The cluster executor of the algorithm contract: each round enqueues one BullMQ job per shard — the
 * algorithm's ref, the round's state and the shard by reference (shard-codec.ts) — for `strata worker`
 * processes to run wherever they are, waits for every partial, and hands them back in shard order, so
 * `fitRounds` merges them exactly as it merges a local executor's. The same shard plan therefore gives the same
 * model, bit for bit, on one process or on many machines. Only shards that name their data can go: an
 * object (a channel's file or S3 object) streamed where it runs. Each task's job id is (executor, round,
 * shard): a task added twice is one job, and its partial is counted once.
 * @module
 */
import { hostname } from "node:os";
import { deserialize } from "node:v8";
import { Job, Queue, QueueEvents } from "bullmq";
import type { Redis } from "ioredis";
import { type AlgorithmRef, isObjectShard, isStreamShard, type Shard } from "../contract/contract.js";
import { type RoundExecutor, type RoundOptions, reported, settledRound } from "../contract/executor.js";
import { ERROR_CODES, type ErrorCode, StrataError } from "../errors.js";
import type { Logger } from "../util/logger.js";
import { type PartialSpill, readSpilled, SPILL_MIN_BYTES } from "./partial-store.js";
import { checkReachable, redisConnection, SHARD_QUEUE, STRATA_ERROR_MARK, stopKey } from "./queue.js";
import { redactedUrl } from "./redis-url.js";
import { decodeValue, encodeTask, type ShardResultData } from "./shard-codec.js";

export interface ClusterExecutorOptions {
  /** The cluster's Redis URL (redis:// or rediss://). */
  readonly url: string;
  /** How the URL was given, for messages (`--cluster`). */
  readonly flag?: string;
  /** How long a round waits for a live worker before failing (default 30 s). */
  readonly noWorkerTimeoutMs?: number;
  /** How long one shard may take, queued and run (default 30 min). */
  readonly shardTimeoutMs?: number;
  /** Tries per shard when a worker fails or dies (default 3). */
  readonly attempts?: number;
  /**
   * Where workers put partials of {@link SPILL_MIN_BYTES} or more instead of Redis (partial-store.ts): an
   * `s3://` prefix or a directory every machine mounts, ending in "/". None: every partial through Redis.
   */
  readonly partials?: string;
  /** Hears, after every round, which worker ran each shard and which shards were retried (the job's log). */
  readonly logger?: Logger;
  /**
   * Hears, after every round, where every shard of the fit so far ran, in one line (a training job's
   * DescribeTrainingJob StatusMessage): {@link ShardPlacement}.
   */
  readonly onPlacement?: (summary: string) => void;
  /**
   * The job's stop: a round in flight then ends at once, its queued tasks are removed and its running ones
   * are stopped where they run (workers watch the fit's stop key).
   */
  readonly signal?: AbortSignal;
}

let executors = 0;

/** Runs rounds on the workers of a cluster. */
export class ClusterExecutor implements RoundExecutor {
  readonly #url: string;
  readonly #options: ClusterExecutorOptions;
  readonly #connections: Redis[] = [];
  readonly #queue: Queue;
  readonly #events: QueueEvents;
  readonly #id = `${hostname()}-${process.pid}-${Date.now().toString(36)}-${++executors}`;
  #round = 0;
  #reached = false;
  #warned = false;
  /** Where the fit's shards ran so far. */
  readonly #placement = new ShardPlacement();

  constructor(options: ClusterExecutorOptions) {
    this.#url = options.url;
    this.#options = options;
    const flag = options.flag ?? "--cluster";
    const connect = () => {
      const c = redisConnection(options.url, flag);
      this.#connections.push(c);
      return c;
    };
    // The events stream carries every finished task's partial: keep it short (BullMQ's default is 10,000).
    this.#queue = new Queue(SHARD_QUEUE, { connection: connect(), streams: { events: { maxLen: 1000 } } });
    this.#events = new QueueEvents(SHARD_QUEUE, { connection: connect() });
    // A lost connection fails the commands that need it, which is where it is reported.
    this.#queue.on("error", () => {});
    this.#events.on("error", () => {});
  }

  get where(): string {
    return `the cluster at ${redactedUrl(this.#url)}`;
  }

  async round<S, P>(
    ref: AlgorithmRef,
    state: S,
    shards: readonly Shard[],
    options: RoundOptions<P> = {},
  ): Promise<P[]> {
    for (const [i, shard] of shards.entries())
      if (!isStreamShard(shard) && !isObjectShard(shard))
        throw new StrataError(
          "INVALID_ARGUMENT",
          `Shard ${i} holds rows in this process's memory; a cluster's workers read their own data, so its shards must name objects (stream the channel: TrainingInputMode Pipe).`,
          { details: { shard: i } },
        );
    if (!this.#reached) {
      await checkReachable(this.#url, this.#options.flag ?? "--cluster");
      this.#reached = true;
    }
    await this.#events.waitUntilReady();
    await this.#waitForWorkers();
    const round = ++this.#round;
    const jobs = await Promise.all(
      shards.map((shard, i) =>
        this.#queue.add("shard", encodeTask(this.#id, ref, state, shard, i, this.#spill()), {
          jobId: `${this.#id}-r${round}-s${i}`,
          attempts: this.#options.attempts ?? 3,
          backoff: { type: "fixed", delay: 200 },
          // A partial is read once, by this round: keep finished tasks briefly.
          removeOnComplete: { age: 600, count: 1000 },
          removeOnFail: { age: 24 * 3600 },
        }),
      ),
    );
    const ran: (ShardResultData | undefined)[] = [];
    // Ends the round's waits once it is over, however it ended (a stop ends it at once): none may keep a timer.
    const over = new AbortController();
    const settled = Promise.allSettled(
      jobs.map((job, i) =>
        reported(
          i,
          async () => {
            const result = await this.#finished(job, over.signal);
            ran[i] = result;
            return this.#partialOf<P>(result, i, String(job.id));
          },
          options,
        ),
      ),
    );
    const results = await this.#unlessStopped(settled, jobs).finally(() => over.abort());
    // A failed round's other tasks are of no use: stop them where they run, drop those still queued.
    if (results.some((r) => r.status === "rejected")) await this.#stopTasks(jobs);
    this.#options.logger?.log("info", `Round ${round}: ${whereShardsRan(ran)}.`);
    ran.forEach((r, shard) => {
      if (r !== undefined) this.#placement.add({ round, shard, worker: r.worker, attempt: r.attempt });
    });
    this.#options.onPlacement?.(this.#placement.summary(round, this.where));
    return settledRound(results);
  }

  /**
   * The round's results, or, when the job is stopped first, its tasks stopped (queued ones removed, running
   * ones told to stop) and the stop's reason thrown.
   */
  async #unlessStopped<T>(settled: Promise<T>, jobs: readonly Job[]): Promise<T> {
    const signal = this.#options.signal;
    if (signal === undefined) return settled;
    let onAbort: (() => void) | undefined;
    const stopped = new Promise<never>((_, reject) => {
      onAbort = () => reject(signal.reason);
      if (signal.aborted) onAbort();
      else signal.addEventListener("abort", onAbort, { once: true });
    });
    try {
      return await Promise.race([settled, stopped]);
    } catch (error) {
      if (signal.aborted) await this.#stopTasks(jobs);
      throw error;
    } finally {
      if (onAbort !== undefined) signal.removeEventListener("abort", onAbort);
    }
  }

  #spill(): PartialSpill | undefined {
    const prefix = this.#options.partials;
    return prefix === undefined ? undefined : { prefix, minBytes: SPILL_MIN_BYTES };
  }

  /** A task's partial: from Redis, or read back from the partials location (and deleted there). */
  async #partialOf<P>(result: ShardResultData, shard: number, taskId: string): Promise<P> {
    if (result.spilled !== undefined) {
      const prefix = this.#options.partials;
      if (prefix === undefined)
        throw new StrataError(
          "TRAINING_JOB_FAILED",
          "A shard's result names a partial, but this fit spills none.",
        );
      return deserialize(await readSpilled(result.spilled, prefix, taskId, result.attempt)) as P;
    }
    const text = result.partial!;
    // base64: 4 characters for 3 bytes.
    if (this.#options.partials === undefined && (text.length * 3) / 4 >= SPILL_MIN_BYTES && !this.#warned) {
      this.#warned = true;
      this.#options.logger?.log(
        "warn",
        `Shard ${shard}'s partial (${Math.round((text.length * 3) / 4 / 1024)} KiB) went through Redis, which keeps it in memory: give the cluster a partials location (--cluster-partials s3://bucket/prefix/) for partials this large.`,
      );
    }
    return decodeValue<P>(text);
  }

  /** Tells the workers to stop this fit's tasks, and removes those still queued. */
  async #stopTasks(jobs: readonly Job[]): Promise<void> {
    const client = redisConnection(this.#url, this.#options.flag ?? "--cluster");
    try {
      await client.set(stopKey(this.#id), "1", "EX", 3600);
    } finally {
      client.disconnect();
    }
    // A running task is locked and cannot be removed: its worker stops it on seeing the key.
    await Promise.all(jobs.map((job) => job.remove().catch(() => undefined)));
  }

  /**
   * A task's return value once it has finished, or its failure as the StrataError the worker threw. Written
   * here rather than BullMQ's `job.waitUntilFinished`, whose timer outlives a closed queue: a round stopped
   * early left a 30-minute timer that kept the coordinator's process from exiting (measured).
   */
  async #finished(job: Job, over: AbortSignal): Promise<ShardResultData> {
    try {
      const result = await this.#waitFor(job, this.#options.shardTimeoutMs ?? 30 * 60_000, over);
      if (result === null || typeof result !== "object")
        throw new Error(`shard task ${job.id} returned no result`);
      return result as ShardResultData;
    } catch (error) {
      const message = (error as Error).message ?? String(error);
      const at = message.indexOf(STRATA_ERROR_MARK);
      if (at >= 0) {
        const e = JSON.parse(message.slice(at + STRATA_ERROR_MARK.length)) as {
          code: string;
          message: string;
          details?: Record<string, unknown>;
        };
        const code = e.code in ERROR_CODES ? (e.code as ErrorCode) : "INTERNAL";
        throw new StrataError(code, e.message, { details: e.details ?? {} });
      }
      throw new StrataError("TRAINING_JOB_FAILED", `A shard failed on the cluster: ${message}`, {
        details: { job: job.id },
      });
    }
  }

  /**
   * The task's return value, from the events stream or — when it finished before we listened — from the job
   * itself; rejects with its failure, `ttl` ms after a worker first took it (time queued behind other tasks
   * does not count), when it is gone from the queue, or when `over` aborts.
   */
  async #waitFor(job: Job, ttl: number, over: AbortSignal): Promise<unknown> {
    await this.#events.waitUntilReady();
    const id = String(job.id);
    const events = this.#events;
    return new Promise((resolve, reject) => {
      const completed = `completed:${id}`;
      const failed = `failed:${id}`;
      const active = `active:${id}`;
      let timer: NodeJS.Timeout | undefined;
      const arm = () => {
        timer ??= setTimeout(
          () => settle(() => reject(new Error(`no result for shard task ${id} ${ttl} ms after it started`))),
          ttl,
        );
      };
      const settle = (then: () => void) => {
        clearTimeout(timer);
        events.off(completed as "completed", onCompleted);
        events.off(failed as "failed", onFailed);
        events.off(active as "active", arm);
        over.removeEventListener("abort", onOver);
        then();
      };
      const onCompleted = (args: { returnvalue: unknown }) => settle(() => resolve(args.returnvalue));
      const onFailed = (args: { failedReason: string }) => settle(() => reject(new Error(args.failedReason)));
      const onOver = () => settle(() => reject(new Error("the round ended before this shard")));
      events.on(completed as "completed", onCompleted);
      events.on(failed as "failed", onFailed);
      events.on(active as "active", arm);
      if (over.aborted) return onOver();
      over.addEventListener("abort", onOver, { once: true });
      // Finished before the listeners were in place: its state says so. The state first, then the job: a job
      // read before it completed carries no return value.
      void (async () => {
        const state = await this.#queue.getJobState(id);
        if (state === "active") return arm();
        if (state !== "completed" && state !== "failed" && state !== "unknown") return;
        const fresh = await Job.fromId(this.#queue, id);
        if (fresh === undefined || state === "unknown")
          onFailed({ failedReason: `shard task ${id} is gone from the queue before its result was read` });
        else if (state === "completed") onCompleted({ returnvalue: fresh.returnvalue });
        else onFailed({ failedReason: fresh.failedReason });
      })().catch(() => undefined);
    });
  }

  /**
   * Resolves once a worker is connected.
   * @throws StrataError SOURCE_UNREACHABLE when none has been for the timeout
   */
  async #waitForWorkers(): Promise<void> {
    const timeout = this.#options.noWorkerTimeoutMs ?? 30_000;
    const deadline = Date.now() + timeout;
    for (;;) {
      if ((await this.#queue.getWorkersCount()) > 0) return;
      if (Date.now() >= deadline)
        throw new StrataError(
          "SOURCE_UNREACHABLE",
          `No worker is connected to ${redactedUrl(this.#url)} (waited ${Math.round(timeout / 1000)} s): start one with \`strata worker --redis <url>\`.`,
          { details: { cluster: redactedUrl(this.#url) } },
        );
      await new Promise((r) => setTimeout(r, 250));
    }
  }

  /** Workers keep no shard memos between rounds: there is nothing to forget. */
  forget(): void {}

  async close(): Promise<void> {
    await this.#events.close();
    await this.#queue.close();
    for (const c of this.#connections) c.disconnect();
  }
}

/** "shards 0, 2 on vm:81; shard 1 on vm:93 (attempt 2: retried)": who ran what in one round. */
export function whereShardsRan(ran: readonly (ShardResultData | undefined)[]): string {
  const byWorker = new Map<string, number[]>();
  const retried: string[] = [];
  ran.forEach((r, i) => {
    if (r === undefined) return;
    byWorker.set(r.worker, [...(byWorker.get(r.worker) ?? []), i]);
    if (r.attempt > 1) retried.push(`shard ${i} retried (attempt ${r.attempt}, on ${r.worker})`);
  });
  const parts = [...byWorker].map(
    ([worker, shards]) => `shard${shards.length === 1 ? "" : "s"} ${shards.join(", ")} on ${worker}`,
  );
  const failed =
    ran.length === 0 ? 0 : [...Array(ran.length).keys()].filter((i) => ran[i] === undefined).length;
  return [...parts, ...retried, ...(failed > 0 ? [`${failed} failed`] : [])].join("; ") || "no shards";
}

/** One shard of one round, and who ran it. */
export interface ShardRun {
  readonly round: number;
  readonly shard: number;
  readonly worker: string;
  /** 1 for a first run; more when the shard was retried (its worker failed, died or was cut off). */
  readonly attempt: number;
}

/** Retried shards a summary names one by one; beyond, it counts them. */
const NAMED_RETRIES = 10;

/**
 * Where a fit's shards ran, kept as counts (a streamed full-batch fit runs thousands of rounds): shards per
 * worker and the first retried shards. `summary` gives "3 rounds on the cluster at redis://10.0.0.2:6379: 12
 * shards ran on vm1:81 (5), vm2:93 (4), vm3:12 (3); retried: round 1 shard 0 (attempt 2, on vm2:93)."
 */
export class ShardPlacement {
  readonly #perWorker = new Map<string, number>();
  readonly #named: string[] = [];
  #shards = 0;
  #retried = 0;

  add(run: ShardRun): void {
    this.#shards++;
    this.#perWorker.set(run.worker, (this.#perWorker.get(run.worker) ?? 0) + 1);
    if (run.attempt <= 1) return;
    this.#retried++;
    if (this.#named.length < NAMED_RETRIES)
      this.#named.push(`round ${run.round} shard ${run.shard} (attempt ${run.attempt}, on ${run.worker})`);
  }

  summary(rounds: number, where: string): string {
    const workers = [...this.#perWorker].map(([w, n]) => `${w} (${n})`).join(", ");
    const named = [...this.#named];
    if (this.#retried > named.length) named.push(`${this.#retried - named.length} more`);
    const shards = `${this.#shards} shard${this.#shards === 1 ? "" : "s"}`;
    return `${rounds} round${rounds === 1 ? "" : "s"} on ${where}: ${shards} ran on ${workers || "no worker"}${named.length === 0 ? "" : `; retried: ${named.join(", ")}`}.`;
  }
}
