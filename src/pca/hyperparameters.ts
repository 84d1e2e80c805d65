/**
 * PCA hyperparameters: one declarative table keyed by SageMaker's wire names (spec §1.1), parsed once at the
 * API/job boundary into frozen camelCase {@link PCAParams}. Typed options from code pass the same validators,
 * so `new PCA({ numComponents: 40 })` and `{"num_components": "40"}` fail with the same message.
 * Underscore-prefixed keys and the container's own internal keys are accepted and ignored (logged at debug).
 * @module
 */
import { StrataError } from "../errors.js";
import {
  boolean,
  checkCodeOptions,
  type HyperContext,
  type HyperparameterTable,
  integer,
  oneOf,
  parseWireMap,
  withDefaults,
} from "../util/hyperparameter-engine.js";
import type { Logger } from "../util/logger.js";

/** Validated, frozen PCA parameters (camelCase of the wire names). */
export interface PCAParams {
  /** Expected input width D; checked against the data when given. */
  readonly featureDim: number | undefined;
  /** C: components to keep, 1 ≤ C ≤ D. */
  readonly numComponents: number;
  /** Rows per mini-batch on SageMaker; accepted for compatibility, no effect on the (exact) result. */
  readonly miniBatchSize: number | undefined;
  readonly algorithmMode: "regular" | "randomized";
  /** Centre the data (training and inference). Default true. */
  readonly subtractMean: boolean;
  /** Randomized mode only: −1 means max(10, numComponents). Default −1. */
  readonly extraComponents: number;
  /**
   * Randomized mode only (Strata extension; default 0): passes of subspace iteration after the sketch, each
   * one more round over the data. 0 is SageMaker's single pass; see randomized.ts.
   */
  readonly powerIterations: number;
  /** Randomized mode only (Strata extension; default 0): the seed of the sketch's random signs. */
  readonly seed: number;
}

/** Caller-facing typed options: everything but numComponents is optional. */
export type PCAOptions = Partial<PCAParams> & { readonly numComponents: number };

/** Context for validation: the width of the data, when already known. */
export interface PCAParseOptions {
  readonly featureDim?: number;
  /** Where ignored keys are reported (debug). */
  readonly logger?: Logger;
}

/** The most power iterations a fit may ask for: each is a pass over the data, and a few converge. */
export const MAX_POWER_ITERATIONS = 20;

/** The widest data regular PCA takes: its scatter matrix is features² doubles (2 GiB at this width). */
export const MAX_PCA_FEATURES = 16_384;

/**
 * The table, keyed by SageMaker wire name, for the one hyperparameter engine. The context's `dataWidth` is
 * the width of the data when it is known; `featureDim` is that width, or `feature_dim` itself before the data
 * is read (num_components must not exceed it).
 */
export const PCA_TABLE: HyperparameterTable = {
  algorithm: "PCA",
  entries: [
    integer("feature_dim", "featureDim", (c) =>
      c["dataWidth"] === undefined
        ? { min: 1, max: MAX_PCA_FEATURES, why: "Strata's limit" }
        : { min: c["dataWidth"], max: c["dataWidth"], why: "the number of features in the data" },
    ),
    integer(
      "num_components",
      "numComponents",
      (c) => ({
        min: 1,
        ...(c["featureDim"] === undefined ? {} : { max: c["featureDim"] }),
        why: "the number of features",
      }),
      { required: true },
    ),
    integer("mini_batch_size", "miniBatchSize", () => ({ min: 1 })),
    oneOf("algorithm_mode", "algorithmMode", ["regular", "randomized"], "regular"),
    boolean("subtract_mean", "subtractMean", true),
    integer("extra_components", "extraComponents", () => ({ min: -1 }), { defaultValue: -1 }),
    // Strata extensions for algorithm_mode=randomized (SageMaker's container does not know them).
    integer(
      "power_iterations",
      "powerIterations",
      () => ({ min: 0, max: MAX_POWER_ITERATIONS, why: "Strata's limit: each is a pass over the data" }),
      { defaultValue: 0 },
    ),
    integer("seed", "seed", () => ({ min: 0 }), { defaultValue: 0 }),
  ],
  // Keys the SageMaker PCA container itself defines (default-conf.json): accepted and ignored.
  ignored: ["force_dense", "epochs"],
};

const FEATURE_DIM_ROW = PCA_TABLE.entries.find((e) => e.name === "feature_dim")!;

/**
 * Regular PCA holds a features × features scatter in memory: data wider than {@link MAX_PCA_FEATURES} is
 * refused before anything is allocated.
 * @throws StrataError INPUT_TOO_LARGE
 */
export function checkPCAWidth(features: number): void {
  if (features > MAX_PCA_FEATURES)
    throw new StrataError(
      "INPUT_TOO_LARGE",
      `The data has ${features} features; regular PCA holds a features × features scatter in memory (${((features ** 2 * 8) / 2 ** 30).toFixed(1)} GiB), and Strata's limit is ${MAX_PCA_FEATURES} features.`,
      { details: { features, limit: MAX_PCA_FEATURES } },
    );
}

function contextFor(dataWidth: number | undefined, featureDim: number | undefined): HyperContext {
  return { dataWidth, featureDim: dataWidth ?? featureDim };
}

/** Fills the defaults and freezes (no cross-field rule: ℓ ≥ d is handled at fit time, see randomized.ts). */
function finish(values: Record<string, unknown>): PCAParams {
  return Object.freeze({
    featureDim: undefined,
    miniBatchSize: undefined,
    ...withDefaults(PCA_TABLE, values),
  } as unknown as PCAParams);
}

/**
 * ℓ, the rows of randomized mode's sketch: num_components + extra_components, where extra_components = −1
 * means max(10, num_components) (SageMaker's rule, spec §1.1).
 * @example sketchSize({ numComponents: 5, extraComponents: -1 }) // 15
 */
export function sketchSize(params: Pick<PCAParams, "numComponents" | "extraComponents">): number {
  const extra = params.extraComponents === -1 ? Math.max(10, params.numComponents) : params.extraComponents;
  return params.numComponents + extra;
}

/**
 * Parses SageMaker's string→string hyperparameter map into PCAParams.
 * @param options.featureDim the data width, when known: num_components must be ≤ it, feature_dim equal to it.
 * @throws INVALID_HYPERPARAMETER (bad value), UNKNOWN_HYPERPARAMETER (undefined name), MISSING_HYPERPARAMETER
 *   (num_components absent), INPUT_TOO_LARGE (data wider than MAX_PCA_FEATURES).
 * @example
 * parsePCAHyperparameters({ feature_dim: "34", mini_batch_size: "500", num_components: "33" }, { featureDim: 34 });
 */
export function parsePCAHyperparameters(
  map: Readonly<Record<string, string>>,
  options: PCAParseOptions = {},
): PCAParams {
  if (options.featureDim !== undefined) checkPCAWidth(options.featureDim);
  // feature_dim bounds num_components before the data is read: parsed by its own row, so its rules and
  // message are the table's (the map's parse meets the same row again).
  const raw = map["feature_dim"];
  const declared =
    raw === undefined
      ? undefined
      : (FEATURE_DIM_ROW.parse("feature_dim", raw, { dataWidth: options.featureDim }) as number);
  return finish(parseWireMap(PCA_TABLE, map, contextFor(options.featureDim, declared), options.logger));
}

/**
 * Validates typed options from code (same rules and messages as the wire map), filling defaults.
 * @param featureDim the data width, when known.
 * @throws as {@link parsePCAHyperparameters}.
 */
export function validatePCAOptions(options: PCAOptions, featureDim?: number): PCAParams {
  return finish(checkCodeOptions(PCA_TABLE, options, contextFor(featureDim, options.featureDim)));
}
