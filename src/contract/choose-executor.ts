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

/**
 * The executor for a fit over `values` input values; `threads` as `resolveThreads` reads it (default: every
 * core, at most 8). Worker threads start at the first round, so an executor that runs none costs nothing.
 * @example
 * const rounds = localExecutor(x.rows * x.cols);
 * try { await fitRounds(rounds, PCA_STATS_REF, params, plan) } finally { await rounds.close() }
 */
export function localExecutor(values: number, threads?: number): RoundExecutor {
  const n = values < PARALLEL_MIN_VALUES ? 1 : resolveThreads(threads);
  return n === 1 ? new InlineExecutor() : new ThreadsExecutor({ threads: n });
}
