/**
 * Choosing k: K-Means for every k of a range on the run's projections, each scored by its inertia (the
 * elbow), Calinski–Harabasz, Davies–Bouldin (the contract's cluster metrics) and the silhouette (on the same
 * seeded sample as the run's, above SILHOUETTE_EXACT_ROWS rows), and k chosen by one stated rule: the highest
 * silhouette, the smaller k on a tie. Each k is fitted in memory with the run's seed (a quick restart count),
 * and only the chosen one is trained as the run's registered K-Means job. With row weights the fits and their
 * inertia are weighted; the three quality scores stay unweighted, as scikit-learn defines them.
 * @module
 */
import { StrataError } from "../errors.js";
import { KMeans } from "../kmeans/kmeans.js";
import { silhouetteScore } from "../kmeans/metrics.js";
import type { Matrix } from "../linalg/matrix.js";

/** One k of the sweep. */
export interface SweepPoint {
  readonly k: number;
  readonly inertia: number;
  readonly calinskiHarabasz: number;
  readonly daviesBouldin: number;
  readonly silhouette: number;
}

/** The sweep and what it chose. */
export interface KSweep {
  readonly rule: string;
  readonly chosen: number;
  readonly points: readonly SweepPoint[];
}

export const SWEEP_RULE = "the highest silhouette; the smaller k on a tie";

/** The default range of `--clusters auto`. */
export const AUTO_RANGE: readonly [number, number] = [2, 12];

/**
 * Runs the sweep over `from..to` (capped at the rows − 1).
 * @param silhouetteRows rows the silhouette is computed on (a seeded sample below the table's size)
 * @example sweepK(projections, [2, 12], { seed: 0, restarts: 3, silhouetteRows: 10_000 }).chosen
 */
export function sweepK(
  x: Matrix,
  range: readonly [number, number],
  options: {
    seed: number;
    restarts: number;
    silhouetteRows: number;
    weights?: Float64Array | undefined;
    onK?: (k: number) => void;
  },
): KSweep {
  const [from, to] = [range[0], Math.min(range[1], x.rows - 1)];
  const points: SweepPoint[] = [];
  for (let k = from; k <= to; k++) {
    options.onK?.(k);
    const model = new KMeans({ k, seed: options.seed, numTrials: options.restarts }).fit(
      x,
      options.weights === undefined ? {} : { sampleWeight: options.weights },
    );
    const labels = model.predict(x).closestCluster;
    const score = model.score(x);
    const sampled = options.silhouetteRows < x.rows;
    points.push({
      k,
      inertia: model.inertia,
      calinskiHarabasz: score.calinskiHarabasz,
      daviesBouldin: score.daviesBouldin,
      silhouette: silhouetteScore(
        x,
        labels,
        sampled ? { sampleSize: options.silhouetteRows, seed: options.seed, everyLabel: true } : {},
      ),
    });
  }
  if (points.length === 0)
    throw new StrataError("INVALID_ARGUMENT", `No k from ${from} to ${range[1]} fits ${x.rows} rows.`, {
      details: { range: [...range], rows: x.rows },
    });
  let best = points[0]!;
  for (const p of points) if (p.silhouette > best.silhouette) best = p;
  return { rule: SWEEP_RULE, chosen: best.k, points };
}
