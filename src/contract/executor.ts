/**
 * Executors run the rounds of the algorithm contract (contract.ts): `round` computes every shard's partial,
 * returned in shard order; `fit` merges them, finalizes, and repeats while the algorithm asks for another
 * round. Two executors exist: inline (the caller's thread) and worker threads (threads.ts). A cluster executor
 * implements the same interface over a queue: an executor moves refs, states, shards and partials, never the
 * algorithms' code.
 * @module
 */
import { StrataError } from "../errors.js";
import { checkPlan } from "./checks.js";
import { type AlgorithmRef, loadAlgorithm, mergeInOrder, type RowShard, runShard } from "./contract.js";

export interface RoundExecutor {
  /** Where the shards run, for logs: "the caller's thread", "2 worker threads". */
  readonly where: string;
  /** Every shard's partial for one round's state, in shard order. */
  round<S, P>(ref: AlgorithmRef, state: S, shards: readonly RowShard[]): Promise<P[]>;
  close(): Promise<void>;
}

/** Runs every shard on the caller's thread, one after the other. */
export class InlineExecutor implements RoundExecutor {
  readonly where = "the caller's thread";

  async round<S, P>(ref: AlgorithmRef, state: S, shards: readonly RowShard[]): Promise<P[]> {
    const algorithm = await loadAlgorithm<S, P, unknown>(ref);
    return shards.map((shard) => runShard(algorithm, state, shard));
  }

  async close(): Promise<void> {}
}

export interface FitResult<M> {
  readonly model: M;
  readonly rounds: number;
}

/**
 * Runs rounds until the algorithm finalizes a model. The rows are checked for NaN and ±Infinity once, here.
 * @throws StrataError NON_NUMERIC_VALUE, INTERNAL after `maxRounds` rounds without a model; the algorithms'
 *   own errors
 * @example
 * const { model } = await fitRounds(new InlineExecutor(), MIN_MAX_STATS_REF, null, rowShards(x, plan));
 */
export async function fitRounds<S, P, M>(
  executor: RoundExecutor,
  ref: AlgorithmRef,
  initialState: S,
  shards: readonly RowShard[],
  options: { maxRounds?: number } = {},
): Promise<FitResult<M>> {
  checkPlan(shards);
  const algorithm = await loadAlgorithm<S, P, M>(ref);
  const maxRounds = options.maxRounds ?? 1_000_000;
  let state = initialState;
  for (let round = 1; round <= maxRounds; round++) {
    const partials = await executor.round<S, P>(ref, state, shards);
    const outcome = algorithm.finalize(mergeInOrder(algorithm, partials, state), state);
    if (outcome.done) return { model: outcome.model, rounds: round };
    state = outcome.state;
  }
  throw new StrataError("INTERNAL", `${algorithm.name} gave no model after ${maxRounds} rounds.`);
}
