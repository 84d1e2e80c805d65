/**
 * Which executor a fit on this machine runs its rounds on: the caller's thread for small data, where starting
 * threads costs more than it saves, else worker threads (one per core, at most 8). A cluster executor is
 * chosen by the caller that has a cluster.
 * @module
 */
import { resolveThreads } from "../parallel/pool.js";
import { InlineExecutor, type RoundExecutor } from "./executor.js";
import { ThreadsExecutor } from "./threads.js";

/** Below this many input values (rows × features) a fit stays on the calling thread. */
export const PARALLEL_MIN_VALUES = 1 << 20;

/** Threads for a fit over `values` input values: 1 below {@link PARALLEL_MIN_VALUES}, else `resolveThreads`. */
export function threadsFor(values: number, threads?: number): number {
  return values < PARALLEL_MIN_VALUES ? 1 : resolveThreads(threads);
}

/** The process's worker-thread executors by thread count, kept: starting a worker costs ~0.1 s. */
const kept = new Map<number, ThreadsExecutor>();

/**
 * The executor for a fit over `values` input values; `threads` as `resolveThreads` reads it (default: every
 * core, at most 8). Worker threads are started at the first round and kept for the next fit, as the pool
 * keeps its own (they hold the process open only while a round runs); `close` on the executor returned here
 * leaves them for the next caller.
 * @example
 * const rounds = localExecutor(x.rows * x.cols);
 * try { await fitRounds(rounds, PCA_STATS_REF, params, plan) } finally { await rounds.close() }
 */
export function localExecutor(values: number, threads?: number): RoundExecutor {
  const n = threadsFor(values, threads);
  if (n === 1) return new InlineExecutor();
  let executor = kept.get(n);
  if (executor === undefined) {
    executor = new ThreadsExecutor({ threads: n });
    kept.set(n, executor);
  }
  const shared = executor;
  return {
    where: shared.where,
    round: (ref, state, shards, options) => shared.round(ref, state, shards, options),
    forget: (memo) => shared.forget(memo),
    close: async () => {},
  };
}
