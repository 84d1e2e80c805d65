/**
 * A fitted K-Means model: k centroids and, when it came from `KMeans.fit`, a summary of the training run. It
 * answers SageMaker's inference contract (spec §4.5, §5.7): for each row, `closestCluster` is the 0-based
 * centroid row and `distanceToCluster` the plain Euclidean (not squared) distance to it. A model built from a
 * SageMaker artifact's centroid matrix ({@link KMeansModel.fromCentroids}) predicts the same way.
 * @module
 */

import { fitShard, wholeShard } from "../contract/contract.js";
import { StrataError } from "../errors.js";
import { resolveFeatureNames } from "../linalg/checks.js";
import { type Matrix, matrix } from "../linalg/matrix.js";
import { assignNearest } from "./assign.js";
import { CLUSTER_METRICS } from "./metric-rounds.js";

/** What `KMeans.fit` learned beyond the centroids. */
export interface KMeansTrainingSummary {
  /** Sum of squared distances of the training rows to their closest final centroid (SageMaker's ssd). */
  readonly inertia: number;
  /** inertia / numRows (SageMaker's `train:msd`); inertia / totalWeight in a weighted fit. */
  readonly msd: number;
  /** Lloyd iterations of the winning restart. */
  readonly iterations: number;
  /** Whether the winning restart met the tolerance (or its labels stopped changing) before maxIterations. */
  readonly converged: boolean;
  /** Number of training rows. */
  readonly numRows: number;
  /** 0-based index of the winning restart (lowest inertia; ties go to the earliest). */
  readonly bestTrial: number;
  /** Final inertia of every restart, in order. */
  readonly trialInertias: readonly number[];
  /** Training rows per cluster, by cluster index. */
  readonly sizes: readonly number[];
  /** In a fit with sample weights: each cluster's total weight, by cluster index (the inertia is weighted). */
  readonly clusterWeights?: readonly number[];
  /** In a fit with sample weights: the rows' total weight. */
  readonly totalWeight?: number;
  /**
   * Present when the model came from web-scale training (training_mode=web-scale). `iterations`,
   * `converged`, `bestTrial` and `trialInertias` are then those of the K → k reduction's attempts, whose
   * inertias are over the weighted centres, not the rows; `inertia`, `msd` and `sizes` are over the rows.
   */
  readonly webScale?: WebScaleSummary;
}

/** What web-scale training did (web-scale/fit.ts). */
export interface WebScaleSummary {
  /** Rows per mini-batch, passes over the data, and the centres each shard kept (k × extra_center_factor). */
  readonly miniBatchSize: number;
  readonly epochs: number;
  readonly centresPerShard: number;
  /** Shards of the plan, each its own stream; mini-batches streamed by all of them over all epochs. */
  readonly shards: number;
  readonly miniBatches: number;
  /** Weighted centres the reduction started from (the union of the shards', less any of weight 0). */
  readonly reducedCentres: number;
  /** The winning reduction attempt's loss per unit of centre weight (SageMaker's "mean square distance"). */
  readonly reductionMsd: number;
}

/** Per-row answers of {@link KMeansModel.predict}. */
export interface KMeansPrediction {
  /** n: 0-based index of the closest centroid (ties: lowest index). */
  readonly closestCluster: Int32Array;
  /** n: Euclidean distance to that centroid. */
  readonly distanceToCluster: Float64Array;
}

/** SageMaker's K-Means metrics on some data. */
export interface KMeansScore {
  /** Mean squared distance to the closest centroid (NaN for no rows). */
  readonly msd: number;
  /** Sum of squared distances to the closest centroid. */
  readonly ssd: number;
  /** Rows scored. */
  readonly numRows: number;
  /** Of the rows labelled by their closest centroid (scikit-learn's definitions; NaN for no rows). */
  readonly calinskiHarabasz: number;
  readonly daviesBouldin: number;
}

/** An immutable fitted K-Means model. */
export class KMeansModel {
  /** Number of clusters. */
  readonly k: number;
  /** Number of features each row must have. */
  readonly numFeatures: number;
  /** The features' names, in column order ("x0".."x{d-1}" when the data had none). */
  readonly featureNames: readonly string[];
  /** k × numFeatures centroids (a private copy; treat as read-only). */
  readonly centroids: Matrix;
  /** The training run, or undefined for a model built from centroids alone. */
  readonly training: KMeansTrainingSummary | undefined;
  /** Training inertia (`training.inertia`); NaN when unknown (a model built from centroids alone). */
  readonly inertia: number;
  /** Lloyd iterations of the winning restart (`training.iterations`); 0 when unknown. */
  readonly iterations: number;
  /** Whether the winning restart converged (`training.converged`); false when unknown. */
  readonly converged: boolean;

  /**
   * @param centroids k × d, copied
   * @param training the training summary (KMeans.fit passes it)
   * @param featureNames one per column; default "x0".."x{d-1}"
   * @throws StrataError ARTIFACT_INVALID when there is no centroid or a value is not finite; WIDTH_MISMATCH
   *   for names of another count
   */
  constructor(centroids: Matrix, training?: KMeansTrainingSummary, featureNames?: readonly string[]) {
    if (centroids.rows < 1 || centroids.cols < 1) {
      throw new StrataError(
        "ARTIFACT_INVALID",
        `A K-Means model needs at least one centroid of at least one feature; got ${centroids.rows}x${centroids.cols}.`,
        { details: { rows: centroids.rows, cols: centroids.cols } },
      );
    }
    const bad = centroids.data.findIndex((v) => !Number.isFinite(v));
    if (bad >= 0) {
      const r = Math.floor(bad / centroids.cols);
      throw new StrataError(
        "ARTIFACT_INVALID",
        `Centroid ${r}, feature ${bad % centroids.cols} is ${centroids.data[bad]}; centroids must be finite.`,
        { details: { row: r, column: bad % centroids.cols } },
      );
    }
    this.k = centroids.rows;
    this.numFeatures = centroids.cols;
    this.featureNames = resolveFeatureNames(featureNames, centroids.cols);
    this.centroids = matrix(centroids.rows, centroids.cols, new Float64Array(centroids.data));
    this.training = training === undefined ? undefined : Object.freeze({ ...training });
    this.inertia = training?.inertia ?? Number.NaN;
    this.iterations = training?.iterations ?? 0;
    this.converged = training?.converged ?? false;
    Object.freeze(this);
  }

  /**
   * A model from a centroid matrix, e.g. `params[0]` of a SageMaker `model_algo-1` (k × D, float32 widened).
   * A training summary can be attached when one is known (for instance from a job's stored metrics).
   *
   * @throws StrataError ARTIFACT_INVALID
   * @example
   * const model = KMeansModel.fromCentroids(fromRows(expected.centroids));
   */
  static fromCentroids(
    centroids: Matrix,
    training?: KMeansTrainingSummary,
    featureNames?: readonly string[],
  ): KMeansModel {
    return new KMeansModel(centroids, training, featureNames);
  }

  /**
   * The closest centroid of every row and the Euclidean distance to it.
   *
   * @param x n × numFeatures
   * @throws StrataError WIDTH_MISMATCH when x has a different number of columns
   * @example
   * const { closestCluster, distanceToCluster } = model.predict(x);
   */
  predict(x: Matrix): KMeansPrediction {
    this.checkWidth(x);
    const { labels, dist2 } = assignNearest(x, this.centroids);
    const distanceToCluster = new Float64Array(dist2.length);
    for (let i = 0; i < dist2.length; i++) distanceToCluster[i] = Math.sqrt(dist2[i]!);
    return { closestCluster: labels, distanceToCluster };
  }

  /**
   * SageMaker's msd and ssd of `x` against this model's centroids (a test channel's `test:msd`/`test:ssd`),
   * with the Calinski–Harabasz and Davies–Bouldin scores of the rows labelled by them (metric-rounds.ts).
   *
   * @throws StrataError WIDTH_MISMATCH
   */
  score(x: Matrix): KMeansScore {
    this.checkWidth(x);
    // The contract's metrics, on this thread (a training job runs the same rounds on its executor).
    const metrics = fitShard(CLUSTER_METRICS, { centres: this.centroids }, wholeShard(x));
    return { ...metrics, numRows: x.rows };
  }

  private checkWidth(x: Matrix): void {
    if (x.cols !== this.numFeatures) {
      throw new StrataError(
        "WIDTH_MISMATCH",
        `Input rows have ${x.cols} values; the model was trained on ${this.numFeatures} features.`,
        { details: { expected: this.numFeatures, received: x.cols } },
      );
    }
  }
}
