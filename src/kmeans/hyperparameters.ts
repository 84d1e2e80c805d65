/**
 * K-Means hyperparameters: one declarative table keyed by the SageMaker `kmeans:1` container names (spec
 * §2.1), with the Python SDK's aliases (`max_iterations`, `tol`, `num_trials`). A string map from a job or an
 * API call is parsed once, at the boundary, by {@link parseKMeansHyperparameters}; options written in code go
 * through the same validators in {@link resolveKMeansParams}. Either way the result is a frozen
 * {@link KMeansParams}; string maps never travel further in.
 *
 * Strata trains in one of two ways, chosen by its `training_mode` extension (training-mode.ts): full-batch
 * Lloyd (Lloyd 1982) with restarts, or SageMaker's streaming web-scale k-means (web-scale/). The streaming
 * settings — `mini_batch_size`, `epochs`, `extra_center_factor`, `half_life_time_size`,
 * `local_lloyd_init_method` — shape web-scale training; full-batch training validates them with SageMaker's
 * ranges (a job that SageMaker would reject fails here too) and does not use them. `init_method` defaults to
 * `kmeans++`, unlike the container's `random`: in full-batch training the seeding is the start of the final
 * Lloyd run itself, exactly where k-means++ (Arthur & Vassilvitskii 2007) gives better optima in fewer
 * iterations; in web-scale training it seeds each shard's K extra centres, where it costs little and spreads
 * them better than random rows.
 * @module
 */
import { StrataError } from "../errors.js";
import { checkCodeOptions, parseWireMap, withDefaults } from "../util/hyperparameter-engine.js";
import type { Logger } from "../util/logger.js";
import { AUTO_TRIALS, type Context, KMEANS_TABLE, type KMeansParams } from "./hyperparameter-table.js";

export type { EvalMetric, InitMethod, KMeansParams, TrainingMode } from "./hyperparameter-table.js";
export { KMEANS_HYPERPARAMETERS } from "./hyperparameter-table.js";

/**
 * Options for `new KMeans(...)` from code: camelCase keys, `k` required, everything else defaulted as in the
 * table. `numTrials` and `extraCenterFactor` also take `"auto"` (restart-count.ts; 10 centres per k).
 */
export type KMeansOptions = { readonly k: number } & {
  readonly [K in Exclude<keyof KMeansParams, "k" | "numTrials" | "extraCenterFactor">]?: KMeansParams[K];
} & {
  readonly numTrials?: number | "auto";
  /** Alias of `numTrials`. */
  readonly restarts?: number | "auto";
  readonly extraCenterFactor?: number | "auto";
};

/** What the parser knows about the data: its width and, when known, its number of rows. */
export interface KMeansParseContext {
  /** Number of features of the training data; `feature_dim` must equal it. */
  readonly featureDim: number;
  /** Number of training rows; when given, `k` must not exceed it. */
  readonly numRows?: number;
}

/**
 * Parses a SageMaker hyperparameter string map (`{k: "7", feature_dim: "5", ...}`) into frozen params.
 * Keys starting with `_` and `force_dense` are accepted and ignored, as the container does.
 *
 * @param map container names (or SDK aliases) to string values
 * @param context the data's width, and its number of rows when known
 * @throws StrataError MISSING_HYPERPARAMETER (no `k` or `feature_dim`), UNKNOWN_HYPERPARAMETER (a name not in
 *   the table; the message lists the allowed names), INVALID_HYPERPARAMETER (a value outside its range, or a
 *   name given twice through an alias)
 * @example
 * const params = parseKMeansHyperparameters({ k: "7", feature_dim: "5" }, { featureDim: 5, numRows: 3218 });
 * params.initMethod; // "kmeans++"
 */
export function parseKMeansHyperparameters(
  map: Readonly<Record<string, string>>,
  context: KMeansParseContext,
  logger?: Logger,
): KMeansParams {
  return finish(parseWireMap(KMEANS_TABLE, map, { ...context }, logger), context);
}

/**
 * Validates options written in code and fills in the defaults. Messages name the camelCase option.
 *
 * @param options `k` plus any optional settings; `featureDim` and `numRows` come from the data at fit time
 * @throws StrataError INVALID_HYPERPARAMETER, UNKNOWN_HYPERPARAMETER
 * @example
 * resolveKMeansParams({ k: 7, seed: 1, numTrials: "auto" }).numTrials; // AUTO_TRIALS (restart-count.ts)
 */
export function resolveKMeansParams(
  options: KMeansOptions,
  context: Partial<KMeansParseContext> = {},
): KMeansParams {
  // Parsed params (`new KMeans(parseKMeansHyperparameters(...))`) carry auto as AUTO_TRIALS: read it as "auto".
  const given = options.numTrials === AUTO_TRIALS ? { ...options, numTrials: "auto" as const } : options;
  return finish(checkCodeOptions(KMEANS_TABLE, given, { ...context }), context);
}

/** Adds defaults and freezes. `featureDim` defaults to the data's width when the context has one. */
function finish(values: Record<string, unknown>, context: Partial<Context>): KMeansParams {
  const out = withDefaults(KMEANS_TABLE, values);
  if (out["featureDim"] === undefined && context.featureDim !== undefined)
    out["featureDim"] = context.featureDim;
  if (Array.isArray(out["evalMetrics"])) out["evalMetrics"] = Object.freeze([...out["evalMetrics"]]);
  return Object.freeze(out) as unknown as KMeansParams;
}

/**
 * Checks params against the data they are about to fit: `k` at most the number of rows, `featureDim` equal to
 * the width (WIDTH_MISMATCH, naming expected and received).
 *
 * @throws StrataError INVALID_HYPERPARAMETER, WIDTH_MISMATCH
 */
export function checkParamsAgainstData(params: KMeansParams, numRows: number, numFeatures: number): void {
  if (params.featureDim !== undefined && params.featureDim !== numFeatures) {
    throw new StrataError(
      "WIDTH_MISMATCH",
      `The data has ${numFeatures} features; feature_dim is ${params.featureDim}.`,
      { details: { expected: params.featureDim, received: numFeatures } },
    );
  }
  const k = KMEANS_TABLE.entries.find((e) => e.key === "k")!;
  k.check("k", params.k, { numRows, featureDim: numFeatures });
}
