/**
 * The K-Means shard kernels the worker pool imports by module and name (src/parallel/protocol.ts), and the shard
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
import { farthestShard, stepShard } from "./hamerly.js";
import { seedShard } from "./init/plus-plus-shards.js";

/** Rows per shard: ~0.3 ms of work at d = 5, k = 7, so two busy cores stay balanced. */
export const KMEANS_SHARD_ROWS = 32_768;

/** Kernel name → function: what a pool worker imports (src/parallel/protocol.ts KernelRef). */
export const SHARD_KERNELS = {
  "kmeans.step": stepShard,
  "kmeans.farthest": farthestShard,
  "kmeans.pp": seedShard,
} as const;

/** The refs callers pass to `runSharded`: this module and a name in its table. */
export const KMEANS_KERNEL: Readonly<Record<keyof typeof SHARD_KERNELS, KernelRef>> = {
  "kmeans.step": { module: import.meta.url, name: "kmeans.step" },
  "kmeans.farthest": { module: import.meta.url, name: "kmeans.farthest" },
  "kmeans.pp": { module: import.meta.url, name: "kmeans.pp" },
};
