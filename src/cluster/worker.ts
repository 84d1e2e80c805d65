/**
 * `strata worker`: a process that joins a cluster and runs shard tasks (cluster-executor.ts). Each task's shard
 * runs on a worker thread of its own (the contract's ThreadsExecutor, one thread per concurrency slot), so the
 * CPU-bound fold never blocks this thread, which renews BullMQ's lock on the task; a worker that dies loses
 * its lock, and BullMQ hands the task to another worker once the lock expires. A shard's object is read here:
 * a local or shared path as named, an `s3://` or `https://` object through the download cache.
 * @module
 */
import { hostname } from "node:os";
import { serialize } from "node:v8";
import { UnrecoverableError, Worker } from "bullmq";
import { isObjectShard, isStreamShard, loadAlgorithm, type Shard } from "../contract/contract.js";
import { ThreadsExecutor } from "../contract/threads.js";
import { fetchToCache } from "../data/cache.js";
import {
  type AccessRules,
  checkObjectRead,
  type ServerAccessOptions,
  serverAccessRules,
} from "../data/sources/access.js";
import { isStrataError } from "../errors.js";
import { type Logger, silentLogger } from "../util/logger.js";
import { createStopFlag, raiseStopFlag } from "../util/stop-flag.js";
import { spillPartial } from "./partial-store.js";
import { checkReachable, redisConnection, SHARD_QUEUE, STRATA_ERROR_MARK, stopKey } from "./queue.js";
import { redactedUrl } from "./redis-url.js";
import { decodeValue, localRef, type ShardResultData, type ShardTaskData } from "./shard-codec.js";
import { WorkerEntry } from "./worker-registry.js";

/** How often a running shard's worker looks for its job's stop. */
const STOP_POLL_MS = 250;

const STOPPED = "stopped";

export interface ClusterWorkerOptions {
  readonly url: string;
  /** Shards run at once (default 1). */
  readonly concurrency?: number;
  /** Strata home: the download cache, and where local objects may always be read. */
  readonly home: string;
  /** How long a task's lock lasts without renewal: how soon a dead worker's shard runs elsewhere (default 10 s). */
  readonly lockMs?: number;
  /**
   * Where the worker may read and write, as a server may (docs/security.md): local objects under its Strata
   * home and these directories (`--data-root`), outputs (a batch transform's) under its home's artifacts and
   * `--output-root`, s3:// always, http(s) only with `allowHttp` and to public addresses.
   */
  readonly access?: ServerAccessOptions;
  readonly logger?: Logger;
}

export interface ClusterWorker {
  /** This worker's name in the cluster (host and process). */
  readonly name: string;
  close(): Promise<void>;
}

/** Starts a worker; it runs tasks until closed. */
export async function startClusterWorker(options: ClusterWorkerOptions): Promise<ClusterWorker> {
  const logger = options.logger ?? silentLogger;
  const concurrency = options.concurrency ?? 1;
  await checkReachable(options.url, "--redis");
  // A task names the objects its shard reads; the worker reads only where its operator allowed.
  const rules = await serverAccessRules(options.home, {
    ...options.access,
    maxFileBytes: Number.POSITIVE_INFINITY,
  });
  const slots = Array.from({ length: concurrency }, () => new ThreadsExecutor({ threads: 1 }));
  const name = `${hostname()}:${process.pid}`;
  const connection = redisConnection(options.url, "--redis");
  const registry = redisConnection(options.url, "--redis");
  const entry = new WorkerEntry(registry, name, concurrency);
  const worker = new Worker(
    SHARD_QUEUE,
    async (job) => {
      const task = job.data as ShardTaskData;
      if ((await registry.exists(stopKey(task.fit))) === 1)
        throw new UnrecoverableError(`${STOPPED}: its job was stopped before it started`);
      const executor = slots.pop()!;
      const what = `shard ${task.index} of ${String(job.id)}`;
      // A task whose worker died is "stalled", not failed: BullMQ counts those apart.
      const attempt = job.attemptsMade + job.stalledCounter + 1;
      logger.log("info", `${what} started (attempt ${attempt})`);
      entry.started(what);
      let ok = false;
      let stopped = false;
      // Shared with the shard's thread: an algorithm that looks for it (a transform, between batches) ends early.
      const stopFlag = createStopFlag();
      // The job's stop reaches a running shard through its fit's stop key. The shard's thread is not ended
      // (ending a thread inside a DuckDB read aborted the whole process, measured): the shard runs to the end
      // of its object, and its partial is dropped.
      const watch = setInterval(() => {
        void registry.exists(stopKey(task.fit)).then(
          (found) => {
            if (found === 1) {
              stopped = true;
              raiseStopFlag(stopFlag);
            }
          },
          () => undefined,
        );
      }, STOP_POLL_MS);
      try {
        const shard = await localShard(decodeValue<Shard>(task.shard), rules, options.home);
        const ref = localRef(task.ref);
        const algorithm = await loadAlgorithm<unknown, unknown, unknown>(ref);
        const sent = decodeValue(task.state);
        const state = algorithm.atWorker?.(sent, { access: rules, stopFlag }) ?? sent;
        const [partial] = await executor.round(ref, state, [shard]);
        if (stopped || (await registry.exists(stopKey(task.fit))) === 1) {
          stopped = true;
          throw new Error("stopped");
        }
        const bytes = serialize(partial);
        const spill = task.spill;
        if (spill !== undefined && bytes.length >= spill.minBytes) {
          const spilled = await spillPartial(bytes, spill, String(job.id), attempt, rules);
          logger.log("info", `${what}: its partial of ${bytes.length} bytes went to ${spilled.uri}`);
          logger.log("info", `${what} done`);
          ok = true;
          return { spilled, worker: name, attempt } satisfies ShardResultData;
        }
        logger.log("info", `${what} done`);
        ok = true;
        return { partial: bytes.toString("base64"), worker: name, attempt } satisfies ShardResultData;
      } catch (error) {
        if (stopped) {
          logger.log("info", `${what} stopped: its job was stopped`);
          throw new UnrecoverableError(`${STOPPED}: its job was stopped`);
        }
        // A StrataError (bad data, a missing object) fails the same way anywhere: no retry.
        if (isStrataError(error))
          throw new UnrecoverableError(
            `${STRATA_ERROR_MARK}${JSON.stringify({ code: error.code, message: error.message, details: error.details })}`,
          );
        throw error;
      } finally {
        clearInterval(watch);
        slots.push(executor);
        entry.ended(ok);
      }
    },
    {
      connection,
      concurrency,
      name,
      lockDuration: options.lockMs ?? 10_000,
      stalledInterval: Math.max(1000, Math.floor((options.lockMs ?? 10_000) / 2)),
      maxStalledCount: 3,
    },
  );
  worker.on("error", (error) => logger.log("warn", `the cluster's Redis: ${error.message}`));
  await worker.waitUntilReady();
  await entry.write();
  logger.log(
    "info",
    `worker ${name} joined the cluster at ${redactedUrl(options.url)} (concurrency ${concurrency})`,
  );
  return {
    name,
    async close() {
      await worker.close();
      await entry.remove();
      // BullMQ leaves a connection it was given open.
      connection.disconnect();
      registry.disconnect();
      await Promise.all(slots.map((s) => s.close()));
    },
  };
}

/**
 * The shard with its object readable here, checked against the worker's rules first: a remote object fetched
 * into the worker's cache.
 * @throws StrataError LOCATION_NOT_ALLOWED for an object outside the rules
 */
async function localShard(shard: Shard, rules: AccessRules, home: string): Promise<Shard> {
  if (isObjectShard(shard)) {
    await checkObjectRead(shard.object.uri, rules);
    return shard;
  }
  if (!isStreamShard(shard)) return shard;
  const { path, name } = shard.stream;
  if (!/^(s3|https?):\/\//i.test(name)) {
    await checkObjectRead(path, rules);
    return shard;
  }
  // A remote object is read through this worker's own cache: the path the coordinator read it from is on
  // another machine (or, on a shared disk, in another home the worker may not read).
  await checkObjectRead(name, rules);
  const fetched = await fetchToCache(name, { home });
  return { ...shard, stream: { ...shard.stream, path: fetched.path } };
}
