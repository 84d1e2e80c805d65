/**
 * Regular PCA as an algorithm of the contract (src/contract): the partial is the mergeable statistics of
 * partial-stats.ts (count, mean, centred scatter; Chan et al.'s pairwise merge), one round, finalized by the
 * symmetric eigensolve into a PCAModel. `PCA.fit` computes the same statistics over fixed row shards.
 * @module
 */

import { checkChunk } from "../contract/checks.js";
import type { AlgorithmRef, ShardAlgorithm } from "../contract/contract.js";
import type { PCAParams } from "./hyperparameters.js";
import { accumulate, emptyStats, finalize, mergeStats, type PCAStats } from "./partial-stats.js";
import type { PCAModel } from "./pca-model.js";

export const PCA_STATS: ShardAlgorithm<PCAParams, PCAStats, PCAModel> = {
  name: "PCA",
  empty: (_params, width) => emptyStats(width),
  update(stats, chunk) {
    checkChunk(chunk, stats.numFeatures, this.name);
    return accumulate(stats, chunk);
  },
  merge: (a, b) => mergeStats(a, b),
  finalize: (stats, params) => ({ done: true, model: finalize(stats, params) }),
};

export const PCA_STATS_REF: AlgorithmRef = { module: import.meta.url, name: "PCA_STATS" };
