/**
 * SageMaker's web-scale k-means as an algorithm of the contract (src/contract), the way its workers combine:
 *
 *   round e (one per epoch): every shard streams its own rows, in mini-batches, into its own K weighted
 *   centres (shard-stream.ts) ─▶ partial = the shard's weighted centres
 *   merge = the union of the shards' centre sets, in shard order
 *   finalize = the next epoch (each shard resumes from its own centres), or, after the last epoch, the
 *   reduction of the union to k centres by weighted Lloyd (reduce.ts)
 *
 * A shard's centres depend on its rows, the settings and the seed only (its generator is seeded by the seed
 * and its first row; its mini-batches are cut from its rows whatever the chunks), and the union follows the
 * shard order, so the model depends on the shard plan and the seed — never on the executor, the thread count
 * or the order in which shards finish. Unlike Lloyd's rounds, a different plan gives a (slightly) different
 * model: each shard is its own stream, as each SageMaker instance is.
 *
 * A partial is a list of finished shards' centre sets plus, while one shard's chunks are folded in, that
 * shard's open stream (its centres and its unfinished mini-batch). `update` folds into the partial it is
 * given (a fold owns its partial); `shardPartial` folds a whole shard and closes it where it runs, so what
 * travels back is just its centres; `merge` and `finalize` close any stream still open.
 * @module
 */
import { checkChunkWidth, checkSameWidth } from "../../contract/checks.js";
import { type AlgorithmRef, chunksOf, type ShardAlgorithm } from "../../contract/contract.js";
import type { Matrix } from "../../linalg/matrix.js";
import { definedRef } from "../../util/module-ref.js";
import { type ReductionResult, reduceCentres } from "./reduce.js";
import type { WebScaleSettings } from "./settings.js";
import { closeShard, feedShard, type OpenShard, openShard, type ShardCentres } from "./shard-stream.js";

export interface WebScaleRoundState {
  readonly settings: WebScaleSettings;
  /** Columns of the data. */
  readonly width: number;
  /** 0-based epoch this round streams. */
  readonly epoch: number;
  /** Every shard's centres after the previous epoch (undefined in the first). */
  readonly shards?: readonly ShardCentres[] | undefined;
}

export interface WebScalePartial {
  readonly width: number;
  /** Shards whose pass has ended, in shard order. */
  readonly shards: readonly ShardCentres[];
  /** The shard whose chunks are being folded in (one shard's partial, before merge or finalize). */
  readonly open?: OpenShard | undefined;
}

/** What one shard did, for logs and the training summary. */
export interface ShardSummary {
  readonly firstRow: number;
  readonly rows: number;
  readonly batches: number;
  readonly initRows: number;
  /** Weighted centres the shard ended with (K, or its rows when fewer). */
  readonly centres: number;
}

export interface WebScaleModel {
  /** k × d final centres. */
  readonly centres: Matrix;
  readonly reduction: ReductionResult;
  /** Every shard, in shard order. */
  readonly shards: readonly ShardSummary[];
}

export const WEB_SCALE_ROUNDS: ShardAlgorithm<WebScaleRoundState, WebScalePartial, WebScaleModel> = {
  name: "K-Means (web-scale)",
  empty: (_state, width) => ({ width, shards: [] }),
  update(partial, chunk, state, firstRow, weights) {
    checkChunkWidth(chunk, state.width, this.name);
    const open = partial.open ?? openShard(firstRow, state.width, state.shards);
    feedShard(open, chunk, weights, state.settings);
    return partial.open === open ? partial : { ...partial, open };
  },
  shardPartial(shard, state) {
    checkChunkWidth(shard.data, state.width, this.name);
    let partial = this.empty(state, shard.data.cols);
    for (const { chunk, firstRow, weights } of chunksOf(shard))
      partial = this.update(partial, chunk, state, firstRow, weights);
    return closed(partial, state);
  },
  merge(a, b, state) {
    checkSameWidth(a.width, b.width, this.name);
    return { width: a.width, shards: [...closed(a, state).shards, ...closed(b, state).shards] };
  },
  finalize(merged, state) {
    const { shards } = closed(merged, state);
    const next = state.epoch + 1;
    if (next < state.settings.epochs) return { done: false, state: { ...state, epoch: next, shards } };
    const reduction = reduceCentres(shards, state.width, state.settings);
    return {
      done: true,
      model: {
        centres: reduction.centres,
        reduction,
        shards: shards.map((s) => ({
          firstRow: s.firstRow,
          rows: s.rows,
          batches: s.batches,
          initRows: s.initRows,
          centres: s.weights.length,
        })),
      },
    };
  },
};

export const WEB_SCALE_ROUNDS_REF: AlgorithmRef = definedRef(
  import.meta.url,
  "WEB_SCALE_ROUNDS",
  WEB_SCALE_ROUNDS,
);

/** The first round's state. */
export function webScaleStart(settings: WebScaleSettings, width: number): WebScaleRoundState {
  return { settings, width, epoch: 0 };
}

/** The partial with its open stream (if any) closed into its list of finished shards. */
function closed(partial: WebScalePartial, state: WebScaleRoundState): WebScalePartial {
  if (partial.open === undefined) return partial;
  const set = closeShard(partial.open, state.settings);
  return { width: partial.width, shards: set === undefined ? partial.shards : [...partial.shards, set] };
}
