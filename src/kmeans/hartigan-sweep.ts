/**
 * The loops of Hartigan's moves (hartigan.ts), compiled per (d, k, weighted) with `new Function` as the Lloyd
 * row loops are (js-row-loops.ts): the row's d values sit in locals and each of the k distances is written out
 * term by term with constant centre offsets. Generic loops (a call per distance, an inner loop over d) cost
 * ~100 ns per row and centre set on the census (3,218 × 5, k = 7), which made the moves of 18 restarts ~40 ms
 * of a 90 ms K-Means job, most of it before V8 had optimised them. Terms are summed in the same order as
 * `squaredDistance` (t = 0..d-1, from 0), so the distances, and every move, are bit-identical to it.
 * @module
 */

/** One sweep over the rows: moves each row whose move lowers the inertia; returns the rows moved. */
type Sweep = (
  X: Float64Array,
  n: number,
  c: Float64Array,
  mass: Float64Array,
  labels: Int32Array,
  weights: Float64Array | undefined,
  relativeGain: number,
) => number;

/** Labels every row with its nearest centre (first on ties) and returns Σ w·distance² (w = 1 unweighted). */
type Nearest = (
  X: Float64Array,
  n: number,
  c: Float64Array,
  labels: Int32Array,
  sizes: Float64Array,
  weights: Float64Array | undefined,
) => number;

const sweeps = new Map<string, Sweep>();
const nearests = new Map<string, Nearest>();

/** `dist[j] = ‖x − c_j‖²` for every centre, unrolled when k·d is small (as js-row-loops.ts unrolls). */
function distances(d: number, k: number): string {
  const unroll = k * d <= 256;
  const one = (j: string | number) =>
    unroll
      ? `s = 0; ${Array.from({ length: d }, (_, t) => `diff = x${t} - c[${typeof j === "number" ? j * d + t : `${j} + ${t}`}]; s += diff * diff;`).join(" ")}`
      : `s = 0; for (let t = 0; t < ${d}; t++) { diff = X[off + t] - c[${j} + t]; s += diff * diff; }`;
  const load = unroll ? Array.from({ length: d }, (_, t) => `const x${t} = X[off + ${t}];`).join(" ") : "";
  const all = unroll
    ? Array.from({ length: k }, (_, j) => `${one(j)} dist[${j}] = s;`).join("\n")
    : `for (let j = 0; j < ${k}; j++) { ${one(`j * ${d}`)} dist[j] = s; }`;
  return `${load}\n${all}`;
}

/** The sweep for (d, k, weighted): hartigan.ts' rule, the same expressions in the same order. */
export function hartiganSweep(d: number, k: number, weighted: boolean): Sweep {
  const key = `${d}x${k}${weighted ? "w" : ""}`;
  let fn = sweeps.get(key);
  if (fn !== undefined) return fn;
  const body = `
    const dist = new Float64Array(${k});
    let moved = 0, diff = 0, s = 0;
    for (let i = 0, off = 0; i < n; i++, off += ${d}) {
      const a = labels[i];
      const w = ${weighted ? "weights[i]" : "1"};
      const wa = mass[a];
      if (wa - w <= 0) continue;
      ${distances(d, k)}
      const removeGain = ((wa * w) / (wa - w)) * dist[a];
      let best = -1;
      let bestCost = removeGain * (1 - relativeGain);
      for (let b = 0; b < ${k}; b++) {
        if (b === a) continue;
        const wb = mass[b];
        const cost = wb === 0 ? 0 : ((wb * w) / (wb + w)) * dist[b];
        if (cost < bestCost) {
          bestCost = cost;
          best = b;
        }
      }
      if (best < 0) continue;
      const wb = mass[best];
      for (let t = 0; t < ${d}; t++) {
        const v = X[off + t];
        c[a * ${d} + t] = (c[a * ${d} + t] * wa - w * v) / (wa - w);
        c[best * ${d} + t] = (c[best * ${d} + t] * wb + w * v) / (wb + w);
      }
      mass[a] = wa - w;
      mass[best] = wb + w;
      labels[i] = best;
      moved++;
    }
    return moved;`;
  fn = new Function("X", "n", "c", "mass", "labels", "weights", "relativeGain", body) as Sweep;
  sweeps.set(key, fn);
  return fn;
}

/** Nearest centres for (d, k, weighted), the first on ties, as assign.ts' `nearestCentre` chooses. */
export function nearestCentres(d: number, k: number, weighted: boolean): Nearest {
  const key = `${d}x${k}${weighted ? "w" : ""}`;
  let fn = nearests.get(key);
  if (fn !== undefined) return fn;
  const body = `
    const dist = new Float64Array(${k});
    let total = 0, diff = 0, s = 0;
    for (let i = 0, off = 0; i < n; i++, off += ${d}) {
      ${distances(d, k)}
      let best = 0, bestDist = dist[0];
      for (let j = 1; j < ${k}; j++) if (dist[j] < bestDist) { bestDist = dist[j]; best = j; }
      labels[i] = best;
      const w = ${weighted ? "weights[i]" : "1"};
      sizes[best] += w;
      total += w * bestDist;
    }
    return total;`;
  fn = new Function("X", "n", "c", "labels", "sizes", "weights", body) as Nearest;
  nearests.set(key, fn);
  return fn;
}

/**
 * The arrays and loops of one refinement (hartigan.ts): `nearest` labels every row with its nearest of
 * `centres` and fills `sizes`, returning Σ w·d²; `sweep` makes one pass of moves over `centres`, `mass` and
 * `labels`, returning the rows moved. In WebAssembly memory (wasm-hartigan.ts) or, here, plain arrays.
 */
export interface RefineLoops {
  readonly centres: Float64Array;
  readonly mass: Float64Array;
  readonly sizes: Float64Array;
  readonly labels: Int32Array;
  nearest(): number;
  sweep(relativeGain: number): number;
}

/** The loops compiled per shape in JavaScript, over plain arrays. */
export class JsRefineLoops implements RefineLoops {
  readonly centres: Float64Array;
  readonly mass: Float64Array;
  readonly sizes: Float64Array;
  readonly labels: Int32Array;
  readonly #x: Float64Array;
  readonly #n: number;
  readonly #weights: Float64Array | undefined;
  readonly #nearest: Nearest;
  readonly #sweep: Sweep;

  constructor(
    x: { rows: number; cols: number; data: Float64Array },
    k: number,
    weights: Float64Array | undefined,
  ) {
    const { rows: n, cols: d } = x;
    this.centres = new Float64Array(k * d);
    this.mass = new Float64Array(k);
    this.sizes = new Float64Array(k);
    this.labels = new Int32Array(n);
    this.#x = x.data;
    this.#n = n;
    this.#weights = weights;
    this.#nearest = nearestCentres(d, k, weights !== undefined);
    this.#sweep = hartiganSweep(d, k, weights !== undefined);
  }

  nearest(): number {
    this.sizes.fill(0);
    return this.#nearest(this.#x, this.#n, this.centres, this.labels, this.sizes, this.#weights);
  }

  sweep(relativeGain: number): number {
    return this.#sweep(this.#x, this.#n, this.centres, this.mass, this.labels, this.#weights, relativeGain);
  }
}
