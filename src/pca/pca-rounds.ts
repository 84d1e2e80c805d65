/**
 * Regular PCA as an algorithm of the contract (src/contract): the partial is the mergeable statistics of
 * partial-stats.ts (count, mean, centred scatter; Chan et al.'s pairwise merge), one round, finalized by the
 * symmetric eigensolve into a PCAModel. `PCA.fit` is its fast path: the same kernel and merge over fixed row shards on the
 * shared-memory pool (scatter-shards.ts), bit for bit.
 * @module
 */

import { checkChunkWidth } from "../contract/checks.js";
import type { AlgorithmRef, ShardAlgorithm } from "../contract/contract.js";
import { definedRef } from "../util/module-ref.js";
import type { PCAParams } from "./hyperparameters.js";
import { emptyStats, finalize, mergeStats, type PCAStats, rowRangeStats } from "./partial-stats.js";
import type { PCAModel } from "./pca-model.js";

export const PCA_STATS: ShardAlgorithm<PCAParams, PCAStats, PCAModel> = {
  name: "PCA",
  empty: (_params, width) => emptyStats(width),
  update(stats, chunk) {
    checkChunkWidth(chunk, stats.numFeatures, this.name);
    return mergeStats(stats, rowRangeStats(chunk.data, chunk.cols, 0, chunk.rows));
  },
  merge: (a, b) => mergeStats(a, b),
  finalize: (stats, params) => ({ done: true, model: finalize(stats, params) }),
};

export const PCA_STATS_REF: AlgorithmRef = definedRef(import.meta.url, "PCA_STATS", PCA_STATS);
