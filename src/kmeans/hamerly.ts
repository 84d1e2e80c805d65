/**
 * The shard kernel of a Lloyd iteration with Hamerly's bounds (G. Hamerly, "Making k-means even faster",
 * SDM 2010). Every row keeps its label and one lower bound on the distance to its second-closest centre.
 * When the distance to its own centre is below max(lower bound, half the distance from that centre to the
 * nearest other centre), no other centre can be closer and the other k − 1 distances are skipped; once the
 * centres settle that is nearly every row. Unlike the original, the distance to the own centre is computed
 * exactly for every row (d multiply-adds, against k·d for a full search): the iteration's inertia and the
 * farthest rows then come out exactly as in a plain Lloyd step, and the upper bound is always tight.
 *
 * Identical results to plain Lloyd (lloyd-step.ts): a skip needs the bound test to pass with a relative
 * margin of 1e-10, far above the rounding in the bounds, so a skipped row's nearest centre is certainly
 * unique; every other row runs the same search loop as `lloydStep` (same formula, same order, ties to the
 * lowest index). Sums are then added in row order within a shard, and shards are merged in shard order.
 *
 * A bounded pass over a shard where no row moved on its previous pass keeps the sums out of its row loop:
 * the skip path then touches only the row, its label and its bound. If again no row moves, the shard's sums
 * from the previous pass are reused (the same rows added in the same order, so the same bits); otherwise a
 * second, short loop adds them in row order. A shard that did change is expected to change again, and its
 * bounded pass adds the sums in the row loop, as the full pass does. Once the centres settle, most shards are
 * unchanged and are never re-summed.
 * @module
 */
import { emptyFarthest, type FarthestRows, offerFarthest } from "./farthest-rows.js";

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
  /** True on the first pass of a restart (no bounds yet) and for plain Lloyd: search every centre. */
  readonly fullSearch: boolean;
  /** n: label of every row (read as the previous assignment, written as the new one). */
  readonly labels: Int32Array;
  /** n: lower bound on the distance of every row to its second-closest centre. */
  readonly lower: Float64Array;
  /** numShards × {@link stepStride}(k, d) results. */
  readonly out: Float64Array;
  /**
   * numShards × {@link cacheStride}(k, d): each shard's sums and counts from its last pass, then a 1 once
   * they are valid. A bounded pass that moves no row of a shard reuses them instead of re-summing the shard.
   */
  readonly cache: Float64Array;
}

/** Length of one shard's cached partial sums: k·d sums, k counts, then the valid flag. */
export function cacheStride(k: number, d: number): number {
  return k * d + k + 1;
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
  labels: Int32Array,
  lower: Float64Array,
  sums: Float64Array,
  counts: Float64Array,
  start: number,
  end: number,
  margin: number,
  result: Float64Array,
) => void;

const compiled = new Map<string, RowLoop>();

/**
 * The row loop specialised for (d, k): the row's d values are loaded into locals once and every distance is
 * written out term by term with constant centre offsets. V8 then keeps everything in registers with no inner
 * loop or bounds-check overhead — about 2× faster than the same loops written generically, and the reason a
 * hand-specialised kernel beats ml-kmeans (number[][] and a distance callback per pair) by an order of
 * magnitude. The terms are summed in the same order as `lloydStep`'s loop (t = 0..d-1, centres 0..k-1, strict
 * `<`), so the results are bit-identical to it. Large k·d falls back to plain loops (same order).
 *
 * Two separate functions per (d, k): `full` (the first pass of a restart, and plain Lloyd) searches every
 * centre; `bounded` tries Hamerly's skip first. One function serving both would be optimised by V8 during the
 * first (all-search) pass, with no type feedback for the skip path, and then deoptimise on later calls.
 */
function rowLoop(d: number, k: number, bounded: boolean, fused = !bounded): RowLoop {
  const key = `${d}x${k}${bounded ? "b" : "f"}${fused ? "s" : ""}`;
  let fn = compiled.get(key);
  if (fn !== undefined) return fn;
  const unroll = k * d <= 256;
  const xs = Array.from({ length: d }, (_, t) => `x${t}`);
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
  const accumulate = (label: string) => `
      counts[${label}]++;
      const so = ${label} * ${d};
      ${unroll ? xs.map((x, t) => `sums[so + ${t}] += ${x};`).join(" ") : `for (let t = 0; t < ${d}; t++) sums[so + t] += X[off + t];`}`;
  // The skip path comes first and ends in `continue`, so its few registers are not disturbed by the search.
  const skip = bounded
    ? `
      if (previous >= 0) {
        const co = previous * ${d};
        let own = 0;
        ${dist("own", "co")}
        const bound = lower[i] - drift[previous];
        const h = half[previous];
        const m = bound > h ? bound : h;
        if (m > 0 && own * margin2 < m * m) {
          lower[i] = bound;
          ${fused ? accumulate("previous") : ""}
          inertia += own;
          continue;
        }
      }`
    : "";
  const body = `
    let inertia = 0, changed = 0, diff = 0, v = 0;
    ${unroll ? centreLocals : ""}
    const margin2 = margin * margin;
    for (let i = start; i < end; i++) {
      const off = i * ${d};
      ${xs.map((x, t) => `const ${x} = X[off + ${t}];`).join(" ")}
      const previous = labels[i];
      ${skip}
      let best = 0, bestDist = Infinity, second = Infinity;
      ${search}
      lower[i] = Math.sqrt(second);
      if (best !== previous) changed++;
      labels[i] = best;
      ${fused ? accumulate("best") : ""}
      inertia += bestDist;
    }
    result[0] = inertia;
    result[1] = changed;`;
  fn = new Function(
    "X",
    "C",
    "half",
    "drift",
    "labels",
    "lower",
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
 * Runs a fresh row loop on two synthetic rows: the first searches every centre, the second takes the skip
 * path. Without this, V8 optimises the loop on-stack during its first long call, before the code after the
 * loop (and, for `bounded`, one of the two paths) has ever run, and that code then has no type feedback:
 * every later call deoptimised at the `return` and ran its first rows unoptimised again (measured: ~500
 * eager deopts per 1M-row fit; none with the warm-up).
 */
function warmUp(fn: RowLoop, d: number, k: number): void {
  const X = new Float64Array(2 * d);
  const C = new Float64Array(k * d);
  for (let j = 1; j < k; j++) C[j * d] = j;
  // V8 allocates a function's feedback vector only after several calls (lazy feedback allocation).
  for (let r = 0; r < 20; r++) {
    const labels = Int32Array.of(-1, 0);
    const lower = Float64Array.of(0, 1);
    fn(
      X,
      C,
      new Float64Array(k).fill(0.5),
      new Float64Array(k),
      labels,
      lower,
      new Float64Array(k * d),
      new Float64Array(k),
      0,
      2,
      MARGIN,
      new Float64Array(2),
    );
  }
}

/** Assigns the rows of shard `s` and writes its partial sums (see {@link readStepSlot} for the layout). */
export function stepShard(args: StepShardArgs, s: number): void {
  const { data: X, rows, cols: d, k, shardRows, centres: C, half, drift, fullSearch, labels, lower } = args;
  const start = s * shardRows;
  const end = Math.min(rows, start + shardRows);
  const sums = new Float64Array(k * d);
  const counts = new Float64Array(k);
  const result = new Float64Array(2);
  const { cache } = args;
  const cs = cacheStride(k, d);
  const co = s * cs;
  // The shard's cache flag: 0 none yet, 1 valid and unchanged on its last pass, 2 valid but rows moved.
  const flag = cache[co + cs - 1]!;
  const split = !fullSearch && flag === 1;
  rowLoop(d, k, !fullSearch, !split)(
    X,
    C,
    half,
    drift,
    labels,
    lower,
    sums,
    counts,
    start,
    end,
    MARGIN,
    result,
  );
  const inertia = result[0]!;
  const changed = result[1]!;
  if (split && changed === 0) {
    // No row of this shard moved: the same rows in the same order, so the same sums, bit for bit.
    sums.set(cache.subarray(co, co + k * d));
    counts.set(cache.subarray(co + k * d, co + k * d + k));
  } else {
    if (split) sumLoop(d)(X, labels, sums, counts, start, end);
    cache.set(sums, co);
    cache.set(counts, co + k * d);
    cache[co + cs - 1] = changed === 0 ? 1 : 2;
  }
  writeSlot(args.out, s * stepStride(k, d), sums, counts, inertia, changed, emptyFarthest(k, d));
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
