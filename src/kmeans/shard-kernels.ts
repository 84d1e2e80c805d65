/**
 * Where the K-Means shard kernels the worker pool imports live (src/parallel/protocol.ts), and the shard
 * size they share: the assignment and partial sums of one Lloyd iteration with Hamerly 2010's bounds
 * (hamerly.ts), the farthest rows of a pass (only when a cluster came out empty), and one k-means++ data
 * pass (init/plus-plus-shards.ts). Kept apart from the estimator so a worker loads only kernel code.
 *
 * Rows are cut into shards of {@link KMEANS_SHARD_ROWS} whatever the thread count, and partial sums are
 * merged in shard order (as Chan et al.'s pairwise update is for PCA), which is what makes every result
 * independent of the number of threads.
 * @module
 */
import type { KernelRef } from "../parallel/protocol.js";
import { definedRef } from "../util/module-ref.js";
import { farthestShard, HAMERLY_MODULE, stepShard } from "./hamerly.js";
import { PLUS_PLUS_SHARDS_MODULE, seedShard } from "./init/plus-plus-shards.js";

/** Rows per shard: ~0.3 ms of work at d = 5, k = 7, so two busy cores stay balanced. */
export const KMEANS_SHARD_ROWS = 32_768;

/** The refs callers pass to `runSharded`: each kernel's module and export. */
export const KMEANS_KERNEL: Readonly<Record<"kmeans.step" | "kmeans.farthest" | "kmeans.pp", KernelRef>> = {
  "kmeans.step": definedRef(HAMERLY_MODULE, "stepShard", stepShard),
  "kmeans.farthest": definedRef(HAMERLY_MODULE, "farthestShard", farthestShard),
  "kmeans.pp": definedRef(PLUS_PLUS_SHARDS_MODULE, "seedShard", seedShard),
};
