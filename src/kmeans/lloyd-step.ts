/**
 * One Lloyd iteration (Lloyd 1982, "Least squares quantization in PCM") split into a map over row shards and a
 * reduce: {@link lloydStep} assigns the rows of one shard to their nearest centre and returns plain partial
 * sums (per-cluster coordinate sums, counts, inertia, and the shard's rows farthest from their centres);
 * {@link mergeLloydPartials} adds two partials; {@link updateCentres} divides. This is the per-chunk buffer
 * design of scikit-learn's `_k_means_lloyd.pyx`, so the same step runs on one core, on worker threads or on
 * cluster workers. Merge in shard-index order (as {@link mergeLloydPartialsInOrder} does: the contract's
 * balanced tree), never arrival order, so results repeat bit for bit.
 *
 * Distances are direct differences Σ(x − c)², not ‖x‖² − 2x·c + ‖c‖²: with d ≈ 5 the cost is the same and
 * the result is exact to rounding, with no cancellation for points close to a centre. Ties go to the lowest
 * centre index.
 *
 * Empty clusters (scikit-learn's `_relocate_empty_clusters_dense`, made deterministic): after merging, each
 * empty cluster, in increasing index order, takes the row farthest from its assigned (old) centre among the
 * rows not yet taken (ties: lowest row index), and that row is removed from its old cluster's sums. A row
 * whose cluster would become empty by giving it up is skipped. If no row is left to take, the empty cluster
 * keeps its old centre and is reported as `stale`. Each partial keeps its k farthest rows, which is enough for
 * any number of empty clusters, so merging shards gives the same relocations as one shard.
 *
 * Sample weights (scikit-learn's `sample_weight`): each row counts w times, so the sums are Σ w·x, the counts
 * Σ w, the inertia Σ w·‖x − c‖², and a centre is its rows' weighted mean. Which centre is nearest does not
 * depend on the weights; the farthest rows are ranked by plain distance (as scikit-learn does) and a relocated
 * row carries its weight. Weights are positive, so a cluster's weight is 0 exactly when it has no rows.
 * @module
 */
import { mergeTree } from "../contract/contract.js";
import type { Matrix } from "../linalg/matrix.js";
import { matrix } from "../linalg/matrix.js";
import { nearestCentre, nearestDist2 } from "./assign.js";
import { emptyFarthest, type FarthestRows, mergeFarthest, offerFarthest } from "./farthest-rows.js";

export type { FarthestRows } from "./farthest-rows.js";

/** Plain, serialisable partial sums of one Lloyd step over a shard of rows. Merge by addition. */
export interface LloydPartial {
  /** Number of clusters. */
  readonly k: number;
  /** Number of features. */
  readonly d: number;
  /** k × d row-major: sum of the rows assigned to each cluster (Σ w·x when weighted). */
  readonly sums: Float64Array;
  /** k: number of rows assigned to each cluster (their total weight when weighted). */
  readonly counts: Float64Array;
  /** Sum of (weighted) squared distances of the rows to their (old) nearest centre. */
  readonly inertia: number;
  /** The shard's k rows farthest from their centres, for empty-cluster relocation. */
  readonly farthest: FarthestRows;
}

/** Which rows a step covers, and where to write their labels. */
export interface LloydStepOptions {
  /** First row (inclusive), default 0. */
  readonly start?: number;
  /** Last row (exclusive), default x.rows. */
  readonly end?: number;
  /** If given (length x.rows), receives the nearest-centre index of each row in the range. */
  readonly labels?: Int32Array;
  /** If given (length x.rows), each row's positive sample weight. */
  readonly weights?: Float64Array | undefined;
}

/** The identity of {@link mergeLloydPartials}: a partial over no rows. */
export function emptyLloydPartial(k: number, d: number): LloydPartial {
  return {
    k,
    d,
    sums: new Float64Array(k * d),
    counts: new Float64Array(k),
    inertia: 0,
    farthest: emptyFarthest(k, d),
  };
}

/**
 * Assigns rows [start, end) of `x` (n × d) to the nearest of `centres` (k × d) and returns the partial sums.
 * Widths are not checked here (a kernel); `KMeans.fit` checks them once.
 *
 * @example
 * const part = lloydStep(x, centres, { start: 0, end: 1000 });
 */
export function lloydStep(x: Matrix, centres: Matrix, options: LloydStepOptions = {}): LloydPartial {
  const { start = 0, end = x.rows, labels, weights } = options;
  const d = x.cols;
  const k = centres.rows;
  const X = x.data;
  const C = centres.data;
  const part = emptyLloydPartial(k, d);
  const { sums, counts } = part;
  let inertia = 0;
  for (let i = start; i < end; i++) {
    const off = i * d;
    const best = nearestCentre(X, off, C, k, d);
    const bestDist = nearestDist2;
    const so = best * d;
    if (weights === undefined) {
      counts[best]!++;
      for (let t = 0; t < d; t++) sums[so + t]! += X[off + t]!;
      inertia += bestDist;
    } else {
      const w = weights[i]!;
      counts[best]! += w;
      for (let t = 0; t < d; t++) sums[so + t]! += w * X[off + t]!;
      inertia += w * bestDist;
    }
    if (labels !== undefined) labels[i] = best;
    offerFarthest(part.farthest, bestDist, i, best, X, off, weights === undefined ? 1 : weights[i]!);
  }
  return { ...part, inertia };
}

/** Adds two partials (a first, then b): sums, counts and inertia add; the farthest rows are the top k of both. */
export function mergeLloydPartials(a: LloydPartial, b: LloydPartial): LloydPartial {
  const sums = new Float64Array(a.sums);
  const counts = new Float64Array(a.counts);
  for (let i = 0; i < sums.length; i++) sums[i]! += b.sums[i]!;
  for (let j = 0; j < counts.length; j++) counts[j]! += b.counts[j]!;
  return {
    k: a.k,
    d: a.d,
    sums,
    counts,
    inertia: a.inertia + b.inertia,
    farthest: mergeFarthest(a.farthest, b.farthest),
  };
}

/**
 * Merges partials in shard-index order, as the contract's balanced tree (contract.ts `mergeTree`): the same
 * bits as the Lloyd rounds on any executor.
 */
export function mergeLloydPartialsInOrder(
  parts: readonly LloydPartial[],
  k: number,
  d: number,
): LloydPartial {
  return parts.length === 0 ? emptyLloydPartial(k, d) : mergeTree(parts, mergeLloydPartials);
}

/** The result of the update half of a Lloyd step. */
export interface LloydUpdate {
  /** k × d new centres: the mean of each cluster's rows. */
  readonly centres: Matrix;
  /** Σ‖new − old‖² over all centres (squared Frobenius norm of the shift). */
  readonly centreShift: number;
  /** Empty clusters that were moved onto a far row, in the order they were handled. */
  readonly relocated: readonly { readonly cluster: number; readonly row: number }[];
  /** Empty clusters that found no row to take and kept their old centre. */
  readonly stale: readonly number[];
}

/**
 * Turns merged partial sums into new centres, relocating empty clusters by the rule in the module header.
 *
 * @param partial the merged partial of every shard
 * @param oldCentres k × d centres the partial was computed against
 */
export function updateCentres(partial: LloydPartial, oldCentres: Matrix): LloydUpdate {
  const { k, d, farthest } = partial;
  const sums = new Float64Array(partial.sums);
  const counts = new Float64Array(partial.counts);
  const relocated: { cluster: number; row: number }[] = [];
  const stale: number[] = [];
  let next = 0;
  for (let j = 0; j < k; j++) {
    if (counts[j]! > 0) continue;
    // A row whose cluster would be left with no weight (no other row) stays.
    while (next < farthest.count && counts[farthest.labels[next]!]! - farthest.weights[next]! <= 0) next++;
    if (next === farthest.count) {
      stale.push(j);
      continue;
    }
    const from = farthest.labels[next]!;
    const w = farthest.weights[next]!;
    const po = next * d;
    for (let t = 0; t < d; t++) {
      const v = farthest.points[po + t]!;
      // w = 1 (unweighted) multiplies exactly: the same bits as subtracting the row itself.
      sums[from * d + t]! -= w * v;
      sums[j * d + t] = w * v;
    }
    counts[from]! -= w;
    counts[j] = w;
    relocated.push({ cluster: j, row: farthest.rows[next]! });
    next++;
  }
  const centres = matrix(k, d);
  const C = centres.data;
  const old = oldCentres.data;
  let centreShift = 0;
  for (let j = 0; j < k; j++) {
    const n = counts[j]!;
    for (let t = 0; t < d; t++) {
      const idx = j * d + t;
      const v = n > 0 ? sums[idx]! / n : old[idx]!;
      C[idx] = v;
      const diff = v - old[idx]!;
      centreShift += diff * diff;
    }
  }
  return { centres, centreShift, relocated, stale };
}
