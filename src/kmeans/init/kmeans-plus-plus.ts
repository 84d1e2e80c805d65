/**
 * k-means++ seeding (Arthur & Vassilvitskii 2007, "k-means++: the advantages of careful seeding"): the first
 * centre is a uniform row, each further centre is drawn with probability proportional to D(x)², the squared
 * distance to the nearest centre chosen so far. Like scikit-learn's `_kmeans_plusplus` (the "greedy" variant
 * the paper's §6 mentions), each step draws 2 + ⌊ln k⌋ candidates and keeps the one that lowers the total
 * potential Σ D(x)² the most; this gives markedly better starts than a single draw.
 *
 * Vectorised over the contiguous Float64Array: one running array of squared distances to the nearest centre,
 * a cumulative sum for sampling (binary search), and two scratch arrays swapped when a candidate wins.
 * @module
 */
import type { Matrix } from "../../linalg/matrix.js";
import type { Rng } from "../../linalg/rng.js";
import { centresFromRows, type InitResult } from "./random.js";

/** Options for {@link initKMeansPlusPlus}. */
export interface KMeansPlusPlusOptions {
  /** Candidates drawn per centre; default 2 + ⌊ln k⌋ (scikit-learn's choice). 1 is the original algorithm. */
  readonly numLocalTrials?: number;
}

/** dist[i] = ‖x_i − x_r‖² for every row i. */
function distancesToRow(x: Matrix, r: number, out: Float64Array): number {
  const { rows: n, cols: d, data: X } = x;
  const co = r * d;
  let total = 0;
  for (let i = 0; i < n; i++) {
    const off = i * d;
    let s = 0;
    for (let t = 0; t < d; t++) {
      const diff = X[off + t]! - X[co + t]!;
      s += diff * diff;
    }
    out[i] = s;
    total += s;
  }
  return total;
}

/** The first index i with cum[i] > r (so rows with zero weight are never drawn while the potential is > 0). */
function searchAbove(cum: Float64Array, r: number): number {
  let lo = 0;
  let hi = cum.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (cum[mid]! > r) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/**
 * Chooses k rows of `x` (n × d, k ≤ n) as initial centres by greedy k-means++. When every row already
 * coincides with a chosen centre (fewer than k distinct rows), candidates are drawn uniformly instead; the
 * Lloyd update then relocates the resulting empty clusters.
 *
 * @example
 * const { centres, rows } = initKMeansPlusPlus(x, 7, createRng(0));
 */
export function initKMeansPlusPlus(
  x: Matrix,
  k: number,
  rng: Rng,
  options: KMeansPlusPlusOptions = {},
): InitResult {
  const n = x.rows;
  const numTrials = options.numLocalTrials ?? 2 + Math.floor(Math.log(k));
  const rows = new Int32Array(k);
  let closest = new Float64Array(n);
  let best = new Float64Array(n);
  let scratch = new Float64Array(n);
  const cum = new Float64Array(n);
  rows[0] = rng.nextInt(n);
  distancesToRow(x, rows[0]!, closest);
  for (let c = 1; c < k; c++) {
    let acc = 0;
    for (let i = 0; i < n; i++) {
      acc += closest[i]!;
      cum[i] = acc;
    }
    const potential = acc;
    let bestRow = -1;
    let bestPotential = Number.POSITIVE_INFINITY;
    for (let trial = 0; trial < numTrials; trial++) {
      const candidate = potential > 0 ? searchAbove(cum, rng.nextFloat() * potential) : rng.nextInt(n);
      distancesToRow(x, candidate, scratch);
      let pot = 0;
      for (let i = 0; i < n; i++) {
        const v = Math.min(closest[i]!, scratch[i]!);
        scratch[i] = v;
        pot += v;
      }
      if (pot < bestPotential) {
        bestPotential = pot;
        bestRow = candidate;
        [best, scratch] = [scratch, best];
      }
    }
    rows[c] = bestRow;
    [closest, best] = [best, closest];
  }
  return { centres: centresFromRows(x, rows), rows };
}
