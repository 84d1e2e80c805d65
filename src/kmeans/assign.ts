/**
 * The nearest-centre kernel shared by prediction, scoring and metrics: for each row of x (n × d), the index
 * of the closest of k centres (k × d) by exact squared Euclidean distance, computed from direct differences.
 * Ties go to the lowest centre index, matching the Lloyd step, so `predict` on training rows reproduces the
 * final training assignment bit for bit.
 * @module
 */
import type { Matrix } from "../linalg/matrix.js";

/** Nearest centres of every row, and the squared distances to them. */
export interface Assignment {
  /** n: 0-based index of the closest centre. */
  readonly labels: Int32Array;
  /** n: squared Euclidean distance to that centre. */
  readonly dist2: Float64Array;
}

/** Squared distance of the last {@link nearestCentre} call (a second result without allocating). */
export let nearestDist2 = 0;

/**
 * Index of the centre nearest to row `off / d` of X (ties: the lowest index); sets {@link nearestDist2}.
 * X is n × d and C is k × d, both row-major.
 */
export function nearestCentre(X: Float64Array, off: number, C: Float64Array, k: number, d: number): number {
  let best = 0;
  let bestDist = Number.POSITIVE_INFINITY;
  for (let j = 0; j < k; j++) {
    const co = j * d;
    let s = 0;
    for (let t = 0; t < d; t++) {
      const diff = X[off + t]! - C[co + t]!;
      s += diff * diff;
    }
    if (s < bestDist) {
      bestDist = s;
      best = j;
    }
  }
  nearestDist2 = bestDist;
  return best;
}

/** Assigns every row of `x` to its nearest centre. Widths must already match (x.cols === centres.cols). */
export function assignNearest(x: Matrix, centres: Matrix): Assignment {
  const { rows: n, cols: d, data: X } = x;
  const k = centres.rows;
  const C = centres.data;
  const labels = new Int32Array(n);
  const dist2 = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    labels[i] = nearestCentre(X, i * d, C, k, d);
    dist2[i] = nearestDist2;
  }
  return { labels, dist2 };
}

/** Rows nearest to each centre (k counts; ties to the lowest index): cluster sizes of a weighted fit. */
export function rowsPerCluster(x: Matrix, centres: Matrix): number[] {
  const sizes = new Array<number>(centres.rows).fill(0);
  for (const label of assignNearest(x, centres).labels) sizes[label]!++;
  return sizes;
}
