/**
 * The row loop of a web-scale mini-batch (mini-batch.ts), compiled per (d, weighted) with `new Function` as
 * js-row-loops.ts compiles Lloyd's: the row's d values sit in locals and each distance is written out term by
 * term, so V8 keeps the row in registers — measured 2.3–2.7 ns per centre and row at d = 5, against 4–6.5 ns
 * for the generic `nearestCentre` loop (K = 70 centres, where Lloyd's fully unrolled loops stop: K·d > 256).
 * The operations and their order are `nearestCentre`'s (terms t = 0..d−1, centres in index order, strict `<`,
 * ties to the lowest index) and the sums are added row by row, so the bits are those of the plain loop
 * (test/kmeans/web-scale.test.ts compares them).
 * @module
 */

/**
 * Assigns rows [from, end) of X (row-major, d wide) to the nearest of the K centres C and adds each row (times
 * its weight) to its centre's `sums` and `mass`; returns the rows' total weight.
 */
export type BatchLoop = (
  X: Float64Array,
  C: Float64Array,
  K: number,
  sums: Float64Array,
  mass: Float64Array,
  from: number,
  end: number,
  W: Float64Array | undefined,
) => number;

const compiled = new Map<string, BatchLoop>();

/** The loop for rows of `d` values, unweighted or weighted (`W` then gives every row's weight). */
export function batchLoop(d: number, weighted: boolean): BatchLoop {
  const key = `${d}${weighted ? "w" : ""}`;
  let fn = compiled.get(key);
  if (fn !== undefined) return fn;
  // Beyond 32 values a row no longer fits in registers anyway: a plain inner loop, in the same order.
  const unroll = d <= 32;
  const xs = Array.from({ length: d }, (_, t) => `x${t}`);
  const load = unroll ? xs.map((x, t) => `const ${x} = X[off + ${t}];`).join(" ") : "";
  const distance = unroll
    ? xs.map((x, t) => `diff = ${x} - C[co + ${t}]; s += diff * diff;`).join(" ")
    : `for (let t = 0; t < ${d}; t++) { diff = X[off + t] - C[co + t]; s += diff * diff; }`;
  const scaled = (v: string) => (weighted ? `w * ${v}` : v);
  const add = unroll
    ? xs.map((x, t) => `sums[so + ${t}] += ${scaled(x)};`).join(" ")
    : `for (let t = 0; t < ${d}; t++) sums[so + t] += ${scaled("X[off + t]")};`;
  fn = new Function(
    "X",
    "C",
    "K",
    "sums",
    "mass",
    "from",
    "end",
    "W",
    `let points = 0, diff = 0;
    for (let i = from; i < end; i++) {
      const off = i * ${d};
      ${load}
      let best = 0, bestDist = Infinity;
      for (let j = 0, co = 0; j < K; j++, co += ${d}) {
        let s = 0;
        ${distance}
        if (s < bestDist) { bestDist = s; best = j; }
      }
      const so = best * ${d};
      ${weighted ? "const w = W[i];" : "const w = 1;"}
      ${add}
      mass[best] += w;
      points += w;
    }
    return points;`,
  ) as BatchLoop;
  compiled.set(key, fn);
  return fn;
}
