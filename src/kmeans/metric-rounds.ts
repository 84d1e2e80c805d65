/**
 * A clustering's quality metrics as an algorithm of the contract (src/contract), two rounds over the data for
 * given centres, each row labelled by its nearest centre:
 *
 * 1. counts, sums and Σ‖x‖ per cluster, the squared distance to the nearest centre (SageMaker's `ssd`, and
 *    `msd` = ssd / n), and the overall sum: cluster means μ_c and the overall mean μ follow;
 * 2. Σ‖x − μ_c‖ and Σ‖x − μ_c‖² per cluster, from the round-1 means.
 *
 * Calinski–Harabasz = [Σ n_c‖μ_c − μ‖² / (k − 1)] / [Σ‖x − μ_c‖² / (n − k)] and Davies–Bouldin = mean over
 * c of max over c' ≠ c of (s_c + s_c') / ‖μ_c − μ_c'‖ with s_c the mean distance to μ_c: scikit-learn's
 * definitions (Caliński & Harabasz 1974; Davies & Bouldin 1979), both over the labels' own cluster means.
 * @module
 */

import { checkChunkWidth } from "../contract/checks.js";
import type { AlgorithmRef, ShardAlgorithm } from "../contract/contract.js";
import { squaredDistance } from "../linalg/kernels.js";
import type { Matrix } from "../linalg/matrix.js";
import { definedRef } from "../util/module-ref.js";
import { nearestCentre, nearestDist2 } from "./assign.js";

export interface MetricRoundState {
  readonly centres: Matrix;
  /** Round 2 only: each cluster's mean (k × d) and the overall mean (d), from round 1. */
  readonly means?: {
    readonly clusters: Float64Array;
    readonly overall: Float64Array;
    readonly counts: Float64Array;
    readonly ssd: number;
  };
}

export interface MetricPartial {
  readonly n: number;
  readonly ssd: number;
  readonly counts: Float64Array;
  /** Round 1: k × d sums. Round 2: unused (empty). */
  readonly sums: Float64Array;
  readonly total: Float64Array;
  /** Round 2: per cluster Σ‖x − μ_c‖ and Σ‖x − μ_c‖². */
  readonly dist: Float64Array;
  readonly dist2: Float64Array;
}

export interface ClusterMetrics {
  readonly msd: number;
  readonly ssd: number;
  readonly calinskiHarabasz: number;
  readonly daviesBouldin: number;
}

function add(a: Float64Array, b: Float64Array): Float64Array {
  return a.map((v, i) => v + b[i]!);
}

/**
 * Adds the row at `off` to its cluster's sums and to the total. The per-row work is in functions (this one, and
 * linalg/kernels.ts' squaredDistance), which V8 optimises after their first calls: the loop over the rows runs
 * once per round, and inside it the work stayed interpreted. Same operations in the same order.
 */
function addToSums(
  sums: Float64Array,
  total: Float64Array,
  X: Float64Array,
  off: number,
  label: number,
  d: number,
): void {
  for (let t = 0; t < d; t++) {
    sums[label * d + t]! += X[off + t]!;
    total[t]! += X[off + t]!;
  }
}

export const CLUSTER_METRICS: ShardAlgorithm<MetricRoundState, MetricPartial, ClusterMetrics> = {
  name: "cluster metrics",
  empty: (state, width) => {
    const k = state.centres.rows;
    return {
      n: 0,
      ssd: 0,
      counts: new Float64Array(k),
      sums: new Float64Array(state.means === undefined ? k * width : 0),
      total: new Float64Array(width),
      dist: new Float64Array(k),
      dist2: new Float64Array(k),
    };
  },
  update(p, chunk, state) {
    const { centres, means } = state;
    const d = centres.cols;
    const k = centres.rows;
    checkChunkWidth(chunk, d, this.name);
    const counts = new Float64Array(p.counts);
    const sums = new Float64Array(p.sums);
    const total = new Float64Array(p.total);
    const dist = new Float64Array(p.dist);
    const dist2 = new Float64Array(p.dist2);
    let ssd = p.ssd;
    const X = chunk.data;
    for (let i = 0; i < chunk.rows; i++) {
      const off = i * d;
      const label = nearestCentre(X, off, centres.data, k, d);
      const nearest2 = nearestDist2;
      counts[label]!++;
      ssd += nearest2;
      if (means === undefined) addToSums(sums, total, X, off, label, d);
      else {
        const s = squaredDistance(X, off, means.clusters, label * d, d);
        dist[label]! += Math.sqrt(s);
        dist2[label]! += s;
      }
    }
    return { n: p.n + chunk.rows, ssd, counts, sums, total, dist, dist2 };
  },
  merge: (a, b) => ({
    n: a.n + b.n,
    ssd: a.ssd + b.ssd,
    counts: add(a.counts, b.counts),
    sums: add(a.sums, b.sums),
    total: add(a.total, b.total),
    dist: add(a.dist, b.dist),
    dist2: add(a.dist2, b.dist2),
  }),
  finalize(merged, state) {
    const k = state.centres.rows;
    const d = state.centres.cols;
    if (state.means === undefined) {
      const clusters = new Float64Array(k * d);
      for (let c = 0; c < k; c++)
        for (let t = 0; t < d; t++)
          clusters[c * d + t] = merged.counts[c]! > 0 ? merged.sums[c * d + t]! / merged.counts[c]! : 0;
      const overall = merged.total.map((v) => v / merged.n);
      return {
        done: false,
        state: { ...state, means: { clusters, overall, counts: merged.counts, ssd: merged.ssd } },
      };
    }
    const { clusters, overall, counts, ssd } = state.means;
    const n = merged.n;
    if (n === 0)
      return {
        done: true,
        model: { msd: Number.NaN, ssd: 0, calinskiHarabasz: Number.NaN, daviesBouldin: Number.NaN },
      };
    const used = Array.from({ length: k }, (_, c) => c).filter((c) => counts[c]! > 0);
    let between = 0;
    for (const c of used) {
      let s = 0;
      for (let t = 0; t < d; t++) s += (clusters[c * d + t]! - overall[t]!) ** 2;
      between += counts[c]! * s;
    }
    const within = used.reduce((s, c) => s + merged.dist2[c]!, 0);
    const kk = used.length;
    const calinskiHarabasz = within === 0 || kk < 2 ? 1 : (between * (n - kk)) / (within * (kk - 1));
    let db = 0;
    for (const c of used) {
      let worst = 0;
      for (const o of used) {
        if (o === c) continue;
        let sep = 0;
        for (let t = 0; t < d; t++) sep += (clusters[c * d + t]! - clusters[o * d + t]!) ** 2;
        // Two clusters with the same centre: 0, as scikit-learn and metrics.ts daviesBouldinScore take it.
        const ratio =
          sep === 0 ? 0 : (merged.dist[c]! / counts[c]! + merged.dist[o]! / counts[o]!) / Math.sqrt(sep);
        if (ratio > worst) worst = ratio;
      }
      db += worst;
    }
    return {
      done: true,
      model: { msd: ssd / n, ssd, calinskiHarabasz, daviesBouldin: kk < 2 ? 0 : db / kk },
    };
  },
};

export const CLUSTER_METRICS_REF: AlgorithmRef = definedRef(
  import.meta.url,
  "CLUSTER_METRICS",
  CLUSTER_METRICS,
);
