/**
 * PCA statistics over fixed row shards, computed on the worker pool (src/parallel/pool.ts). Rows are cut into
 * shards of {@link SHARD_ROWS} whatever the thread count; each shard's count, mean and centred scatter (the
 * blocked kernel of linalg/scatter.ts, centred on the shard's own mean: two passes, no cancellation) is
 * written to its slot of a SharedArrayBuffer, and the slots are combined by the pairwise merge of Chan, Golub
 * & LeVeque (1979) as a balanced tree in shard order. The result therefore has the same bits for 1, 2 or 8
 * threads, and the tree keeps the rounding error of the merge at O(log shards).
 * @module
 */
import type { Matrix } from "../linalg/matrix.js";
import { accumulateScatterRange, rangeMeans } from "../linalg/scatter.js";
import { runSharded } from "../parallel/pool.js";
import type { KernelRef } from "../parallel/protocol.js";
import { sharedFloat64, toShared } from "../parallel/shared.js";
import { mergeStats, type PCAStats } from "./partial-stats.js";

/** Rows per shard: small enough to balance two busy cores, large enough that a shard costs ~10 ms at d=34. */
export const SHARD_ROWS = 32_768;

/** Arguments of the "pca.scatter" kernel (structured-clone safe; `data` and `out` are shared). */
export interface ScatterShardArgs {
  /** n×d row-major input. */
  readonly data: Float64Array;
  readonly rows: number;
  readonly cols: number;
  readonly shardRows: number;
  /** numShards × (1 + d + d²): count, mean, scatter per shard. */
  readonly out: Float64Array;
}

/** Computes shard `s`'s count, mean and centred scatter into its slot of `args.out`. */
export function scatterShard(args: ScatterShardArgs, s: number): void {
  const { data, rows, cols: d, shardRows, out } = args;
  const start = s * shardRows;
  const end = Math.min(rows, start + shardRows);
  const slot = s * (1 + d + d * d);
  const mean = rangeMeans(data, d, start, end, new Float64Array(d));
  const scatter = accumulateScatterRange(data, d, start, end, mean, new Float64Array(d * d));
  out[slot] = end - start;
  out.set(mean, slot + 1);
  out.set(scatter, slot + 1 + d);
}

/** The kernels of this module, by name: what a pool worker imports (src/parallel/protocol.ts KernelRef). */
export const SHARD_KERNELS = { "pca.scatter": scatterShard } as const;

const SCATTER: KernelRef = { module: import.meta.url, name: "pca.scatter" };

/** Options of {@link shardedStats}. */
export interface ShardedStatsOptions {
  /** Participating threads (the caller included); 1 runs every shard on the caller. */
  readonly threads: number;
  /** Rows per shard, default {@link SHARD_ROWS} (tests use small shards). */
  readonly shardRows?: number;
}

/**
 * The PCA statistics of every row of x (n×d), from shards merged in shard order: the same bits for any
 * thread count. Values are not checked here (the caller checks finiteness).
 * @example
 * const stats = shardedStats(x, { threads: 2 });
 */
export function shardedStats(x: Matrix, options: ShardedStatsOptions): PCAStats {
  const { rows: n, cols: d } = x;
  const shardRows = options.shardRows ?? SHARD_ROWS;
  const numShards = Math.max(1, Math.ceil(n / shardRows));
  const threads = numShards > 1 ? options.threads : 1;
  const data = threads > 1 ? toShared(x).data : x.data;
  const stride = 1 + d + d * d;
  const out = threads > 1 ? sharedFloat64(numShards * stride) : new Float64Array(numShards * stride);
  const args: ScatterShardArgs = { data, rows: n, cols: d, shardRows, out };
  runSharded(SCATTER, scatterShard, args, numShards, threads);
  const shards: PCAStats[] = [];
  for (let s = 0; s < numShards; s++) {
    const slot = s * stride;
    shards.push({
      numFeatures: d,
      count: out[slot]!,
      mean: out.slice(slot + 1, slot + 1 + d),
      scatter: out.slice(slot + 1 + d, slot + stride),
    });
  }
  return mergeTree(shards, 0, shards.length);
}

/** Chan's pairwise merge over shards [lo, hi) as a balanced tree, left before right. */
function mergeTree(shards: readonly PCAStats[], lo: number, hi: number): PCAStats {
  if (hi - lo === 1) return Object.freeze({ ...shards[lo]! });
  const mid = (lo + hi) >>> 1;
  return mergeStats(mergeTree(shards, lo, mid), mergeTree(shards, mid, hi));
}
