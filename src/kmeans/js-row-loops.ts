/**
 * The JavaScript row loops of a Lloyd pass (hamerly.ts runs them per shard), compiled per (d, k, pass kind)
 * with `new Function`: the row's d values are loaded into locals and every distance is written out term by
 * term with constant centre offsets, so V8 keeps everything in registers with no inner loop or bounds-check
 * overhead — about 2× faster than the same loops written generically, and the reason a hand-specialised
 * kernel beats ml-kmeans (number[][] and a distance callback per pair) by an order of magnitude. The
 * WebAssembly loops (wasm-kernels.ts) compute the same bits; these run for small inputs and for shapes the
 * WebAssembly ones do not cover, and the "exact" pass always runs here when the WebAssembly ones are off.
 * @module
 */
import { F32_TINY, F32_UP, F32_WIDEN, MARGIN, type PassKind } from "./bounds.js";

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
  weights?: Float64Array,
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
 * One function per (d, k, pass kind, fused sums, weighted): one function serving several kinds would be
 * optimised by V8 during the first (all-search) pass, with no type feedback for the skip paths, and then
 * deoptimise on later calls. `weighted`: each row's sums, count and inertia are multiplied by `weights[i]`
 * (a fit with sample weights); the assignment is the same.
 */
export function rowLoop(d: number, k: number, pass: PassKind, fused: boolean, weighted = false): RowLoop {
  const key = `${d}x${k}${pass}${fused ? "s" : ""}${weighted ? "w" : ""}`;
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
    !fused
      ? ""
      : weighted
        ? `
      counts[${label}] += w;
      const so = ${label} * ${d};
      ${unroll ? xs.map((x, t) => `sums[so + ${t}] += w * ${x};`).join(" ") : `for (let t = 0; t < ${d}; t++) sums[so + t] += w * X[off + t];`}`
        : `
      counts[${label}]++;
      const so = ${label} * ${d};
      ${unroll ? xs.map((x, t) => `sums[so + ${t}] += ${x};`).join(" ") : `for (let t = 0; t < ${d}; t++) sums[so + t] += X[off + t];`}`;
  // A row's share of the inertia: its squared distance, times its weight in a weighted fit.
  const addInertia = (v: string) => (weighted ? `inertia += w * ${v};` : `inertia += ${v};`);
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
          ${addInertia("own")}
          continue;
        }
      }`;
  const body = `
    let inertia = 0, changed = 0, diff = 0, v = 0;
    ${unroll ? centreLocals : ""}
    const margin2 = margin * margin;
    for (let i = start; i < end; i++) {
      const previous = labels[i];
      ${weighted ? "const w = weights[i];" : ""}
      ${skip}
      let best = 0, bestDist = Infinity, second = Infinity;
      ${search}
      ${storeUpper("Math.sqrt(bestDist)")}
      ${storeLower("Math.sqrt(second)")}
      if (best !== previous) changed++;
      labels[i] = best;
      ${accumulate("best")}
      ${addInertia("bestDist")}
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
    "weights",
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
      Float64Array.of(1, 2, 1, 3),
    );
  }
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
export function sumLoop(d: number): SumLoop {
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
 * Adds rows [start, end), each times its weight, to the sums and counts of their labels; the `inertia`
 * variant returns Σ w·‖x − C[label]‖² (each distance summed over t in order, as the row loops do), the other NaN.
 */
type WeightedSumLoop = (
  X: Float64Array,
  C: Float64Array,
  labels: Int32Array,
  weights: Float64Array,
  sums: Float64Array,
  counts: Float64Array,
  start: number,
  end: number,
) => number;

const weightedSumLoops = new Map<string, WeightedSumLoop>();

/**
 * `sumLoop` for a fit with sample weights, with the weighted inertia on request: the sums of a weighted pass
 * whose row loop did not add them (a bounded pass over an unchanged shard, and every WebAssembly pass, whose
 * kernels assign the rows but sum them unweighted). The same additions in the same order as the weighted
 * row loops, so the same bits.
 */
export function weightedSumLoop(d: number, inertia: boolean): WeightedSumLoop {
  const key = `${d}${inertia ? "i" : ""}`;
  let fn = weightedSumLoops.get(key);
  if (fn !== undefined) return fn;
  const unroll = d <= 32;
  const add = unroll
    ? Array.from({ length: d }, (_, t) => `sums[so + ${t}] += w * X[off + ${t}];`).join(" ")
    : `for (let t = 0; t < ${d}; t++) sums[so + t] += w * X[off + t];`;
  const dist = unroll
    ? Array.from({ length: d }, (_, t) => `diff = X[off + ${t}] - C[so + ${t}]; v += diff * diff;`).join(" ")
    : `for (let t = 0; t < ${d}; t++) { diff = X[off + t] - C[so + t]; v += diff * diff; }`;
  fn = new Function(
    "X",
    "C",
    "labels",
    "weights",
    "sums",
    "counts",
    "start",
    "end",
    // One function with the distances and one without: a flag tested per row kept V8 from keeping the
    // loop tight (measured: twice the time per row).
    `let total = 0, diff = 0;
    for (let i = start; i < end; i++) {
      const j = labels[i];
      const w = weights[i];
      counts[j] += w;
      const so = j * ${d}, off = i * ${d};
      ${add}
      ${inertia ? `let v = 0; ${dist} total += w * v;` : ""}
    }
    return ${inertia ? "total" : "NaN"};`,
  ) as WeightedSumLoop;
  for (let r = 0; r < 20; r++)
    fn(
      new Float64Array(d),
      new Float64Array(d),
      Int32Array.of(0),
      Float64Array.of(2),
      new Float64Array(d),
      new Float64Array(1),
      0,
      1,
    );
  weightedSumLoops.set(key, fn);
  return fn;
}
