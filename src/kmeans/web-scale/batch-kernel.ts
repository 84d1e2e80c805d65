/**
 * The row loops of web-scale k-means in WebAssembly SIMD: the mini-batch assignment with its sums (the same
 * bits as batch-loop.ts's JavaScript loop, more than twice as fast) and the measuring pass of the final
 * centres (measure-rounds.ts). Why: with k × extra_center_factor = 70 centres every row costs 70 distances,
 * and the JavaScript loop does them one double at a time (measured 2.3–3.3 ns per centre and row at d = 5,
 * against 0.88 here: 1.75 ns per pair of centres). The centres are laid out in pairs, dimension by
 * dimension, so one f64x2 operation computes a row's difference, square and sum against two centres at once,
 * and the nearest is kept per lane with `f64x2.pmin` and `v128.bitselect`, without a branch. Tried and left
 * out: scikit-learn's expanded form ½‖c‖² − x·c (5% faster at d = 5, but a row may then go to a centre that
 * is not its nearest), unrolling the loop over the pairs (1.6× slower: V8 compiles the long body worse), and
 * two independent running minima (20% slower: with them the locals outgrow x64's 16 vector registers).
 *
 * Why the bits are the JavaScript loop's: each lane computes Σ_t (x_t − c_t)² in the order t = 0..d−1, as
 * the loop does; lane 0 keeps the first strict minimum of the even centres and lane 1 of the odd ones, and
 * the row takes the smaller of the two, the lower index on a tie — the first strict minimum of all centres,
 * which is the loop's `s < bestDist` scan. A missing odd centre is NaN, which never compares less. Sums and
 * masses are added row by row, as in the loop (test/kmeans/web-scale.test.ts compares the two).
 *
 * One module per width d (the row's d values sit in registers), compiled once per thread; one memory per
 * thread and width, grown as needed, holding the batch's rows, the centres and the sums: the step is
 * synchronous, so a thread never runs two batches at once.
 * @module
 */
import { Code, F64, I32, moduleBytes, V128, type WasmFunction } from "../../wasm/assembler.js";
import { kernelMemory, placeRegions } from "../../wasm/memory.js";
import { nearestCentre, nearestDist2 } from "../assign.js";

/** Widths the kernel is generated for; wider rows run the JavaScript loop (their d values no longer fit in registers). */
export const BATCH_KERNEL_MAX_WIDTH = 64;

/** 2 GiB: a batch beyond it (mini_batch_size × d × 8 bytes) runs the JavaScript loop. */
const MAX_PAGES = 32_768;

/**
 * Declares the search's locals in `code` and returns them; `emitSearch` then writes, for the row at byte
 * offset `xp`, its nearest centre into `label` and the squared distance into `nearest` (params: the centres'
 * byte offset and their number of pairs).
 */
function searchLocals(code: Code, d: number) {
  const locals = {
    i: code.local(I32),
    xp: code.local(I32),
    cp: code.local(I32),
    pair: code.local(I32),
    label: code.local(I32),
    nearest: code.local(F64),
    w: code.local(F64),
    best0: code.local(F64),
    best1: code.local(F64),
    xv: Array.from({ length: d }, () => code.local(V128)),
    acc: code.local(V128),
    diff: code.local(V128),
    best: code.local(V128),
    which: code.local(V128),
    index: code.local(V128),
    lt: code.local(V128),
    cond: code.local(I32),
  };
  return locals;
}

function emitSearch(
  code: Code,
  d: number,
  l: ReturnType<typeof searchLocals>,
  centres: number,
  pairs: number,
): void {
  for (let t = 0; t < d; t++)
    code
      .get(l.xp)
      .v128Load64Splat(t * 8)
      .set(l.xv[t]!);
  code.v128Const([Number.POSITIVE_INFINITY, Number.POSITIVE_INFINITY]).set(l.best);
  code.v128ConstI64([0, 1]).tee(l.which).set(l.index);
  code.get(centres).set(l.cp);
  code.i32Const(0).set(l.pair);
  // Every pair of centres (there is at least one).
  code.loop();
  for (let t = 0; t < d; t++) {
    code
      .get(l.xv[t]!)
      .get(l.cp)
      .v128Load(t * 16)
      .f64x2Sub()
      .tee(l.diff)
      .get(l.diff)
      .f64x2Mul();
    if (t > 0) code.get(l.acc).f64x2Add();
    code.set(l.acc);
  }
  emitKeepNearest(code, l);
  code
    .get(l.cp)
    .i32Const(d * 16)
    .i32Add()
    .set(l.cp);
  code.get(l.pair).i32Const(1).i32Add().tee(l.pair).get(pairs).i32LtS().brIf(0);
  code.end();
  emitChooseLane(code, l);
  code.get(l.best1).get(l.best0).get(l.cond).select().set(l.nearest);
}

/**
 * Each lane keeps its first strict minimum: `best` = pmin(best, acc) (acc < best ? acc : best) and `which`
 * the index where it fell; the lanes' indices move on by 2. The index lanes are i64, added on the integer
 * side (measured 4% faster than f64 lanes added as floats; choosing `best` by bitselect on the compare instead
 * of pmin was 20% slower: it puts the compare's latency in the chain from one pair to the next).
 */
function emitKeepNearest(code: Code, l: ReturnType<typeof searchLocals>): void {
  code.get(l.acc).get(l.best).f64x2Lt().set(l.lt);
  code.get(l.best).get(l.acc).f64x2Pmin().set(l.best);
  code.get(l.index).get(l.which).get(l.lt).v128Bitselect().set(l.which);
  code.get(l.index).v128ConstI64([2, 2]).i64x2Add().set(l.index);
}

/** `label` = the odd lane's index when it is strictly nearer, or as near with a lower index; else the even's. */
function emitChooseLane(code: Code, l: ReturnType<typeof searchLocals>): void {
  code.get(l.best).f64x2ExtractLane(0).set(l.best0);
  code.get(l.best).f64x2ExtractLane(1).set(l.best1);
  code.get(l.best1).get(l.best0).f64Lt();
  code.get(l.best1).get(l.best0).f64Eq();
  code
    .get(l.which)
    .i64x2ExtractLane(1)
    .i32WrapI64()
    .get(l.which)
    .i64x2ExtractLane(0)
    .i32WrapI64()
    .i32LtS()
    .i32And();
  code.i32Or().set(l.cond);
  code.get(l.which).i64x2ExtractLane(1).i32WrapI64();
  code.get(l.which).i64x2ExtractLane(0).i32WrapI64();
  code.get(l.cond).select().set(l.label);
}

/** `code` adds `w` to the f64 at `base` + label × 8 (`scratch`: an i32 local). */
function addAtLabel(code: Code, base: number, label: number, w: number, scratch: number): void {
  code
    .get(base)
    .get(label)
    .i32Const(8)
    .i32Mul()
    .i32Add()
    .tee(scratch)
    .get(scratch)
    .f64Load()
    .get(w)
    .f64Add()
    .f64Store();
}

/**
 * Wraps `body` in the loop over `count` rows from byte offset `rows` (the row at `xp`, its index `i`), with
 * `w` the row's weight (from `weights` when `weighted`, else 1).
 */
function rowLoop(
  code: Code,
  d: number,
  l: ReturnType<typeof searchLocals>,
  p: { rows: number; count: number; weights: number },
  weighted: boolean,
  body: () => void,
): void {
  code.get(p.rows).set(l.xp);
  code.block().loop();
  code.get(l.i).get(p.count).i32GeS().brIf(1);
  if (weighted) code.get(p.weights).get(l.i).i32Const(8).i32Mul().i32Add().f64Load().set(l.w);
  else code.f64Const(1).set(l.w);
  body();
  code.get(l.i).i32Const(1).i32Add().set(l.i);
  code
    .get(l.xp)
    .i32Const(d * 8)
    .i32Add()
    .set(l.xp);
  code.br(0).end().end();
}

/**
 * `assign(rows, count, weights, centres, pairs, sums, mass) → points`: assigns `count` rows (byte offset
 * `rows`, d f64 each) to the nearest of the centres (byte offset `centres`: `pairs` pairs, each d f64x2 of
 * [even centre, odd centre] coordinates), adds each row (times its weight, at `weights`, when `weighted`) to
 * its centre's sums (k × d f64 at `sums`) and mass (k f64 at `mass`), and returns the rows' total weight.
 */
function assignFunction(d: number, weighted: boolean): WasmFunction {
  const [ROWS, COUNT, WEIGHTS, CENTRES, PAIRS, SUMS, MASS] = [0, 1, 2, 3, 4, 5, 6];
  const code = new Code(7);
  const l = searchLocals(code, d);
  const so = code.local(I32);
  const points = code.local(F64);
  rowLoop(code, d, l, { rows: ROWS, count: COUNT, weights: WEIGHTS }, weighted, () => {
    emitSearch(code, d, l, CENTRES, PAIRS);
    // sums[label] += w · x (x alone unweighted), mass[label] += w, points += w: the loop's order.
    code
      .get(SUMS)
      .get(l.label)
      .i32Const(d * 8)
      .i32Mul()
      .i32Add()
      .set(so);
    for (let t = 0; t < d; t++) {
      code
        .get(so)
        .get(so)
        .f64Load(t * 8);
      code.get(l.xp).f64Load(t * 8);
      if (weighted) code.get(l.w).f64Mul();
      code.f64Add().f64Store(t * 8);
    }
    addAtLabel(code, MASS, l.label, l.w, so);
    code.get(points).get(l.w).f64Add().set(points);
  });
  code.get(points);
  return { name: weighted ? "assignWeighted" : "assign", params: Array(7).fill(I32), results: [F64], code };
}

/**
 * `measure(rows, count, weights, centres, pairs, mass, counts, inertia) → inertia`: for each of `count` rows,
 * its nearest centre's mass gains the row's weight (1 unweighted) and its count 1, and the running `inertia`
 * gains w × the squared distance (the distance alone unweighted), in row order.
 */
function measureFunction(d: number, weighted: boolean): WasmFunction {
  const [ROWS, COUNT, WEIGHTS, CENTRES, PAIRS, MASS, COUNTS, INERTIA] = [0, 1, 2, 3, 4, 5, 6, 7];
  const code = new Code(8);
  const l = searchLocals(code, d);
  const scratch = code.local(I32);
  const one = code.local(F64);
  code.f64Const(1).set(one);
  rowLoop(code, d, l, { rows: ROWS, count: COUNT, weights: WEIGHTS }, weighted, () => {
    emitSearch(code, d, l, CENTRES, PAIRS);
    code.get(INERTIA).get(l.nearest);
    if (weighted) code.get(l.w).f64Mul();
    code.f64Add().set(INERTIA);
    addAtLabel(code, MASS, l.label, l.w, scratch);
    addAtLabel(code, COUNTS, l.label, one, scratch);
  });
  code.get(INERTIA);
  return {
    name: weighted ? "measureWeighted" : "measure",
    params: [...Array(7).fill(I32), F64],
    results: [F64],
    code,
  };
}

type Assign = (
  rows: number,
  count: number,
  weights: number,
  centres: number,
  pairs: number,
  sums: number,
  mass: number,
) => number;
type Measure = (
  rows: number,
  count: number,
  weights: number,
  centres: number,
  pairs: number,
  mass: number,
  counts: number,
  inertia: number,
) => number;

interface Kernel {
  readonly memory: WebAssembly.Memory;
  readonly assign: Assign;
  readonly assignWeighted: Assign;
  readonly measure: Measure;
  readonly measureWeighted: Measure;
}

/** This thread's kernels by width; null where this engine cannot compile them (no 128-bit SIMD). */
const kernels = new Map<number, Kernel | null>();

function kernelFor(d: number): Kernel | null {
  if (d > BATCH_KERNEL_MAX_WIDTH || typeof WebAssembly !== "object") return null;
  let k = kernels.get(d);
  if (k === undefined) {
    try {
      const functions = [
        assignFunction(d, false),
        assignFunction(d, true),
        measureFunction(d, false),
        measureFunction(d, true),
      ];
      const module = new WebAssembly.Module(moduleBytes(functions, { shared: false, maxPages: MAX_PAGES }));
      const memory = kernelMemory(MAX_PAGES);
      k = {
        memory,
        ...(new WebAssembly.Instance(module, { env: { memory } }).exports as unknown as Omit<
          Kernel,
          "memory"
        >),
      };
    } catch {
      k = null;
    }
    kernels.set(d, k);
  }
  return k;
}

/** Writes `values` (K × `width`, row-major) as pairs of rows interleaved lane by lane; a missing odd row is NaN. */
function writePairs(target: Float64Array, values: Float64Array, K: number, width: number): void {
  for (let j = 0; j < K; j++) {
    const base = (j >> 1) * width * 2 + (j & 1);
    for (let t = 0; t < width; t++) target[base + 2 * t] = values[j * width + t]!;
  }
  if (K % 2 === 1) {
    const base = (K >> 1) * width * 2 + 1;
    for (let t = 0; t < width; t++) target[base + 2 * t] = Number.NaN;
  }
}

/**
 * Runs rows [from, from + rows) of X (row-major, d wide) against the K centres C (K × d) in WebAssembly:
 * `sums` (K × d) and `mass` (K) are overwritten with the batch's per-centre sums and masses, and the rows'
 * total weight is returned — exactly what batch-loop.ts's loop adds to zeroed arrays. Returns undefined
 * (nothing written) where the kernel cannot run: no WebAssembly SIMD, d over {@link BATCH_KERNEL_MAX_WIDTH},
 * or a batch too large for its memory.
 */
export function assignBatch(
  d: number,
  C: Float64Array,
  K: number,
  X: Float64Array,
  from: number,
  rows: number,
  W: Float64Array | undefined,
  sums: Float64Array,
  mass: Float64Array,
): number | undefined {
  const kernel = K < 1 ? null : kernelFor(d);
  if (kernel === null) return undefined;
  const pairs = Math.ceil(K / 2);
  const placed = placeRegions(kernel.memory, [
    pairs * d * 16,
    K * d * 8,
    K * 8,
    rows * d * 8,
    W === undefined ? 0 : rows * 8,
  ]);
  if (placed === undefined) return undefined;
  const { buffer, at } = placed;
  const [centresAt, sumsAt, massAt, rowsAt, weightsAt] = at;
  writePairs(new Float64Array(buffer, centresAt, pairs * d * 2), C, K, d);
  const sumsView = new Float64Array(buffer, sumsAt, K * d);
  const massView = new Float64Array(buffer, massAt, K);
  sumsView.fill(0);
  massView.fill(0);
  new Float64Array(buffer, rowsAt, rows * d).set(X.subarray(from * d, (from + rows) * d));
  let points: number;
  if (W === undefined) points = kernel.assign(rowsAt, rows, 0, centresAt, pairs, sumsAt, massAt);
  else {
    new Float64Array(buffer, weightsAt, rows).set(W.subarray(from, from + rows));
    points = kernel.assignWeighted(rowsAt, rows, weightsAt, centresAt, pairs, sumsAt, massAt);
  }
  sums.set(sumsView);
  mass.set(massView);
  return points;
}

/** The running totals of a measuring pass: updated in place by {@link measureRows}. */
export interface Measured {
  /** Σ over the rows of w × the squared distance to the nearest centre (the distance alone unweighted). */
  inertia: number;
  /** K: each centre's rows' total weight (its rows, unweighted). */
  readonly mass: Float64Array;
  /** K: each centre's rows. */
  readonly counts: Float64Array;
}

/** Rows measureRows copies into the kernel's memory at a time: the totals run on, so the bits do not depend on it. */
const MEASURE_SLICE_ROWS = 8192;

/**
 * Adds rows [0, rows) of X (row-major, d wide; W their weights) to the totals of a measuring pass against the
 * K centres C: each row's nearest centre (ties: the lowest index) gains its weight and count, and the inertia
 * its (weighted) squared distance, in row order — in WebAssembly where it runs, else in JavaScript, with the
 * same bits (the sums run on from the totals, so any split of the rows gives the same bits too).
 */
export function measureRows(
  d: number,
  C: Float64Array,
  K: number,
  X: Float64Array,
  rows: number,
  W: Float64Array | undefined,
  totals: Measured,
): void {
  const kernel = kernelFor(d);
  const slice = Math.min(rows, MEASURE_SLICE_ROWS);
  const pairs = Math.ceil(K / 2);
  const placed =
    kernel === null
      ? undefined
      : placeRegions(kernel.memory, [
          pairs * d * 16,
          K * 8,
          K * 8,
          slice * d * 8,
          W === undefined ? 0 : slice * 8,
        ]);
  if (kernel === null || placed === undefined) {
    measureRowsJs(d, C, K, X, rows, W, totals);
    return;
  }
  const { buffer, at } = placed;
  const [centresAt, massAt, countsAt, rowsAt, weightsAt] = at;
  writePairs(new Float64Array(buffer, centresAt, pairs * d * 2), C, K, d);
  const massView = new Float64Array(buffer, massAt, K);
  const countsView = new Float64Array(buffer, countsAt, K);
  massView.set(totals.mass);
  countsView.set(totals.counts);
  const rowsView = new Float64Array(buffer, rowsAt, slice * d);
  const weightsView = W === undefined ? undefined : new Float64Array(buffer, weightsAt, slice);
  let inertia = totals.inertia;
  for (let from = 0; from < rows; from += slice) {
    const count = Math.min(slice, rows - from);
    rowsView.set(X.subarray(from * d, (from + count) * d));
    if (weightsView === undefined)
      inertia = kernel.measure(rowsAt, count, 0, centresAt, pairs, massAt, countsAt, inertia);
    else {
      weightsView.set(W!.subarray(from, from + count));
      inertia = kernel.measureWeighted(rowsAt, count, weightsAt, centresAt, pairs, massAt, countsAt, inertia);
    }
  }
  totals.inertia = inertia;
  totals.mass.set(massView);
  totals.counts.set(countsView);
}

/** {@link measureRows} in JavaScript: `nearestCentre`'s search, the same sums in the same order. */
function measureRowsJs(
  d: number,
  C: Float64Array,
  K: number,
  X: Float64Array,
  rows: number,
  W: Float64Array | undefined,
  totals: Measured,
): void {
  let inertia = totals.inertia;
  for (let i = 0; i < rows; i++) {
    const j = nearestCentre(X, i * d, C, K, d);
    const w = W === undefined ? 1 : W[i]!;
    inertia += W === undefined ? nearestDist2 : nearestDist2 * w;
    totals.mass[j]! += w;
    totals.counts[j]! += 1;
  }
  totals.inertia = inertia;
}
