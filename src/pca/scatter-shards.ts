/**
 * PCA statistics over fixed row shards on the shared-memory worker pool (src/parallel/pool.ts): the fast
 * path of the contract's PCA (pca-rounds.ts) for a matrix already in memory. Rows are cut into shards of
 * {@link SHARD_ROWS} whatever the thread count; each shard's statistics are `rowRangeStats` — the kernel of
 * `PCA_STATS.update` — written to its slot of a SharedArrayBuffer, and the slots merge by the contract's
 * `mergeTree` (Chan, Golub & LeVeque's pairwise merge as a balanced tree in shard order). So `PCA.fit` has the
 * same bits for 1, 2 or 8 threads, and equals `fitRounds(PCA_STATS)` over shards of SHARD_ROWS rows read in
 * one chunk on any executor (test/contract).
 * @module
 */
import { mergeTree } from "../contract/contract.js";
import type { Matrix } from "../linalg/matrix.js";
import { runSharded } from "../parallel/pool.js";
import type { KernelRef } from "../parallel/protocol.js";
import { sharedFloat64, toShared } from "../parallel/shared.js";
import { definedRef } from "../util/module-ref.js";
import { mergeStats, type PCAStats, rowRangeStats } from "./partial-stats.js";

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
  const { count, mean, scatter } = rowRangeStats(data, d, start, end);
  out[slot] = count;
  out.set(mean, slot + 1);
  out.set(scatter, slot + 1 + d);
}

/** What a pool worker imports to run {@link scatterShard}. */
const SCATTER: KernelRef = definedRef(import.meta.url, "scatterShard", scatterShard);

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
    shards.push(
      Object.freeze({
        numFeatures: d,
        count: out[slot]!,
        mean: out.slice(slot + 1, slot + 1 + d),
        scatter: out.slice(slot + 1 + d, slot + stride),
      }),
    );
  }
  return mergeTree(shards, mergeStats);
}
