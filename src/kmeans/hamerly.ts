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
 * Each pass runs either these JavaScript row loops or the WebAssembly ones of wasm-kernels.ts (from
 * engine.ts's `WASM_MIN_ROWS` rows, for small enough k·d), which compute the same bits; the WebAssembly
 * passes also choose per shard between the bounded and the full kernel by what the last pass cost
 * (`wasmPass`).
 * @module
 */
import { F32_TINY, F32_UP, F32_WIDEN } from "./bounds.js";
import { emptyFarthest, type FarthestRows, offerFarthest } from "./farthest-rows.js";
import { scratchStride, type WasmStepArgs, wasmKernels } from "./wasm-workspace.js";

/** Relative margin of the skip test (see the module header). */
const MARGIN = 1 + 1e-10;

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
   * When set, the arrays above are views of this workspace's memory and the "full" and "bounded" passes run
   * its WebAssembly kernels (same results); the "exact" pass stays in JavaScript.
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
  /**
   * numShards × {@link cacheStride}(k, d): each shard's sums and counts from its last pass, then a 1 once
   * they are valid. A bounded pass that moves no row of a shard reuses them instead of re-summing the shard.
   */
  readonly cache: Float64Array;
}

/**
 * "full": no bounds (first pass of a restart, plain Lloyd); "bounded": Hamerly's skip on the upper bound;
 * "exact": the skip on the exact own distance, computed for every row (the last pass: exact inertia).
 */
export type PassKind = "full" | "bounded" | "exact";

/**
 * Length of one shard's cache: k·d sums, k counts, the valid flag, then whether its next bounded pass should
 * search every row instead (WebAssembly only; see `wasmPass`).
 */
export function cacheStride(k: number, d: number): number {
  return k * d + k + 2;
}

/** Length of one shard's result slot: sums, counts, inertia, changed, then the farthest-rows list. */
export function stepStride(k: number, d: number): number {
  return k * d + k + 3 + k * (3 + d);
}

/** The compiled row loop: assigns rows [start, end) and accumulates into sums/counts; writes [inertia, changed] to `result`. */
type RowLoop = (
  X: Float64Array,
  C: Float64Array,
  half: Float64Array,
  drift: Float64Array,
  move: Float64Array,
  labels: Int32Array,
  lower: Float32Array,
  upper: Float32Array,
  sums: Float64Array,
  counts: Float64Array,
  start: number,
  end: number,
  margin: number,
  result: Float64Array,
) => void;

const compiled = new Map<string, RowLoop>();

/**
 * The row loop specialised for (d, k): the row's d values are loaded into locals and every distance is
 * written out term by term with constant centre offsets. V8 then keeps everything in registers with no inner
 * loop or bounds-check overhead — about 2× faster than the same loops written generically, and the reason a
 * hand-specialised kernel beats ml-kmeans (number[][] and a distance callback per pair) by an order of
 * magnitude. The terms are summed in the same order as `lloydStep`'s loop (t = 0..d-1, centres 0..k-1, strict
 * `<`), so the results are bit-identical to it. Large k·d falls back to plain loops (same order).
 *
 * One function per (d, k, pass kind, fused sums): one function serving several kinds would be optimised by
 * V8 during the first (all-search) pass, with no type feedback for the skip paths, and then deoptimise on
 * later calls.
 */
function rowLoop(d: number, k: number, pass: PassKind, fused: boolean): RowLoop {
  const key = `${d}x${k}${pass}${fused ? "s" : ""}`;
  let fn = compiled.get(key);
  if (fn !== undefined) return fn;
  const unroll = k * d <= 256;
  const xs = Array.from({ length: d }, (_, t) => `x${t}`);
  const loadRow = unroll ? xs.map((x, t) => `const ${x} = X[off + ${t}];`).join(" ") : "";
  // `target` ← ‖x − C[base..base+d)‖², summed over t = 0..d-1 in order.
  const dist = (target: string, base: string) =>
    unroll
      ? `${target} = 0; ${xs.map((x, t) => `diff = ${x} - C[${base} + ${t}]; ${target} += diff * diff;`).join(" ")}`
      : `${target} = 0; for (let t = 0; t < ${d}; t++) { diff = X[off + t] - C[${base} + t]; ${target} += diff * diff; }`;
  const better = (j: string) =>
    `if (v < bestDist) { second = bestDist; bestDist = v; best = ${j}; } else if (v < second) second = v;`;
  // Unrolled, all k distances are computed before any comparison: independent chains the CPU overlaps.
  const search = unroll
    ? [
        ...Array.from(
          { length: k },
          (_, j) =>
            `let v${j} = 0; ${xs.map((x, t) => `diff = ${x} - c${j}_${t}; v${j} += diff * diff;`).join(" ")}`,
        ),
        ...Array.from({ length: k }, (_, j) => `v = v${j}; ${better(String(j))}`),
      ].join("\n")
    : `for (let j = 0; j < ${k}; j++) { ${dist("v", `j * ${d}`)} ${better("j")} }`;
  // Unrolled, the centres are read once per call into locals: no typed-array load (nor, once any
  // ArrayBuffer in the process has been detached, V8's per-access detach check) per centre and row.
  const centreLocals = Array.from({ length: k }, (_, j) =>
    xs.map((_, t) => `const c${j}_${t} = C[${j * d + t}];`).join(" "),
  ).join("\n");
  // Sums and counts: fused into the loop for the full pass, and for a bounded pass over a shard that changed
  // on its previous pass (likely to change again); otherwise left to `sumLoop` or the cache.
  const accumulate = (label: string) =>
    fused
      ? `
      counts[${label}]++;
      const so = ${label} * ${d};
      ${unroll ? xs.map((x, t) => `sums[so + ${t}] += ${x};`).join(" ") : `for (let t = 0; t < ${d}; t++) sums[so + t] += X[off + t];`}`
      : "";
  // Bounds are float32, rounded outwards without branches (bounds.ts).
  const storeUpper = (v: string) => `upper[i] = ${v} * ${F32_UP} + ${F32_TINY};`;
  const storeLower = (v: string) =>
    `{ const s = ${v}; lower[i] = s - Math.abs(s) * ${F32_WIDEN} - ${F32_TINY}; }`;
  // The skip paths come first and end in `continue`, so their few registers are not disturbed by the search.
  // "bounded": first on the stored upper bound, moved with its centre, without reading the row (unless the
  // sums need it); then on the exact distance. "exact": on the exact distance only, which the inertia sums.
  const upperSkip =
    pass === "bounded"
      ? `const u = upper[i] + move[previous];
        if (m > 0 && u * margin < m) {
          ${storeUpper("u")}
          ${storeLower("bound")}
          ${fused ? `{ ${loadRow} ${accumulate("previous")} }` : ""}
          continue;
        }`
      : "";
  const skip =
    pass === "full"
      ? `const off = i * ${d}; ${loadRow}`
      : `
      const off = i * ${d};
      let bound = 0, m = 0;
      if (previous >= 0) {
        bound = lower[i] - drift[previous];
        const h = half[previous];
        m = bound > h ? bound : h;
        ${upperSkip}
      }
      ${loadRow}
      if (previous >= 0) {
        let own = 0;
        const co = previous * ${d};
        ${dist("own", "co")}
        if (m > 0 && own * margin2 < m * m) {
          ${storeUpper("Math.sqrt(own)")}
          ${storeLower("bound")}
          ${accumulate("previous")}
          inertia += own;
          continue;
        }
      }`;
  const body = `
    let inertia = 0, changed = 0, diff = 0, v = 0;
    ${unroll ? centreLocals : ""}
    const margin2 = margin * margin;
    for (let i = start; i < end; i++) {
      const previous = labels[i];
      ${skip}
      let best = 0, bestDist = Infinity, second = Infinity;
      ${search}
      ${storeUpper("Math.sqrt(bestDist)")}
      ${storeLower("Math.sqrt(second)")}
      if (best !== previous) changed++;
      labels[i] = best;
      ${accumulate("best")}
      inertia += bestDist;
    }
    result[0] = ${pass === "bounded" ? "NaN" : "inertia"};
    result[1] = changed;`;
  fn = new Function(
    "X",
    "C",
    "half",
    "drift",
    "move",
    "labels",
    "lower",
    "upper",
    "sums",
    "counts",
    "start",
    "end",
    "margin",
    "result",
    body,
  ) as RowLoop;
  warmUp(fn, d, k);
  compiled.set(key, fn);
  return fn;
}

/**
 * Runs a fresh row loop on four synthetic rows that take every path: a full search (no label yet), a skip
 * on the upper bound, a skip on the exact distance, and a failed test followed by the search. Without this,
 * V8 optimises the loop on-stack during its first long call, before the code after the loop (and some of the
 * paths) has ever run, and that code then has no type feedback: every later call deoptimised at the `return`
 * and ran its first rows unoptimised again (measured: ~500 eager deopts per 1M-row fit; none with the
 * warm-up).
 */
function warmUp(fn: RowLoop, d: number, k: number): void {
  const X = new Float64Array(4 * d);
  X[3 * d] = 0.6;
  const C = new Float64Array(k * d);
  for (let j = 1; j < k; j++) C[j * d] = j;
  // V8 allocates a function's feedback vector only after several calls (lazy feedback allocation).
  for (let r = 0; r < 20; r++) {
    fn(
      X,
      C,
      new Float64Array(k).fill(0.5),
      new Float64Array(k),
      new Float64Array(k),
      Int32Array.of(-1, 0, 0, 0),
      Float32Array.of(0, 10, 10, 0),
      Float32Array.of(0, 0, 100, 100),
      new Float64Array(k * d),
      new Float64Array(k),
      0,
      4,
      MARGIN,
      new Float64Array(2),
    );
  }
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
  const { data: X, cols: d, k, centres: C, half, drift, move, pass, labels, lower, upper } = args;
  const split = pass !== "full" && flag === 1;
  const result = new Float64Array(2);
  rowLoop(d, k, pass, !split)(
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
  );
  const changed = result[1]!;
  if (split && changed > 0) sumLoop(d)(X, labels, sums, counts, start, end);
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
  if (pass === "full" || searchAll) {
    scratch.fill(0, base, r);
    kernels.full(x, centres, labels, lower, upper, sumsAt, countsAt, start, end, resultAt);
    readSums();
    const changed = scratch[r + 1]!;
    return { inertia: scratch[r]!, changed, summed: true, searchAll: changed > MOVED_FOR_FULL * rows };
  }
  kernels.bounded(x, centres, half, drift, move, labels, lower, upper, work, start, end, resultAt);
  const changed = scratch[r + 1]!;
  const next = scratch[r + 3]! > TESTED_FOR_FULL * rows;
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

/** Adds rows [start, end) to the sums and counts of their labels. */
type SumLoop = (
  X: Float64Array,
  labels: Int32Array,
  sums: Float64Array,
  counts: Float64Array,
  start: number,
  end: number,
) => void;

const sumLoops = new Map<number, SumLoop>();

/**
 * The partial sums of a bounded pass, after its row loop has settled the labels: rows in row order, each
 * added to its own label's sums, exactly the additions (and order) of the fused full-pass loop.
 */
function sumLoop(d: number): SumLoop {
  let fn = sumLoops.get(d);
  if (fn !== undefined) return fn;
  const unroll = d <= 32;
  const add = unroll
    ? Array.from({ length: d }, (_, t) => `sums[so + ${t}] += X[off + ${t}];`).join(" ")
    : `for (let t = 0; t < ${d}; t++) sums[so + t] += X[off + t];`;
  fn = new Function(
    "X",
    "labels",
    "sums",
    "counts",
    "start",
    "end",
    `for (let i = start; i < end; i++) {
      const j = labels[i];
      counts[j]++;
      const so = j * ${d}, off = i * ${d};
      ${add}
    }`,
  ) as SumLoop;
  for (let r = 0; r < 20; r++)
    fn(new Float64Array(d), Int32Array.of(0), new Float64Array(d), new Float64Array(1), 0, 1);
  sumLoops.set(d, fn);
  return fn;
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
    offerFarthest(farthest, v, i, labels[i]!, X, off);
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
  }
  out.set(f.points, p + 3 * k);
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
      points: out.slice(p + 3 * k, p + 3 * k + k * d),
    },
  };
}
