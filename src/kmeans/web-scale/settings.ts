/**
 * The settings web-scale training reads, taken once from the validated K-Means params: plain data, so the
 * contract's round state carries them to any executor (a worker thread, a cluster worker).
 * @module
 */
import type { InitMethod, KMeansParams } from "../hyperparameters.js";
import { fixedRestarts } from "../restart-count.js";

export interface WebScaleSettings {
  /** Final clusters. */
  readonly k: number;
  /** K = k × extra_center_factor: the weighted centres each shard streams into. */
  readonly centresPerShard: number;
  /** Rows per mini-batch (`mini_batch_size`). */
  readonly miniBatchSize: number;
  /** Passes over the data (`epochs`). */
  readonly epochs: number;
  /** Points after which a point's weight has halved (`half_life_time_size`; 0: no decay). */
  readonly halfLifeTimeSize: number;
  /** How each shard draws its K initial centres from its first mini-batch (`init_method`). */
  readonly initMethod: InitMethod;
  readonly seed: number;
  /** The K → k reduction: weighted Lloyd with restarts (`local_lloyd_*`). */
  readonly reduction: {
    readonly initMethod: InitMethod;
    readonly maxIterations: number;
    readonly tol: number;
    readonly numTrials: number;
  };
}

/**
 * The web-scale settings of `params`.
 * @example webScaleSettings(resolveKMeansParams({ k: 7 })).centresPerShard; // 70
 */
export function webScaleSettings(params: KMeansParams): WebScaleSettings {
  return {
    k: params.k,
    centresPerShard: params.k * params.extraCenterFactor,
    miniBatchSize: params.miniBatchSize,
    epochs: params.epochs,
    halfLifeTimeSize: params.halfLifeTimeSize,
    initMethod: params.initMethod,
    seed: params.seed,
    reduction: {
      initMethod: params.localLloydInitMethod,
      maxIterations: params.maxIterations,
      tol: params.tol,
      numTrials: fixedRestarts(params),
    },
  };
}

/**
 * Rows of a shard's initial sample: its first mini-batch, or its first K rows when a mini-batch is smaller
 * than K (so that every shard of at least K rows starts with K centres).
 */
export function initSampleRows(settings: WebScaleSettings): number {
  return Math.max(settings.miniBatchSize, settings.centresPerShard);
}
