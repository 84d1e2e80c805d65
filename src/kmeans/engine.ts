/**
 * The fast K-Means restart: Lloyd iterations (Lloyd 1982) whose assignment and partial sums run as shard
 * kernels (hamerly.ts: Hamerly 2010's bounds) on the worker pool, merged in shard order with
 * `mergeLloydPartialsInOrder` and turned into centres by `updateCentres` — the same reduce and empty-cluster
 * rule as the plain step, so the restart converges exactly as trial.ts's plain loop does. Rows are cut into
 * fixed shards whatever the thread count, so the centres, inertia and labels have the same bits for 1, 2 or 8
 * threads; per-row state (labels, lower bounds) lives in SharedArrayBuffers that every thread reads in place.
 * @module
 */
import { type Matrix, matrix } from "../linalg/matrix.js";
import { runSharded } from "../parallel/pool.js";
import { sharedFloat64, sharedInt32, toShared } from "../parallel/shared.js";
import {
  cacheStride,
  farthestShard,
  readStepSlot,
  type StepShardArgs,
  stepShard,
  stepStride,
} from "./hamerly.js";
import { type LloydPartial, mergeLloydPartialsInOrder, updateCentres } from "./lloyd-step.js";
import { KMEANS_SHARD_ROWS } from "./shard-kernels.js";
import type { TrialOptions, TrialResult } from "./trial.js";

export { KMEANS_SHARD_ROWS } from "./shard-kernels.js";

/** "hamerly" skips provably useless distance computations; "lloyd" searches every centre for every row. */
export type LloydAlgorithm = "hamerly" | "lloyd";

/** How the restart runs: it never changes the answer. */
export interface EngineOptions {
  /** Default "hamerly". */
  readonly algorithm?: LloydAlgorithm;
  /** Participating threads, the caller's included (default 1). */
  readonly threads?: number;
  /** Rows per shard (default {@link KMEANS_SHARD_ROWS}; tests use small shards). */
  readonly shardRows?: number;
}

/** A restart's result plus the cluster sizes of its final assignment. */
export interface EngineTrialResult extends TrialResult {
  /** k: rows assigned to each final centre. */
  readonly sizes: readonly number[];
}

/** The Lloyd steps run on `threads` workers while the caller waits (pool.ts, `callerWaits`). */
const WORKERS_ONLY = { callerWaits: true } as const;

/** Reusable per-restart state: shared when threads take part. */
class StepRunner {
  private readonly args: Omit<StepShardArgs, "centres" | "half" | "drift" | "fullSearch">;
  private readonly numShards: number;
  private previous: Matrix | undefined;

  constructor(
    x: Matrix,
    private readonly k: number,
    private threads: number,
    private readonly bounds: boolean,
    shardRows: number,
  ) {
    this.numShards = Math.max(1, Math.ceil(x.rows / shardRows));
    if (this.numShards === 1) this.threads = 1;
    const shared = this.threads > 1;
    const n = x.rows;
    const labels = shared ? sharedInt32(n) : new Int32Array(n);
    labels.fill(-1);
    const size = this.numShards * stepStride(k, x.cols);
    const cacheSize = this.numShards * cacheStride(k, x.cols);
    this.args = {
      data: shared ? toShared(x).data : x.data,
      rows: n,
      cols: x.cols,
      k,
      shardRows,
      labels,
      lower: shared ? sharedFloat64(n) : new Float64Array(n),
      out: shared ? sharedFloat64(size) : new Float64Array(size),
      cache: shared ? sharedFloat64(cacheSize) : new Float64Array(cacheSize),
    };
  }

  /** Assigns every row against `centres`; returns the merged partial and the number of rows that moved. */
  step(centres: Matrix): { partial: LloydPartial; changed: number } {
    const { k } = this;
    const d = centres.cols;
    const half = halfSeparations(centres);
    const drift = new Float64Array(k);
    const prev = this.previous;
    if (prev !== undefined && this.bounds) {
      const moves = new Float64Array(k);
      for (let j = 0; j < k; j++) moves[j] = distance(prev.data, j, centres.data, j, d);
      for (let j = 0; j < k; j++) {
        let m = 0;
        for (let q = 0; q < k; q++) if (q !== j && moves[q]! > m) m = moves[q]!;
        drift[j] = m;
      }
    }
    const fullSearch = !this.bounds || prev === undefined;
    const args: StepShardArgs = { ...this.args, centres: centres.data, half, drift, fullSearch };
    runSharded("kmeans.step", stepShard, args, this.numShards, this.threads, WORKERS_ONLY);
    this.previous = centres;
    let { partial, changed } = this.merge(k, d);
    if (partial.counts.some((c) => c === 0)) {
      // An empty cluster: collect every shard's farthest rows (skipped by the row loop) and merge again.
      runSharded("kmeans.farthest", farthestShard, args, this.numShards, this.threads, WORKERS_ONLY);
      ({ partial, changed } = this.merge(k, d));
    }
    return { partial, changed };
  }

  private merge(k: number, d: number): { partial: LloydPartial; changed: number } {
    const parts: LloydPartial[] = [];
    let changed = 0;
    for (let s = 0; s < this.numShards; s++) {
      const slot = readStepSlot(this.args.out, s, k, d);
      changed += slot.changed;
      parts.push({ k, d, ...slot });
    }
    return { partial: mergeLloydPartialsInOrder(parts, k, d), changed };
  }
}

function distance(a: Float64Array, i: number, b: Float64Array, j: number, d: number): number {
  let s = 0;
  for (let t = 0; t < d; t++) {
    const diff = a[i * d + t]! - b[j * d + t]!;
    s += diff * diff;
  }
  return Math.sqrt(s);
}

/** k: half the distance from each centre to its nearest other centre (Hamerly's s(j)/2). */
function halfSeparations(centres: Matrix): Float64Array {
  const { rows: k, cols: d, data } = centres;
  const half = new Float64Array(k).fill(Number.POSITIVE_INFINITY);
  for (let j = 0; j < k; j++) {
    for (let q = j + 1; q < k; q++) {
      const h = distance(data, j, data, q, d) / 2;
      if (h < half[j]!) half[j] = h;
      if (h < half[q]!) half[q] = h;
    }
  }
  return half;
}

/**
 * Runs one restart from `options.initial` with the convergence rule of trial.ts (no row moved and no cluster
 * relocated, or a centre shift within tolerance), then one more assignment against the final centres for the
 * inertia and sizes. Equal, bit for bit, to `runTrial` on inputs of one shard, and for any thread count.
 * @example
 * const r = runTrialFast(x, { initial, maxIterations: 300, tolerance: 0 }, { threads: 2 });
 */
export function runTrialFast(
  x: Matrix,
  options: TrialOptions,
  engine: EngineOptions = {},
): EngineTrialResult {
  const { initial, maxIterations, tolerance, signal, onIteration } = options;
  const runner = new StepRunner(
    x,
    initial.rows,
    engine.threads ?? 1,
    (engine.algorithm ?? "hamerly") === "hamerly",
    engine.shardRows ?? KMEANS_SHARD_ROWS,
  );
  let centres = matrix(initial.rows, initial.cols, Float64Array.from(initial.data));
  let converged = false;
  let iterations = 0;
  while (iterations < maxIterations) {
    signal?.throwIfAborted();
    const { partial, changed } = runner.step(centres);
    const update = updateCentres(partial, centres);
    iterations++;
    onIteration?.({
      iteration: iterations,
      inertia: partial.inertia,
      centreShift: update.centreShift,
      relocated: update.relocated.length,
    });
    centres = update.centres;
    // iterations > 1: the plain loop compares against labels of -1 on its first pass, which never match.
    const strict = update.relocated.length === 0 && changed === 0 && iterations > 1;
    if (strict || update.centreShift <= tolerance) {
      converged = true;
      break;
    }
  }
  const final = runner.step(centres).partial;
  return { centres, inertia: final.inertia, iterations, converged, sizes: Array.from(final.counts) };
}
