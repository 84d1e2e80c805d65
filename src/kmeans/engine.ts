/**
 * The fast K-Means restart: Lloyd iterations (Lloyd 1982) whose assignment and partial sums run as shard
 * kernels (hamerly.ts: Hamerly 2010's bounds) on the worker pool, merged in shard order with
 * `mergeLloydPartialsInOrder` and turned into centres by `updateCentres` — the same reduce and empty-cluster
 * rule as the plain step, so the restart converges exactly as trial.ts's plain loop does. Rows are cut into
 * fixed shards whatever the thread count, so the centres, inertia and labels have the same bits for 1, 2 or 8
 * threads; per-row state (labels, bounds) lives in SharedArrayBuffers that every thread reads in place. The
 * bounded passes skip rows without computing their distances, so their iteration events carry no inertia;
 * the last pass computes every distance and gives the exact inertia.
 * @module
 */
import { type Matrix, matrix } from "../linalg/matrix.js";
import { runSharded } from "../parallel/pool.js";
import { boundsFit } from "./bounds.js";
import { boxDiagonal, centreMoves } from "./centre-moves.js";
import {
  farthestShard,
  passArgs,
  readStepSlot,
  type StepRowArgs,
  stepRowArgs,
  stepShard,
} from "./hamerly.js";
import { type LloydPartial, mergeLloydPartialsInOrder, updateCentres } from "./lloyd-step.js";
import { KMEANS_KERNEL, KMEANS_SHARD_ROWS } from "./shard-kernels.js";
import type { TrialOptions, TrialResult } from "./trial.js";
import { WASM_MIN_ROWS, WasmWorkspace } from "./wasm-workspace.js";

export { KMEANS_SHARD_ROWS } from "./shard-kernels.js";

/** "hamerly" skips provably useless distance computations; "lloyd" searches every centre for every row. */
export type LloydAlgorithm = "hamerly" | "lloyd";

/** Which row loops run the passes: the same results either way (the tests compare them bit for bit). */
export type KernelLanguage = "wasm" | "js";

const workspaces = new WeakMap<Float64Array, WasmWorkspace>();

/** The workspace for `x` (one per data matrix, reused by its restarts and by later fits of the same k). */
function workspaceFor(x: Matrix, k: number, numShards: number): WasmWorkspace | undefined {
  const cached = workspaces.get(x.data);
  if (cached?.fits(x, k, numShards)) return cached;
  const ws = WasmWorkspace.create(x, k, numShards);
  if (ws !== undefined) workspaces.set(x.data, ws);
  return ws;
}

/** How the restart runs: it never changes the answer. */
export interface EngineOptions {
  /** Default "hamerly". */
  readonly algorithm?: LloydAlgorithm;
  /** Participating threads, the caller's included (default 1). */
  readonly threads?: number;
  /** Rows per shard (default {@link KMEANS_SHARD_ROWS}; tests use small shards). */
  readonly shardRows?: number;
  /** Default "wasm" from {@link WASM_MIN_ROWS} rows on, when the shape is supported; else "js". */
  readonly kernels?: KernelLanguage;
}

/** A restart's result plus the cluster sizes of its final assignment. */
export interface EngineTrialResult extends TrialResult {
  /** k: rows assigned to each final centre (their total weight, in a weighted fit). */
  readonly sizes: readonly number[];
}

/** The Lloyd steps run on `threads` workers while the caller waits (pool.ts, `callerWaits`). */
const WORKERS_ONLY = { callerWaits: true } as const;

/** Reusable per-restart state: shared when threads take part. */
class StepRunner {
  private readonly args: StepRowArgs;
  private readonly k: number;
  private readonly numShards: number;
  private readonly bounds: boolean;
  private readonly workspace: WasmWorkspace | undefined;
  private previous: Matrix | undefined;

  constructor(
    x: Matrix,
    initial: Matrix,
    private threads: number,
    bounds: boolean,
    shardRows: number,
    kernels: KernelLanguage,
    weights: Float64Array | undefined,
  ) {
    const k = initial.rows;
    this.k = k;
    this.numShards = Math.max(1, Math.ceil(x.rows / shardRows));
    if (this.numShards === 1) this.threads = 1;
    // float32 bounds need the distances to stay inside float32's range (bounds.ts); else plain Lloyd.
    this.bounds = bounds && boundsFit(boxDiagonal(x, initial));
    const ws = kernels === "wasm" ? workspaceFor(x, k, this.numShards) : undefined;
    this.workspace = ws;
    this.args = stepRowArgs(x, k, shardRows, ws, this.threads > 1, weights);
  }

  /**
   * Assigns every row against `centres`; returns the merged partial and the number of rows that moved.
   * `exact`: compute every row's distance (the partial's inertia is then exact; otherwise a bounded pass
   * leaves it NaN).
   */
  step(centres: Matrix, exact: boolean): { partial: LloydPartial; changed: number } {
    const { k } = this;
    const d = centres.cols;
    const prev = this.previous;
    const moves = centreMoves(this.bounds ? prev : undefined, centres);
    const pass = !this.bounds || prev === undefined ? "full" : exact ? "exact" : "bounded";
    const args = passArgs(this.args, centres.data, moves, pass, this.workspace?.views);
    runSharded(KMEANS_KERNEL["kmeans.step"], stepShard, args, this.numShards, this.threads, WORKERS_ONLY);
    this.previous = centres;
    let { partial, changed } = this.merge(k, d);
    if (partial.counts.some((c) => c === 0)) {
      // An empty cluster: collect every shard's farthest rows (skipped by the row loop) and merge again.
      runSharded(
        KMEANS_KERNEL["kmeans.farthest"],
        farthestShard,
        args,
        this.numShards,
        this.threads,
        WORKERS_ONLY,
      );
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
    initial,
    engine.threads ?? 1,
    (engine.algorithm ?? "hamerly") === "hamerly",
    engine.shardRows ?? KMEANS_SHARD_ROWS,
    engine.kernels ?? (x.rows >= WASM_MIN_ROWS ? "wasm" : "js"),
    options.weights,
  );
  let centres = matrix(initial.rows, initial.cols, Float64Array.from(initial.data));
  let converged = false;
  let iterations = 0;
  while (iterations < maxIterations) {
    signal?.throwIfAborted();
    const { partial, changed } = runner.step(centres, false);
    const update = updateCentres(partial, centres);
    iterations++;
    onIteration?.({
      iteration: iterations,
      inertia: Number.isNaN(partial.inertia) ? undefined : partial.inertia,
      moved: changed,
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
  const final = runner.step(centres, true).partial;
  return { centres, inertia: final.inertia, iterations, converged, sizes: Array.from(final.counts) };
}
