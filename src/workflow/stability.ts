/**
 * How stable each segment is, by Hennig's cluster-wise bootstrap ("Cluster-wise assessment of cluster
 * stability", 2007; R's fpc::clusterboot): the rows are resampled with replacement, K-Means with the same k
 * is fitted on each resample, and every original segment is matched with its most similar cluster of the
 * resample by the Jaccard similarity of their rows (among the rows drawn). A segment's stability is the mean
 * of that best Jaccard over the resamples: above 0.75 a segment is stable, below 0.5 it dissolves.
 * Everything is seeded by the run's seed, so a run repeats exactly. With row weights, each resample's fit
 * weighs its drawn rows as the run's fit does.
 * @module
 */
import { KMeans } from "../kmeans/kmeans.js";
import { type Matrix, matrix } from "../linalg/matrix.js";
import { createRng } from "../linalg/rng.js";

/** What a stability assessment says. */
export interface Stability {
  readonly resamples: number;
  /** Per segment, the mean best Jaccard similarity over the resamples (0..1). */
  readonly jaccard: readonly number[];
}

/** Restarts per resample: enough to find the resample's clusters, quick enough for many resamples. */
const RESAMPLE_RESTARTS = 3;

/**
 * The cluster-wise bootstrap of `labels` (0..k−1) on `x` over `resamples` resamples.
 * @example clusterStability(projections, closestCluster, 7, 20, 0).jaccard[3] // 0.91
 */
export function clusterStability(
  x: Matrix,
  labels: ArrayLike<number>,
  k: number,
  resamples: number,
  seed: number,
  onResample?: (b: number) => void,
  weights?: Float64Array,
): Stability {
  const n = x.rows;
  const d = x.cols;
  const rng = createRng(seed + 1);
  const totals = new Float64Array(k);
  // Resamples that drew no row of a segment say nothing of it (Hennig skips them).
  const counted = new Float64Array(k);
  for (let b = 0; b < resamples; b++) {
    onResample?.(b);
    const drawn = new Int32Array(n);
    for (let i = 0; i < n; i++) drawn[i] = rng.nextInt(n);
    const sample = matrix(n, d);
    for (let i = 0; i < n; i++) sample.data.set(x.data.subarray(drawn[i]! * d, (drawn[i]! + 1) * d), i * d);
    const sampleWeight = weights === undefined ? undefined : Float64Array.from(drawn, (row) => weights[row]!);
    const model = new KMeans({ k, seed: seed + 100 + b, numTrials: RESAMPLE_RESTARTS }).fit(
      sample,
      sampleWeight === undefined ? {} : { sampleWeight },
    );
    const boot = model.predict(sample).closestCluster;
    // Each distinct row drawn, with its original segment and its cluster in the resample.
    const seen = new Map<number, number>();
    for (let i = 0; i < n; i++) if (!seen.has(drawn[i]!)) seen.set(drawn[i]!, boot[i]!);
    const inter = new Float64Array(k * k);
    const sizeA = new Float64Array(k);
    const sizeB = new Float64Array(k);
    for (const [row, cluster] of seen) {
      const a = labels[row]!;
      inter[a * k + cluster]!++;
      sizeA[a]!++;
      sizeB[cluster]!++;
    }
    for (let a = 0; a < k; a++) {
      if (sizeA[a] === 0) continue;
      counted[a]!++;
      let best = 0;
      for (let c = 0; c < k; c++) {
        const i = inter[a * k + c]!;
        const union = sizeA[a]! + sizeB[c]! - i;
        if (union > 0 && i / union > best) best = i / union;
      }
      totals[a]! += best;
    }
  }
  return {
    resamples,
    jaccard: Array.from(totals, (t, a) => (counted[a] === 0 ? Number.NaN : t / counted[a]!)),
  };
}
