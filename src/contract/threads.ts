/**
 * The worker-thread executor of the algorithm contract: shards go to a fixed set of worker threads (shard i to
 * worker i mod n, each worker taking its shards in order), every worker imports the algorithm by its ref and
 * folds its shards' chunks, and the partials come back to be merged in shard order by `fitRounds`. Rows are
 * never copied to the workers: the matrix is moved into a SharedArrayBuffer once and every shard is a view of
 * it. Asynchronous, message-based and by reference, so a cluster executor can do the same over a queue.
 * @module
 */
import type { Worker } from "node:worker_threads";
import { ERROR_CODES, type ErrorCode, StrataError } from "../errors.js";
import { resolveThreads } from "../parallel/pool.js";
import { toShared } from "../parallel/shared.js";
import { startWorkerModule } from "../util/worker-module.js";
import type { AlgorithmRef, RowShard } from "./contract.js";
import type { RoundExecutor } from "./executor.js";
import type { ShardReply, ShardTask } from "./shard-worker.js";

interface Pending {
  resolve(partial: unknown): void;
  reject(error: Error): void;
}

/** Runs shards on `threads` worker threads. */
export class ThreadsExecutor implements RoundExecutor {
  readonly #threads: number;
  readonly #workers: Worker[] = [];
  readonly #pending = new Map<number, Pending>();
  #nextId = 0;

  constructor(options: { threads: number }) {
    this.#threads = resolveThreads(options.threads);
  }

  get where(): string {
    return `${this.#threads} worker thread${this.#threads === 1 ? "" : "s"}`;
  }

  #worker(i: number): Worker {
    while (this.#workers.length <= i) {
      const worker = startWorkerModule(new URL("./shard-worker", import.meta.url), {
        name: `strata shard worker ${this.#workers.length}`,
      });
      worker.on("message", (reply: ShardReply) => this.#settle(reply));
      worker.on("error", (error) => this.#failAll(error));
      worker.on("exit", (code) => {
        if (code !== 0) this.#failAll(new Error(`a shard worker exited with code ${code}`));
      });
      this.#workers.push(worker);
    }
    const worker = this.#workers[i]!;
    // Workers hold the process open only while a round waits on them, so a kept executor (see
    // choose-executor.ts) never stops a CLI from exiting.
    worker.ref();
    return worker;
  }

  #settle(reply: ShardReply): void {
    const pending = this.#pending.get(reply.id);
    if (pending === undefined) return;
    this.#pending.delete(reply.id);
    if (this.#pending.size === 0) for (const worker of this.#workers) worker.unref();
    if (reply.error === undefined) pending.resolve(reply.partial);
    else {
      const code = reply.error.code in ERROR_CODES ? (reply.error.code as ErrorCode) : "INTERNAL";
      pending.reject(new StrataError(code, reply.error.message, { details: reply.error.details ?? {} }));
    }
  }

  #failAll(error: Error): void {
    for (const worker of this.#workers) worker.unref();
    for (const [id, pending] of this.#pending) {
      this.#pending.delete(id);
      pending.reject(
        new StrataError("INTERNAL", `A shard worker failed: ${error.message}`, { cause: error }),
      );
    }
  }

  /** The shard with its rows in shared memory (toShared moves a matrix there once). */
  #sharedShard(shard: RowShard): RowShard {
    return { ...shard, data: toShared(shard.data) };
  }

  round<S, P>(ref: AlgorithmRef, state: S, shards: readonly RowShard[]): Promise<P[]> {
    return Promise.all(
      shards.map(
        (shard, i) =>
          new Promise<P>((resolve, reject) => {
            const id = this.#nextId++;
            this.#pending.set(id, { resolve: resolve as (p: unknown) => void, reject });
            const task: ShardTask = { id, ref, state, shard: this.#sharedShard(shard) };
            this.#worker(i % this.#threads).postMessage(task);
          }),
      ),
    );
  }

  async close(): Promise<void> {
    const workers = this.#workers.splice(0);
    await Promise.all(workers.map((w) => w.terminate()));
  }
}
