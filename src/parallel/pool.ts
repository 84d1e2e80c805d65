/**
 * A small, synchronous worker-thread pool shared by the PCA and K-Means engines. Work is split into
 * numbered shards (fixed row blocks, independent of the thread count); every participant — the calling
 * thread and each worker — claims the next shard with one `Atomics.add` on a shared counter and writes the
 * shard's result into its own slot of a SharedArrayBuffer. The caller then merges the slots in shard order
 * (Chan et al.'s pairwise update for PCA, plain addition for the Lloyd partials of Hamerly 2010's bounds
 * kernel), so the answer does not depend on how many threads ran, nor on which thread took which shard.
 *
 * Why synchronous: `PCA.fit` and `KMeans.fit` are synchronous public APIs. The caller posts the task to each
 * worker's port, bumps an epoch word and blocks in `Atomics.wait` until the done counter reaches the number
 * of shards. The caller takes shards too, so a worker that is still booting (a cold pool) only means the
 * caller does more of the work: nothing ever waits for a worker to start. Workers are `unref`'d and block in
 * `Atomics.wait` between tasks, so an idle pool never keeps the process alive.
 *
 * With `callerWaits` (K-Means), the pool runs `threads` workers and the caller only waits while they take
 * every shard — measured ~6% faster per Lloyd iteration at 1M×5 with 2 threads on a 2-core host (BENCHMARKS.md,
 * 2026-12-01). The caller still takes shards while any worker is booting, and again whenever a wait passes
 * `IDLE_TAKEOVER_MS` with no shard finished, so a cold or broken pool never stalls a fit.
 * @module
 */
import { availableParallelism } from "node:os";
import { MessageChannel, type MessagePort, receiveMessageOnPort, type Worker } from "node:worker_threads";
import { StrataError } from "../errors.js";
import { terminateWorker } from "../util/native-guard.js";
import { startWorkerModule } from "../util/worker-module.js";
import {
  CONTROL_EPOCH,
  CONTROL_READY,
  COUNTER_DONE,
  COUNTER_FAILED,
  drainShards,
  type KernelRef,
  type TaskMessage,
} from "./protocol.js";

/** A kernel that computes one shard, reading its inputs from and writing its result to `args`. */
export type ShardKernel<A> = (args: A, shard: number) => void;

/** How long the caller waits for claimed shards before giving up (a worker died mid-shard). */
const TASK_TIMEOUT_MS = 10 * 60 * 1000;

/** With `callerWaits`, how long the caller waits with no shard finished before it claims shards itself. */
const IDLE_TAKEOVER_MS = 50;

/** How a caller takes part in {@link WorkerPool.run} and {@link runSharded}. */
export interface RunOptions {
  /**
   * When true and there are at least 2 participants, all of them are workers and the caller only waits
   * (it still takes shards while workers boot or stall). The pool must have `participants` workers.
   */
  readonly callerWaits?: boolean;
}

/** The default thread count: every core the OS offers us, at most 8. */
export function defaultThreads(): number {
  return Math.max(1, Math.min(8, availableParallelism()));
}

/**
 * Resolves a caller's `threads` option: undefined means {@link defaultThreads}; anything else must be a
 * positive integer.
 * @throws INVALID_ARGUMENT for 0, negatives and fractions.
 */
export function resolveThreads(threads: number | undefined): number {
  if (threads === undefined) return defaultThreads();
  if (!Number.isInteger(threads) || threads < 1) {
    throw new StrataError(
      "INVALID_ARGUMENT",
      `threads=${threads} is invalid: expected an integer of at least 1.`,
      {
        details: { name: "threads", value: threads },
      },
    );
  }
  return threads;
}

interface PoolWorker {
  readonly worker: Worker;
  readonly port: MessagePort;
}

/** Worker threads that run named shard kernels; see the module header for the protocol. */
export class WorkerPool {
  private readonly control = new Int32Array(new SharedArrayBuffer(4 * 4));
  private readonly workers: PoolWorker[] = [];
  private closed = false;

  /** Worker threads started (the caller's thread is one more participant). */
  get numWorkers(): number {
    return this.workers.length;
  }

  /** Workers that have loaded and wait for tasks. */
  get numReady(): number {
    return Atomics.load(this.control, CONTROL_READY);
  }

  /**
   * Resolves once every started worker has loaded (a cold worker only means the caller does more shards, but
   * benchmarks and long-lived hosts may want the threads up front).
   * @throws INTERNAL when they are not up within `timeoutMs`.
   */
  async ready(timeoutMs = 60_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (this.numReady < this.workers.length) {
      if (Date.now() > deadline) {
        throw new StrataError(
          "INTERNAL",
          `Only ${this.numReady} of ${this.workers.length} worker threads started.`,
        );
      }
      await new Promise((r) => setTimeout(r, 10));
    }
  }

  /** Starts workers until there are `count` (never stops any). */
  grow(count: number): void {
    if (this.closed) throw new StrataError("INTERNAL", "The worker pool is shut down.");
    while (this.workers.length < count) {
      const { port1, port2 } = new MessageChannel();
      const worker = startWorkerModule(new URL("./worker-entry", import.meta.url), {
        workerData: { control: this.control, port: port2 },
        transferList: [port2],
      });
      worker.unref();
      port1.unref();
      // A worker that fails to boot only leaves more shards to the caller; say so on stderr, once.
      worker.on("error", (e) => process.emitWarning(`strata worker thread failed: ${(e as Error).message}`));
      this.workers.push({ worker, port: port1 });
    }
  }

  /**
   * Runs `kernel` over shards 0..numShards-1 on the caller and up to `participants - 1` workers (with
   * `callerWaits`: on up to `participants` workers while the caller waits), and returns when every shard is
   * done. `fn` is the caller's copy of the kernel `kernel` names (the export the workers
   * import). `args` is structured-cloned to the workers: outputs must live in SharedArrayBuffers.
   * @throws INTERNAL when a shard's kernel threw (on any thread) or a worker stopped mid-shard.
   */
  run<A>(
    kernel: KernelRef,
    fn: ShardKernel<A>,
    args: A,
    numShards: number,
    participants: number,
    options: RunOptions = {},
  ): void {
    const counter = new Int32Array(new SharedArrayBuffer(4 * 4));
    const waits = options.callerWaits === true && participants >= 2;
    const wanted = Math.min(participants, numShards) - (waits ? 0 : 1);
    const helpers = this.workers.slice(0, Math.max(0, wanted));
    if (helpers.length > 0) {
      const epoch = Atomics.load(this.control, CONTROL_EPOCH) + 1;
      const message: TaskMessage = { epoch, kernel, args, counter, numShards };
      for (const w of helpers) w.port.postMessage(message);
      Atomics.store(this.control, CONTROL_EPOCH, epoch);
      Atomics.notify(this.control, CONTROL_EPOCH);
    }
    const drain = fn as (args: unknown, shard: number) => void;
    // Waiting is only safe once every worker is up; until then the caller takes shards as before.
    const caller = !waits || helpers.length === 0 || this.numReady < this.workers.length;
    if (caller) drainShards(drain, args, counter, numShards);
    const deadline = Date.now() + TASK_TIMEOUT_MS;
    for (let done = Atomics.load(counter, COUNTER_DONE); done < numShards; ) {
      if (Atomics.load(counter, COUNTER_FAILED) !== 0) break;
      if (Date.now() > deadline) {
        throw new StrataError(
          "INTERNAL",
          `A worker thread did not finish its shard of ${kernel.name} in time.`,
        );
      }
      const r = Atomics.wait(counter, COUNTER_DONE, done, caller ? 1000 : IDLE_TAKEOVER_MS);
      // No shard finished for a while: take over the unclaimed ones (a stalled or lost worker).
      if (!caller && r === "timed-out") drainShards(drain, args, counter, numShards);
      done = Atomics.load(counter, COUNTER_DONE);
    }
    if (Atomics.load(counter, COUNTER_FAILED) !== 0) {
      const reasons = helpers.flatMap((w) => {
        const m = receiveMessageOnPort(w.port)?.message as { error?: string } | undefined;
        return m?.error === undefined ? [] : [m.error];
      });
      throw new StrataError(
        "INTERNAL",
        `Shard kernel ${kernel.name} failed in a worker thread: ${reasons.join("; ")}`,
      );
    }
  }

  /** Stops every worker and waits for them to exit. The pool cannot be used afterwards. */
  async close(): Promise<void> {
    this.closed = true;
    Atomics.store(this.control, CONTROL_EPOCH, -1);
    Atomics.notify(this.control, CONTROL_EPOCH);
    await Promise.all(this.workers.map((w) => terminateWorker(w.worker)));
    for (const w of this.workers) w.port.close();
    this.workers.length = 0;
  }
}

let shared: WorkerPool | undefined;

/**
 * The process-wide pool, grown to `threads - 1` workers (the caller is the other participant), or to
 * `threads` workers with `callerWaits` (when `threads` ≥ 2).
 * @example
 * sharedPool(2).run("pca.scatter", scatterShard, args, numShards, 2);
 */
export function sharedPool(threads: number, options: RunOptions = {}): WorkerPool {
  if (shared === undefined) shared = new WorkerPool();
  shared.grow(options.callerWaits === true && threads >= 2 ? threads : threads - 1);
  return shared;
}

/** Shuts the process-wide pool down (tests; long-lived hosts that want their threads back). */
export async function shutdownPool(): Promise<void> {
  const pool = shared;
  shared = undefined;
  await pool?.close();
}

/**
 * Runs `kernel` over `numShards` shards with `threads` participants: on the caller alone when `threads` is 1
 * or there is one shard (no pool is started), else on the shared pool (see {@link RunOptions}).
 */
export function runSharded<A>(
  kernel: KernelRef,
  fn: ShardKernel<A>,
  args: A,
  numShards: number,
  threads: number,
  options: RunOptions = {},
): void {
  if (threads <= 1 || numShards <= 1) {
    for (let s = 0; s < numShards; s++) fn(args, s);
    return;
  }
  sharedPool(threads, options).run(kernel, fn, args, numShards, threads, options);
}
