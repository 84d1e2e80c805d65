/**
 * The K-Means shard kernels registered with the worker pool (src/parallel/worker-entry.ts), and the shard
 * size they share: the assignment and partial sums of one Lloyd iteration with Hamerly 2010's bounds
 * (hamerly.ts), the farthest rows of a pass (only when a cluster came out empty), and one k-means++ data
 * pass (init/plus-plus-shards.ts). Kept apart from the estimator so a worker loads only kernel code.
 *
 * Rows are cut into shards of {@link KMEANS_SHARD_ROWS} whatever the thread count, and partial sums are
 * merged in shard order (as Chan et al.'s pairwise update is for PCA), which is what makes every result
 * independent of the number of threads.
 * @module
 */
import { farthestShard, stepShard } from "./hamerly.js";
import { seedShard } from "./init/plus-plus-shards.js";

/** Rows per shard: ~0.3 ms of work at d = 5, k = 7, so two busy cores stay balanced. */
export const KMEANS_SHARD_ROWS = 32_768;

/** Kernel name → function, as the callers name them in `runSharded`. */
export const KMEANS_KERNELS = {
  "kmeans.step": stepShard,
  "kmeans.farthest": farthestShard,
  "kmeans.pp": seedShard,
} as const;
