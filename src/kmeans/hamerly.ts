/**
 * The shard kernel of a Lloyd iteration with Hamerly's bounds (G. Hamerly, "Making k-means even faster",
 * SDM 2010). Every row keeps its label, an upper bound on the distance to its own centre and a lower bound on
 * the distance to its second-closest centre. When the upper bound is below max(lower bound, half the distance
 * from its centre to the nearest other centre), no other centre can be closer: the row is skipped without
 * reading it — only its label and two bounds are touched. Otherwise the upper bound is tightened to the exact
 * distance and tested again, and only then are the other k − 1 distances computed. Once the centres settle
 * that is nearly every row.
 *
 * Three kinds of pass (`PassKind`): "full" (the first of a restart, and plain Lloyd) searches every centre;
 * "bounded" is Hamerly's pass above; "exact" (the last pass of a restart) tightens every row's upper bound to
 * the exact distance before the test, so the final inertia is the plain sum of every row's exact distance, as
 * in a plain Lloyd step. A bounded pass does not know the distances of the rows it skipped, so its inertia is
 * NaN (the iteration event then reports none).
 *
 * Identical results to plain Lloyd (lloyd-step.ts): the bounds are float32 rounded outwards (bounds.ts), and
 * a skip needs the bound test to pass with a relative margin of 1e-10, far above the rounding of the
 * double-precision test itself, so a skipped row's nearest centre is certainly unique; every other
 * row runs the same search loop as `lloydStep` (same formula, same order, ties to the lowest index). Sums are
 * then added in row order within a shard, and shards are merged in shard order.
 *
 * A pass over a shard where no row moved on its previous pass keeps the sums out of its row loop: the skip
 * path then touches only the label and the bounds. If again no row moves, the shard's sums from the previous
 * pass are reused (the same rows added in the same order, so the same bits); otherwise a second, short loop
 * adds them in row order. A shard that did change is expected to change again, and its pass adds the sums in
 * the row loop, as the full pass does. Once the centres settle, most shards are unchanged and never re-summed.
 *
 * A fit with sample weights runs the same passes with each row's sums, count and inertia multiplied by its
 * weight: the weighted variants of the JavaScript loops, or the WebAssembly kernels for the assignment (which
 * centre is nearest does not depend on the weights) followed by js-row-loops.ts `weightedSumLoop` for the
 * sums and inertia — the same bits either way.
 *
 * Each pass runs either these JavaScript row loops or the WebAssembly ones of wasm-kernels.ts (from
 * wasm-workspace.ts's `WASM_MIN_ROWS` rows, for small enough k·d), which compute the same bits; the WebAssembly
 * passes also choose per shard between the bounded and the full kernel by what the last pass cost
 * (`wasmPass`).
 * @module
 */

import type { Matrix } from "../linalg/matrix.js";
import { sharedFloat32, sharedFloat64, sharedInt32, toShared } from "../parallel/shared.js";
import { MARGIN, type PassKind } from "./bounds.js";
import { emptyFarthest, type FarthestRows, offerFarthest } from "./farthest-rows.js";
import { rowLoop, sumLoop, weightedSumLoop } from "./js-row-loops.js";
import {
  scratchStride,
  type WasmStepArgs,
  type WasmViews,
  type WasmWorkspace,
  wasmKernels,
} from "./wasm-workspace.js";

/** This module's URL: the pool's workers import its kernels from it (shard-kernels.ts). */
export const HAMERLY_MODULE = import.meta.url;

/** Arguments of the "kmeans.step" kernel; `labels`, `lower` and `out` are shared across threads. */
export interface StepShardArgs {
  /** n × d row-major data. */
  readonly data: Float64Array;
  readonly rows: number;
  readonly cols: number;
  readonly k: number;
  readonly shardRows: number;
  /** k × d centres of this iteration. */
  readonly centres: Float64Array;
  /** k: half the distance from each centre to its nearest other centre. */
  readonly half: Float64Array;
  /** k: how far the lower bound of a row assigned to j falls: max over j′ ≠ j of centre j′'s last move. */
  readonly drift: Float64Array;
  /** k: how far centre j moved since the last pass (the rise of the upper bound of a row assigned to j). */
  readonly move: Float64Array;
  /** Which pass this is (see the module header). */
  readonly pass: PassKind;
  /**
   * When set, the arrays above are views of this workspace's memory and every pass runs its WebAssembly
   * kernels (same results; see `wasmPass`).
   */
  readonly wasm?: WasmStepArgs | undefined;
  /** n: label of every row (read as the previous assignment, written as the new one). */
  readonly labels: Int32Array;
  /** n: lower bound on the distance of every row to its second-closest centre (float32, rounded down). */
  readonly lower: Float32Array;
  /** n: upper bound on the distance of every row to its own centre (float32, rounded up). */
  readonly upper: Float32Array;
  /** numShards × {@link stepStride}(k, d) results. */
  readonly out: Float64Array;
  /** n: each row's positive sample weight, for a weighted fit (never with `wasm`). */
  readonly weights?: Float64Array | undefined;
  /**
   * numShards × {@link cacheStride}(k, d): each shard's sums and counts from its last pass, then a 1 once
   * they are valid. A bounded pass that moves no row of a shard reuses them instead of re-summing the shard.
   */
  readonly cache: Float64Array;
}

/** A fit's per-row arrays and buffers: everything of a pass's arguments but the centres' state and its kind. */
export type StepRowArgs = Omit<StepShardArgs, "centres" | "half" | "drift" | "move" | "pass">;

/**
 * The per-row arrays (labels at −1: no pass yet) and result buffers of a fit over `x` in shards of
 * `shardRows`: in `workspace`'s memory when there is one (the WebAssembly kernels read it), else plain arrays,
 * or SharedArrayBuffers when pool threads share them (`shared`). `weights`: the rows' sample weights, for a
 * weighted fit (which runs without a workspace).
 */
export function stepRowArgs(
  x: Matrix,
  k: number,
  shardRows: number,
  workspace: WasmWorkspace | undefined,
  shared: boolean,
  weights?: Float64Array,
): StepRowArgs {
  const n = x.rows;
  const d = x.cols;
  const numShards = Math.max(1, Math.ceil(n / shardRows));
  const rows = workspace?.views ?? {
    data: shared ? toShared(x).data : x.data,
    labels: shared ? sharedInt32(n) : new Int32Array(n),
    lower: shared ? sharedFloat32(n) : new Float32Array(n),
    upper: shared ? sharedFloat32(n) : new Float32Array(n),
  };
  rows.labels.fill(-1);
  const f64 = (size: number) => (shared ? sharedFloat64(size) : new Float64Array(size));
  return {
    data: rows.data,
    rows: n,
    cols: d,
    k,
    shardRows,
    labels: rows.labels,
    lower: rows.lower,
    upper: rows.upper,
    out: f64(numShards * stepStride(k, d)),
    cache: f64(numShards * cacheStride(k, d)),
    wasm: workspace?.args,
    weights: weights === undefined || !shared ? weights : sharedCopy(weights),
  };
}

/**
 * A pass's arguments: the row arrays with these centres, their moves (centre-moves.ts) and the kind of pass.
 * With a WebAssembly workspace the centres and moves are copied into its memory, where the kernels read them.
 */
export function passArgs(
  rows: StepRowArgs,
  centres: Float64Array,
  moves: { readonly half: Float64Array; readonly drift: Float64Array; readonly move: Float64Array },
  pass: PassKind,
  views: WasmViews | undefined,
): StepShardArgs {
  if (views === undefined) return { ...rows, centres, ...moves, pass };
  views.centres.set(centres);
  views.half.set(moves.half);
  views.drift.set(moves.drift);
  views.move.set(moves.move);
  return { ...rows, centres: views.centres, half: views.half, drift: views.drift, move: views.move, pass };
}

/**
 * Length of one shard's cache: k·d sums, k counts, the valid flag, then whether its next bounded pass should
 * search every row instead (WebAssembly only; see `wasmPass`).
 */
export function cacheStride(k: number, d: number): number {
  return k * d + k + 2;
}

/** Length of one shard's result slot: sums, counts, inertia, changed, then the farthest-rows list. */
export function stepStride(k: number, d: number): number {
  return k * d + k + 3 + k * (4 + d);
}

function sharedCopy(values: Float64Array): Float64Array {
  const copy = sharedFloat64(values.length);
  copy.set(values);
  return copy;
}

/** Assigns the rows of shard `s` and writes its partial sums (see {@link readStepSlot} for the layout). */
export function stepShard(args: StepShardArgs, s: number): void {
  const { rows, cols: d, k, shardRows, cache } = args;
  const start = s * shardRows;
  const end = Math.min(rows, start + shardRows);
  const sums = new Float64Array(k * d);
  const counts = new Float64Array(k);
  const co = s * cacheStride(k, d);
  const flagAt = co + k * d + k;
  // The shard's cache flag: 0 none yet, 1 valid and unchanged on its last pass, 2 valid but rows moved.
  // Either way the cached sums are those of the labels as they stand, so a pass that moves no row may
  // reuse them (the same rows added in the same order: the same bits).
  const flag = cache[flagAt]!;
  const { inertia, changed, summed, searchAll } =
    args.wasm !== undefined
      ? wasmPass(args, s, start, end, flag, cache[flagAt + 1] === 1, sums, counts)
      : jsPass(args, start, end, flag, sums, counts);
  if (!summed) {
    sums.set(cache.subarray(co, co + k * d));
    counts.set(cache.subarray(co + k * d, co + k * d + k));
  } else {
    cache.set(sums, co);
    cache.set(counts, co + k * d);
    cache[flagAt] = changed === 0 ? 1 : 2;
  }
  cache[flagAt + 1] = searchAll ? 1 : 0;
  writeSlot(args.out, s * stepStride(k, d), sums, counts, inertia, changed, emptyFarthest(k, d));
}

/**
 * A pass over one shard: inertia and rows moved, whether it filled `sums`/`counts` (else: reuse the cache),
 * and whether the shard's next bounded pass should search every row.
 */
interface ShardPassResult {
  readonly inertia: number;
  readonly changed: number;
  readonly summed: boolean;
  readonly searchAll: boolean;
}

/**
 * The JavaScript pass. A bounded pass over a shard that moved no row last time (flag 1) keeps the sums out
 * of the row loop and adds them afterwards only if a row moved; otherwise the row loop adds them.
 */
function jsPass(
  args: StepShardArgs,
  start: number,
  end: number,
  flag: number,
  sums: Float64Array,
  counts: Float64Array,
): ShardPassResult {
  const { data: X, cols: d, k, centres: C, half, drift, move, pass, labels, lower, upper, weights } = args;
  const split = pass !== "full" && flag === 1;
  const weighted = weights !== undefined;
  const result = new Float64Array(2);
  rowLoop(d, k, pass, !split, weighted)(
    X,
    C,
    half,
    drift,
    move,
    labels,
    lower,
    upper,
    sums,
    counts,
    start,
    end,
    MARGIN,
    result,
    weights,
  );
  const changed = result[1]!;
  if (split && changed > 0) {
    if (weighted) weightedSumLoop(d, false)(X, C, labels, weights, sums, counts, start, end);
    else sumLoop(d)(X, labels, sums, counts, start, end);
  }
  return { inertia: result[0]!, changed, summed: !split || changed > 0, searchAll: false };
}

/**
 * When the next pass of a shard runs the full kernel instead of the bounded one (WebAssembly only; the
 * labels are the same either way, only the bounds differ: a full pass makes them tight). Measured on 1M × 5,
 * k = 7, one thread: the full pass costs ~16 ns per row, sums included, reading the rows in order; the
 * bounded pass ~9 ns per row plus ~150 ns for every row whose bound test fails, because that row is then
 * read out of order (a cache miss) for its exact distance — so a bounded pass wins only while fewer than
 * ~4% of the rows fail. After a full pass the failures of the next bounded pass are not known; they ran at
 * 30–50× the share of rows that moved, so a full pass is followed by another while more than 0.1% moved.
 */
const TESTED_FOR_FULL = 0.04;
const MOVED_FOR_FULL = 0.001;

/**
 * The WebAssembly pass (wasm-kernels.ts): "full" adds the sums in its row loop; "bounded" never does, and
 * the `sums` kernel adds them afterwards when a row moved or no cache is valid yet; "exact" is a bounded
 * pass followed by `settle`, which adds every row's distance to its centre in row order — the labels and
 * the inertia of the JavaScript exact pass, bit for bit. A bounded or exact pass over a shard marked
 * `searchAll` runs the full kernel instead (its inertia is exact too).
 */
function wasmPass(
  args: StepShardArgs,
  s: number,
  start: number,
  end: number,
  flag: number,
  searchAll: boolean,
  sums: Float64Array,
  counts: Float64Array,
): ShardPassResult {
  const w = args.wasm!;
  const { cols: d, k, pass } = args;
  const kernels = wasmKernels(w);
  const o = w.offsets;
  const base = s * scratchStride(k, d);
  const sumsAt = o.scratch + base * 8;
  const countsAt = sumsAt + k * d * 8;
  const resultAt = countsAt + k * 8;
  const scratch = w.scratch;
  const r = base + k * d + k;
  const rows = end - start;
  const readSums = () => {
    sums.set(scratch.subarray(base, base + k * d));
    counts.set(scratch.subarray(base + k * d, r));
  };
  const { half, drift, move, centres, labels, lower, upper, work, x } = o;
  // Weighted: the kernels assign the rows; the weighted sums (and inertia) are added here, in row order.
  const { weights } = args;
  const weighted = (inertia: boolean) =>
    weightedSumLoop(d, inertia)(args.data, args.centres, args.labels, weights!, sums, counts, start, end);
  if (pass === "full" || searchAll) {
    scratch.fill(0, base, r);
    kernels.full(x, centres, labels, lower, upper, sumsAt, countsAt, start, end, resultAt);
    const changed = scratch[r + 1]!;
    const searchNext = changed > MOVED_FOR_FULL * rows;
    if (weights !== undefined)
      return { inertia: weighted(true), changed, summed: true, searchAll: searchNext };
    readSums();
    return { inertia: scratch[r]!, changed, summed: true, searchAll: searchNext };
  }
  kernels.bounded(x, centres, half, drift, move, labels, lower, upper, work, start, end, resultAt);
  const changed = scratch[r + 1]!;
  const next = scratch[r + 3]! > TESTED_FOR_FULL * rows;
  if (weights !== undefined) {
    if (pass === "exact") return { inertia: weighted(true), changed, summed: true, searchAll: next };
    const summed = flag === 0 || changed > 0;
    if (summed) weighted(false);
    return { inertia: Number.NaN, changed, summed, searchAll: next };
  }
  if (pass === "exact") {
    scratch.fill(0, base, r);
    kernels.settle(x, centres, labels, sumsAt, countsAt, start, end, resultAt);
    readSums();
    return { inertia: scratch[r]!, changed, summed: true, searchAll: next };
  }
  const summed = flag === 0 || changed > 0;
  if (summed) {
    scratch.fill(0, base, r);
    kernels.sums(x, labels, sumsAt, countsAt, start, end);
    readSums();
  }
  return { inertia: Number.NaN, changed, summed, searchAll: next };
}

/**
 * Fills the farthest-rows part of shard `s`'s slot from the labels of the pass just run: needed only when a
 * cluster came out empty (the relocation rule of lloyd-step.ts), so the row loop does not pay for it. The
 * distances use the same formula and order as the row loop, so the list equals `lloydStep`'s.
 */
export function farthestShard(args: StepShardArgs, s: number): void {
  const { data: X, rows, cols: d, k, shardRows, centres: C, labels } = args;
  const start = s * shardRows;
  const end = Math.min(rows, start + shardRows);
  const farthest = emptyFarthest(k, d);
  for (let i = start; i < end; i++) {
    const off = i * d;
    const co = labels[i]! * d;
    let v = 0;
    for (let t = 0; t < d; t++) {
      const diff = X[off + t]! - C[co + t]!;
      v += diff * diff;
    }
    offerFarthest(farthest, v, i, labels[i]!, X, off, args.weights === undefined ? 1 : args.weights[i]!);
  }
  writeFarthest(args.out, s * stepStride(k, d) + k * d + k + 2, farthest);
}

function writeSlot(
  out: Float64Array,
  o: number,
  sums: Float64Array,
  counts: Float64Array,
  inertia: number,
  changed: number,
  f: FarthestRows,
): void {
  const k = counts.length;
  const d = k === 0 ? 0 : sums.length / k;
  out.set(sums, o);
  out.set(counts, o + k * d);
  out[o + k * d + k] = inertia;
  out[o + k * d + k + 1] = changed;
  writeFarthest(out, o + k * d + k + 2, f);
}

function writeFarthest(out: Float64Array, o: number, f: FarthestRows): void {
  const k = f.capacity;
  out[o] = f.count;
  const p = o + 1;
  for (let e = 0; e < k; e++) {
    out[p + e] = f.dist2[e]!;
    out[p + k + e] = f.rows[e]!;
    out[p + 2 * k + e] = f.labels[e]!;
    out[p + 3 * k + e] = f.weights[e]!;
  }
  out.set(f.points, p + 4 * k);
}

/** One shard's result, read back from its slot. */
export interface StepSlot {
  readonly sums: Float64Array;
  readonly counts: Float64Array;
  readonly inertia: number;
  /** Rows whose label differs from the previous pass. */
  readonly changed: number;
  readonly farthest: FarthestRows;
}

/** Reads shard `s`'s slot of `out` (copies, so the shared buffer can be reused for the next iteration). */
export function readStepSlot(out: Float64Array, s: number, k: number, d: number): StepSlot {
  const o = s * stepStride(k, d);
  let p = o + k * d + k;
  const inertia = out[p++]!;
  const changed = out[p++]!;
  const count = out[p++]!;
  return {
    sums: out.slice(o, o + k * d),
    counts: out.slice(o + k * d, o + k * d + k),
    inertia,
    changed,
    farthest: {
      count,
      capacity: k,
      dist2: out.slice(p, p + k),
      rows: Int32Array.from(out.subarray(p + k, p + 2 * k)),
      labels: Int32Array.from(out.subarray(p + 2 * k, p + 3 * k)),
      weights: out.slice(p + 3 * k, p + 4 * k),
      points: out.slice(p + 4 * k, p + 4 * k + k * d),
    },
  };
}
