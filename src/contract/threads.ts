/**
 * The worker-thread executor of the algorithm contract: shards go to a fixed set of worker threads (shard i to
 * worker i mod n, each worker taking its shards in order), every worker imports the algorithm by its ref and
 * folds its shards' chunks, and the partials come back to be merged in shard order by `fitRounds`. Rows are
 * never copied to the workers: the matrix is moved into a SharedArrayBuffer once and every shard is a view of
 * it. Asynchronous, message-based and by reference, so a cluster executor can do the same over a queue. Shard i
 * always goes to the same worker, which keeps the shard's memo between the rounds of a fit (contract.ts
 * `ShardMemo`); a worker that dies takes its memos with it, and its successor starts them afresh.
 * @module
 */
import type { Worker } from "node:worker_threads";
import { ERROR_CODES, type ErrorCode, StrataError } from "../errors.js";
import { matrix } from "../linalg/matrix.js";
import { resolveThreads } from "../parallel/pool.js";
import { toShared } from "../parallel/shared.js";
import { terminateWorker } from "../util/native-guard.js";
import { startWorkerModule } from "../util/worker-module.js";
import { type AlgorithmRef, isObjectShard, isStreamShard, type Shard } from "./contract.js";
import { type RoundExecutor, type RoundOptions, settledRound } from "./executor.js";
import type { ForgetMemo, ShardReply, ShardTask } from "./shard-worker.js";

interface Pending {
  resolve(partial: unknown): void;
  reject(error: Error): void;
  readonly slot: number;
  readonly task: ShardTask;
}

/** Runs shards on `threads` worker threads. */
export class ThreadsExecutor implements RoundExecutor {
  readonly #threads: number;
  /** Worker by slot; a worker that exits leaves its slot empty, and the next shard for it starts another. */
  readonly #workers = new Map<number, Worker>();
  readonly #pending = new Map<number, Pending>();
  #nextId = 0;
  #closed = false;

  constructor(options: { threads: number }) {
    this.#threads = resolveThreads(options.threads);
  }

  get where(): string {
    return `${this.#threads} worker thread${this.#threads === 1 ? "" : "s"}`;
  }

  #worker(i: number): Worker {
    let worker = this.#workers.get(i);
    if (worker === undefined) {
      const started = startWorkerModule(new URL("./shard-worker", import.meta.url), {
        name: `strata shard worker ${i}`,
      });
      let failure: Error | undefined;
      started.on("message", (reply: ShardReply) => this.#settle(reply));
      started.on("error", (error) => {
        failure = error;
      });
      started.on("exit", (code) => {
        if (this.#workers.get(i) === started) this.#workers.delete(i);
        if (code !== 0 || failure !== undefined)
          this.#workerDied(i, failure ?? new Error(`a shard worker exited with code ${code}`));
      });
      this.#workers.set(i, started);
      worker = started;
    }
    // Workers hold the process open only while a round waits on them, so a kept executor (see
    // choose-executor.ts) never stops a CLI from exiting.
    worker.ref();
    return worker;
  }

  #settle(reply: ShardReply): void {
    const pending = this.#pending.get(reply.id);
    if (pending === undefined) return;
    this.#pending.delete(reply.id);
    this.#unrefWhenIdle();
    if (reply.error === undefined) pending.resolve(reply.partial);
    else {
      const code = reply.error.code in ERROR_CODES ? (reply.error.code as ErrorCode) : "INTERNAL";
      pending.reject(new StrataError(code, reply.error.message, { details: reply.error.details ?? {} }));
    }
  }

  #unrefWhenIdle(): void {
    if (this.#pending.size === 0) for (const worker of this.#workers.values()) worker.unref();
  }

  /** Posts a task to its slot's worker; a worker that cannot be started or posted to fails the task. */
  #post(id: number, pending: Pending): void {
    try {
      this.#worker(pending.slot).postMessage(pending.task);
    } catch (error) {
      this.#pending.delete(id);
      this.#unrefWhenIdle();
      pending.reject(
        new StrataError(
          "INTERNAL",
          `A shard could not be sent to a worker thread: ${(error as Error).message}`,
          {
            cause: error,
          },
        ),
      );
    }
  }

  /**
   * A worker takes its tasks in order, so the oldest one sent to it is the one it died in: that task fails
   * (naming why), and the tasks queued behind it go to a new worker in the slot — a shard is a pure function
   * of its rows and the state, so running it again is safe. After `close`, they all fail.
   */
  #workerDied(slot: number, error: Error): void {
    const mine = [...this.#pending].filter(([, p]) => p.slot === slot);
    for (const [index, [id, pending]] of mine.entries()) {
      if (index === 0 || this.#closed) {
        this.#pending.delete(id);
        pending.reject(
          new StrataError("INTERNAL", `A shard worker failed: ${error.message}`, { cause: error }),
        );
      } else this.#post(id, pending);
    }
    this.#unrefWhenIdle();
  }

  /** A row shard with its rows (and weights) in shared memory (toShared moves a matrix there once). */
  #sharedShard(shard: Shard): Shard {
    if (isObjectShard(shard) || isStreamShard(shard)) return shard;
    const { weights } = shard;
    return {
      ...shard,
      data: toShared(shard.data),
      weights: weights === undefined ? undefined : toShared(matrix(weights.length, 1, weights)).data,
    };
  }

  round<S, P>(
    ref: AlgorithmRef,
    state: S,
    shards: readonly Shard[],
    options: RoundOptions<P> = {},
  ): Promise<P[]> {
    const { memo, onPartial, onFailure } = options;
    const tasks = shards.map(
      (shard, i) =>
        new Promise<P>((resolve, reject) => {
          const id = this.#nextId++;
          const slot = i % this.#threads;
          const task: ShardTask = { id, ref, state, shard: this.#sharedShard(shard), index: i, memo };
          // The callers' callbacks run inside worker event handlers: one that throws must not escape there.
          const arrived = (partial: unknown) => {
            resolve(partial as P);
            quietly(() => onPartial?.(i, partial as P));
          };
          const failed = (error: Error) => {
            reject(error);
            quietly(() => onFailure?.(i, error));
          };
          const pending: Pending = { resolve: arrived, reject: failed, slot, task };
          this.#pending.set(id, pending);
          this.#post(id, pending);
        }),
    );
    return Promise.allSettled(tasks).then(settledRound);
  }

  forget(memo: string): void {
    const message: ForgetMemo = { forget: memo };
    for (const worker of this.#workers.values()) worker.postMessage(message);
  }

  async close(): Promise<void> {
    this.#closed = true;
    const workers = [...this.#workers.values()];
    this.#workers.clear();
    await Promise.all(workers.map((w) => terminateWorker(w)));
  }
}

/** Runs a caller's callback, keeping its exception out of the worker's event handler (the round goes on). */
function quietly(callback: () => void): void {
  try {
    callback();
  } catch (error) {
    process.emitWarning(`A round's callback threw: ${(error as Error)?.message ?? String(error)}`);
  }
}
