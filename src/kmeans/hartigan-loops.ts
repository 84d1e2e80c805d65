/**
 * The loops of Hartigan's moves (hartigan.ts) over plain arrays: the rule as hartigan.ts states it, for shapes
 * whose k·d is above WASM_HARTIGAN_MAX_KD (wasm-hartigan.ts generates the same loops in WebAssembly for the
 * rest), and the reference the WebAssembly loops are held to bit for bit (test/kmeans/hartigan.test.ts).
 * @module
 */
import { squaredDistance } from "../linalg/kernels.js";
import type { Matrix } from "../linalg/matrix.js";
import { nearestCentre, nearestDist2 } from "./assign.js";

/**
 * The arrays and loops of one refinement: `nearest` labels every row with its nearest of `centres` (the first
 * on ties) and fills `sizes`, returning Σ w·d²; `sweep` makes one pass of moves over `centres`, `mass` and
 * `labels`, returning the rows moved.
 */
export interface RefineLoops {
  readonly centres: Float64Array;
  readonly mass: Float64Array;
  readonly sizes: Float64Array;
  readonly labels: Int32Array;
  nearest(): number;
  /**
   * Each cluster's (weighted) mean under `labels` into `centres`, its total weight into `mass`; an empty
   * cluster's centre is 0. Rows are summed in row order, then divided by the weight.
   */
  means(): void;
  sweep(relativeGain: number): number;
}

/** The loops in JavaScript. */
export class JsRefineLoops implements RefineLoops {
  readonly centres: Float64Array;
  readonly mass: Float64Array;
  readonly sizes: Float64Array;
  readonly labels: Int32Array;
  readonly #x: Matrix;
  readonly #k: number;
  readonly #weights: Float64Array | undefined;
  readonly #dist: Float64Array;

  constructor(x: Matrix, k: number, weights: Float64Array | undefined) {
    this.centres = new Float64Array(k * x.cols);
    this.mass = new Float64Array(k);
    this.sizes = new Float64Array(k);
    this.labels = new Int32Array(x.rows);
    this.#x = x;
    this.#k = k;
    this.#weights = weights;
    this.#dist = new Float64Array(k);
  }

  nearest(): number {
    const { rows: n, cols: d, data: X } = this.#x;
    const weights = this.#weights;
    this.sizes.fill(0);
    let total = 0;
    for (let i = 0, off = 0; i < n; i++, off += d) {
      const j = nearestCentre(X, off, this.centres, this.#k, d);
      const w = weights === undefined ? 1 : weights[i]!;
      this.labels[i] = j;
      this.sizes[j]! += w;
      total += w * nearestDist2;
    }
    return total;
  }

  means(): void {
    const { rows: n, cols: d, data: X } = this.#x;
    const { centres, mass, labels } = this;
    const weights = this.#weights;
    centres.fill(0);
    mass.fill(0);
    for (let i = 0, off = 0; i < n; i++, off += d) {
      const j = labels[i]!;
      const w = weights === undefined ? 1 : weights[i]!;
      mass[j]! += w;
      for (let t = 0; t < d; t++) centres[j * d + t]! += w * X[off + t]!;
    }
    for (let j = 0; j < this.#k; j++)
      if (mass[j]! > 0) for (let t = 0; t < d; t++) centres[j * d + t]! /= mass[j]!;
  }

  sweep(relativeGain: number): number {
    const { rows: n, cols: d, data: X } = this.#x;
    const { centres: c, mass, labels } = this;
    const [k, weights, dist] = [this.#k, this.#weights, this.#dist];
    let moved = 0;
    for (let i = 0, off = 0; i < n; i++, off += d) {
      const a = labels[i]!;
      const w = weights === undefined ? 1 : weights[i]!;
      const wa = mass[a]!;
      if (wa - w <= 0) continue; // the row is its cluster's only weight: moving it would empty the cluster
      for (let j = 0; j < k; j++) dist[j] = squaredDistance(X, off, c, j * d, d);
      const removeGain = ((wa * w) / (wa - w)) * dist[a]!;
      let best = -1;
      let bestCost = removeGain * (1 - relativeGain);
      for (let b = 0; b < k; b++) {
        if (b === a) continue;
        const wb = mass[b]!;
        const cost = wb === 0 ? 0 : ((wb * w) / (wb + w)) * dist[b]!;
        if (cost < bestCost) {
          bestCost = cost;
          best = b;
        }
      }
      if (best < 0) continue;
      const wb = mass[best]!;
      for (let t = 0; t < d; t++) {
        const v = X[off + t]!;
        c[a * d + t] = (c[a * d + t]! * wa - w * v) / (wa - w);
        c[best * d + t] = (c[best * d + t]! * wb + w * v) / (wb + w);
      }
      mass[a] = wa - w;
      mass[best] = wb + w;
      labels[i] = best;
      moved++;
    }
    return moved;
  }
}
