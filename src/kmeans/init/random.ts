/**
 * Random seeding: k distinct rows chosen uniformly (Forgy's method, as scikit-learn's `init="random"`, which
 * takes the first k entries of a random permutation). SageMaker's container calls this `init_method=random`.
 * With sample weights, as scikit-learn's: k distinct rows drawn one by one in proportion to their weights.
 * @module
 */
import { type Matrix, matrix } from "../../linalg/matrix.js";
import type { Rng } from "../../linalg/rng.js";

/** Initial centres and the rows they were copied from. */
export interface InitResult {
  /** k × d initial centres. */
  readonly centres: Matrix;
  /** k: the row of `x` each centre was copied from. */
  readonly rows: Int32Array;
}

/** Copies the given rows of `x` into a new k × d matrix. */
export function centresFromRows(x: Matrix, rows: Int32Array): Matrix {
  const d = x.cols;
  const out = matrix(rows.length, d);
  for (let j = 0; j < rows.length; j++) {
    const r = rows[j]!;
    out.data.set(x.data.subarray(r * d, (r + 1) * d), j * d);
  }
  return out;
}

/**
 * Picks k distinct rows of `x` (n × d, k ≤ n) uniformly at random, by a partial Fisher–Yates shuffle.
 *
 * @example
 * const { centres } = initRandom(x, 7, createRng(0));
 */
export function initRandom(x: Matrix, k: number, rng: Rng, weights?: Float64Array): InitResult {
  const n = x.rows;
  if (weights !== undefined) {
    // Drawn rows get weight 0, so each draw is among the rows not drawn yet.
    const left = Float64Array.from(weights);
    const rows = new Int32Array(k);
    for (let j = 0; j < k; j++) {
      rows[j] = drawByWeight(left, rng);
      left[rows[j]!] = 0;
    }
    return { centres: centresFromRows(x, rows), rows };
  }
  const perm = new Int32Array(n);
  for (let i = 0; i < n; i++) perm[i] = i;
  for (let i = 0; i < k; i++) {
    const j = i + rng.nextInt(n - i);
    const tmp = perm[i]!;
    perm[i] = perm[j]!;
    perm[j] = tmp;
  }
  const rows = perm.slice(0, k);
  return { centres: centresFromRows(x, rows), rows };
}

/**
 * A row drawn with probability proportional to its (non-negative) weight; rows of weight 0 are never drawn
 * while any weight is positive (rounding past the total gives the last row of positive weight).
 */
export function drawByWeight(weights: Float64Array, rng: Rng): number {
  let total = 0;
  for (let i = 0; i < weights.length; i++) total += weights[i]!;
  const r = rng.nextFloat() * total;
  let acc = 0;
  let last = weights.length - 1;
  for (let i = 0; i < weights.length; i++) {
    if (weights[i]! <= 0) continue;
    acc += weights[i]!;
    last = i;
    if (acc > r) return i;
  }
  return last;
}
