/**
 * k-means++ seeding (Arthur & Vassilvitskii 2007, "k-means++: the advantages of careful seeding"): the first
 * centre is a uniform row, each further centre is drawn with probability proportional to D(x)², the squared
 * distance to the nearest centre chosen so far. Like scikit-learn's `_kmeans_plusplus` (the "greedy" variant
 * the paper's §6 mentions), each step draws 2 + ⌊ln k⌋ candidates and keeps the one that lowers the total
 * potential Σ D(x)² the most; this gives markedly better starts than a single draw.
 *
 * Vectorised over the contiguous Float64Array: one running array of squared distances to the nearest centre
 * and two scratch arrays swapped when a candidate wins; each candidate's data pass is a shard kernel
 * (plus-plus-shards.ts) that runs on the worker pool for large inputs, with shard potentials added in shard
 * order so the same seed draws the same rows for any thread count (and, within one shard, the same rows as
 * the earlier cumulative-sum search). On one thread the pass runs in WebAssembly (wasm-seed.ts), which draws the
 * same rows.
 *
 * With sample weights (scikit-learn's `sample_weight`, as its `_kmeans_plusplus` uses them) a row of weight w
 * counts as w rows: the first centre is drawn in proportion to w, each further one to w·D(x)², and the
 * potential a candidate lowers is Σ w·D(x)².
 * @module
 */
import { type Matrix, matrix } from "../../linalg/matrix.js";
import type { Rng } from "../../linalg/rng.js";
import { runSharded } from "../../parallel/pool.js";
import { sharedFloat64, toShared } from "../../parallel/shared.js";
import type { KernelLanguage } from "../engine.js";
import { KMEANS_KERNEL, KMEANS_SHARD_ROWS } from "../shard-kernels.js";
import { WASM_MIN_ROWS } from "../wasm-workspace.js";
import { type SeedShardArgs, sampleRow, seedShard, totalPotential } from "./plus-plus-shards.js";
import { centresFromRows, drawByWeight, type InitResult } from "./random.js";
import { WasmSeedPasses } from "./wasm-seed.js";

/** Options for {@link initKMeansPlusPlus}. */
export interface KMeansPlusPlusOptions {
  /** Candidates drawn per centre; default 2 + ⌊ln k⌋ (scikit-learn's choice). 1 is the original algorithm. */
  readonly numLocalTrials?: number;
  /** Participating threads for the data passes, the caller's included (default 1); never changes the draw. */
  readonly threads?: number;
  /** Rows per shard (default 32,768; tests use small shards). */
  readonly shardRows?: number;
  /** n: the rows' positive sample weights (default: every row weighs 1). */
  readonly weights?: Float64Array | undefined;
  /**
   * The data pass's language on one thread (default: WebAssembly from WASM_MIN_ROWS rows, as the Lloyd
   * passes): wasm-seed.ts. Never changes the draw.
   */
  readonly kernels?: KernelLanguage;
}

/**
 * Chooses k rows of `x` (n × d, k ≤ n) as initial centres by greedy k-means++. When every row already
 * coincides with a chosen centre (fewer than k distinct rows), candidates are drawn uniformly instead; the
 * Lloyd update then relocates the resulting empty clusters.
 *
 * @example
 * const { centres, rows } = initKMeansPlusPlus(x, 7, createRng(0));
 */
export function initKMeansPlusPlus(
  x: Matrix,
  k: number,
  rng: Rng,
  options: KMeansPlusPlusOptions = {},
): InitResult {
  const n = x.rows;
  const numTrials = options.numLocalTrials ?? 2 + Math.floor(Math.log(k));
  const shardRows = options.shardRows ?? KMEANS_SHARD_ROWS;
  const numShards = Math.max(1, Math.ceil(n / shardRows));
  const threads = numShards > 1 ? (options.threads ?? 1) : 1;
  const alloc = threads > 1 ? sharedFloat64 : (len: number) => new Float64Array(len);
  const data = threads > 1 ? toShared(x).data : x.data;
  const { weights: given } = options;
  const weights =
    given === undefined || threads === 1 ? given : toShared(matrix(given.length, 1, given)).data;
  const rows = new Int32Array(k);
  const kernels = options.kernels ?? (n >= WASM_MIN_ROWS ? "wasm" : "js");
  const wasm = threads === 1 && kernels === "wasm" ? WasmSeedPasses.create(x, weights) : undefined;
  let [closest, best, scratch] = wasm?.rows ?? [alloc(n), alloc(n), alloc(n)];
  let closestPot = alloc(numShards);
  let bestPot = alloc(numShards);
  let scratchPot = alloc(numShards);
  const pass = (candidate: number, first: boolean): void => {
    if (wasm !== undefined) {
      wasm.pass(candidate, first, closest, scratch, scratchPot, shardRows);
      return;
    }
    const args: SeedShardArgs = {
      data,
      rows: n,
      cols: x.cols,
      shardRows,
      candidate,
      closest,
      first,
      scratch,
      potentials: scratchPot,
      weights,
    };
    runSharded(KMEANS_KERNEL["kmeans.pp"], seedShard, args, numShards, threads);
  };
  rows[0] = weights === undefined ? rng.nextInt(n) : drawByWeight(weights, rng);
  pass(rows[0]!, true);
  [closest, scratch] = [scratch, closest];
  [closestPot, scratchPot] = [scratchPot, closestPot];
  for (let c = 1; c < k; c++) {
    const potential = totalPotential(closestPot);
    let bestRow = -1;
    let bestPotential = Number.POSITIVE_INFINITY;
    for (let trial = 0; trial < numTrials; trial++) {
      const candidate =
        potential > 0
          ? sampleRow(closest, closestPot, shardRows, rng.nextFloat() * potential, weights)
          : rng.nextInt(n);
      pass(candidate, false);
      const pot = totalPotential(scratchPot);
      if (pot < bestPotential) {
        bestPotential = pot;
        bestRow = candidate;
        [best, scratch] = [scratch, best];
        [bestPot, scratchPot] = [scratchPot, bestPot];
      }
    }
    rows[c] = bestRow;
    [closest, best] = [best, closest];
    [closestPot, bestPot] = [bestPot, closestPot];
  }
  return { centres: centresFromRows(x, rows), rows };
}
