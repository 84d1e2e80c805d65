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
import {
  type AlgorithmRef,
  loadAlgorithm,
  mergeInOrder,
  type RowShard,
  type Shard,
  type ShardMemo,
  type StreamShard,
  shardPartial,
} from "./contract.js";

export interface RoundExecutor {
  /** Where the shards run, for logs: "the caller's thread", "2 worker threads". */
  readonly where: string;
  /**
   * Every shard's partial for one round's state, in shard order. A round ends when every shard has ended: it
   * then rejects with the failure of the first shard in shard order that failed (its details name the shard),
   * so nothing of a failed round is still running when the caller learns of it.
   */
  round<S, P>(ref: AlgorithmRef, state: S, shards: readonly Shard[], options?: RoundOptions<P>): Promise<P[]>;
  /** Drops the shard memos of `memo`'s rounds. */
  forget(memo: string): void;
  close(): Promise<void>;
}

export interface RoundOptions<P> {
  /**
   * Rounds given the same key (from {@link memoKey}) hand shard i the {@link ShardMemo} it had in the last of
   * them, where the executor still has it, until `forget(memo)`.
   */
  readonly memo?: string | undefined;
  /** Called as each shard's partial arrives (in any order): progress, before the round ends. */
  readonly onPartial?: ((index: number, partial: P) => void) | undefined;
  /** Called as soon as a shard fails (before the round ends): e.g. to tell the other shards to stop. */
  readonly onFailure?: ((index: number, error: Error) => void) | undefined;
}

/**
 * The partials of a round whose shards have all ended, in shard order; the first failure in shard order
 * rethrown, with the shard's index in its details.
 */
export function settledRound<P>(results: readonly PromiseSettledResult<P>[]): P[] {
  const failed = results.findIndex((r) => r.status === "rejected");
  if (failed >= 0) {
    const reason = (results[failed] as PromiseRejectedResult).reason;
    if (reason instanceof StrataError)
      throw new StrataError(reason.code, reason.message, {
        details: { ...reason.details, shard: failed },
        cause: reason.cause,
      });
    throw reason;
  }
  return results.map((r) => (r as PromiseFulfilledResult<P>).value);
}

/** A shard's work, with the round's callbacks told of its partial or its failure as it ends. */
export async function reported<P>(
  index: number,
  work: () => Promise<P>,
  options: RoundOptions<P>,
): Promise<P> {
  try {
    const partial = await work();
    options.onPartial?.(index, partial);
    return partial;
  } catch (error) {
    options.onFailure?.(index, error as Error);
    throw error;
  }
}

let memoCount = 0;

/** A key for the rounds of one fit, unique in this process. */
export function memoKey(): string {
  return `${process.pid}.${++memoCount}`;
}

/** Shard memos by key, then by shard index: what an executor keeps where the shards run. */
export class ShardMemos {
  readonly #byKey = new Map<string, Map<number, ShardMemo>>();

  /** Shard `index`'s memo of `key`'s rounds (a fresh, unkept one without a key). */
  get(key: string | undefined, index: number): ShardMemo {
    if (key === undefined) return { value: undefined };
    let shards = this.#byKey.get(key);
    if (shards === undefined) {
      shards = new Map();
      this.#byKey.set(key, shards);
    }
    let memo = shards.get(index);
    if (memo === undefined) {
      memo = { value: undefined };
      shards.set(index, memo);
    }
    return memo;
  }

  forget(key: string): void {
    this.#byKey.delete(key);
  }
}

/** Runs every shard on the caller's thread, one after the other. */
export class InlineExecutor implements RoundExecutor {
  readonly where = "the caller's thread";
  readonly #memos = new ShardMemos();

  async round<S, P>(
    ref: AlgorithmRef,
    state: S,
    shards: readonly Shard[],
    options: RoundOptions<P> = {},
  ): Promise<P[]> {
    const algorithm = await loadAlgorithm<S, P, unknown>(ref);
    const results: PromiseSettledResult<P>[] = [];
    // One after the other: the caller's thread runs one shard at a time.
    for (const [i, shard] of shards.entries()) {
      const work = () => shardPartial(algorithm, state, shard, this.#memos.get(options.memo, i));
      results.push(...(await Promise.allSettled([reported(i, work, options)])));
    }
    return settledRound(results);
  }

  forget(memo: string): void {
    this.#memos.forget(memo);
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
  shards: readonly (RowShard | StreamShard)[],
  options: FitRoundsOptions<S, P> = {},
): Promise<FitResult<M>> {
  if (options.checked !== true) checkPlan(shards);
  const algorithm = await loadAlgorithm<S, P, M>(ref);
  const maxRounds = options.maxRounds ?? 1_000_000;
  const memo = options.memo ?? memoKey();
  try {
    let state = initialState;
    for (let round = 1; round <= maxRounds; round++) {
      options.signal?.throwIfAborted();
      const partials = await executor.round<S, P>(ref, state, shards, { memo });
      const merged = mergeInOrder(algorithm, partials, state);
      const outcome = algorithm.finalize(merged, state);
      options.onRound?.({ round, state, merged, next: outcome.done ? undefined : outcome.state });
      if (outcome.done) return { model: outcome.model, rounds: round };
      state = outcome.state;
    }
  } finally {
    if (options.memo === undefined) executor.forget(memo);
  }
  throw new StrataError("INTERNAL", `${algorithm.name} gave no model after ${maxRounds} rounds.`);
}

export interface FitRoundsOptions<S, P> {
  readonly maxRounds?: number;
  /** The rows were already checked for NaN and ±Infinity (an estimator's own check): skip `checkPlan`. */
  readonly checked?: boolean;
  /**
   * The key of the shard memos, for fits over the same shards that share them (K-Means' restarts keep the
   * rows' copies); the caller then forgets it. Default: a key of this fit's own, forgotten at its end.
   */
  readonly memo?: string;
  /** Checked before every round; aborting throws the signal's reason. */
  readonly signal?: AbortSignal | undefined;
  /** Called after every round with its state, its merged partial and the next round's state (if any). */
  readonly onRound?: (event: { round: number; state: S; merged: P; next: S | undefined }) => void;
}
