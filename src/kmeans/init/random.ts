/**
 * Random seeding: k distinct rows chosen uniformly (Forgy's method, as scikit-learn's `init="random"`, which
 * takes the first k entries of a random permutation). SageMaker's container calls this `init_method=random`.
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
export function initRandom(x: Matrix, k: number, rng: Rng): InitResult {
  const n = x.rows;
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
