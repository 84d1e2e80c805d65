/**
 * PCA hyperparameters: one declarative table keyed by SageMaker's wire names (spec §1.1), parsed once at the
 * API/job boundary into frozen camelCase {@link PCAParams}. Typed options from code pass the same validators,
 * so `new PCA({ numComponents: 40 })` and `{"num_components": "40"}` fail with the same message.
 * Underscore-prefixed keys and the container's own internal keys are accepted and ignored (logged at debug).
 * @module
 */
import { StrataError } from "../errors.js";
import { type Logger, silentLogger } from "../util/logger.js";

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
}

/** Caller-facing typed options: everything but numComponents is optional. */
export type PCAOptions = Partial<PCAParams> & { readonly numComponents: number };

/** Context for validation: the width of the data, when already known. */
export interface PCAParseOptions {
  readonly featureDim?: number;
  /** Where ignored keys are reported (debug). */
  readonly logger?: Logger;
}

type Key = keyof PCAParams;
interface Entry<K extends Key> {
  readonly key: K;
  readonly required: boolean;
  readonly default: PCAParams[K];
  /** Wire string → typed value, or undefined when it does not parse. */
  readonly parse: (raw: string) => PCAParams[K] | undefined;
  /** Whether a typed value satisfies the constraint, given the data width (if known). */
  readonly valid: (value: PCAParams[K], width: number | undefined) => boolean;
  /** The constraint, as the tail of "expected …". */
  readonly expected: (width: number | undefined) => string;
}

const parseInteger = (raw: string): number | undefined =>
  /^\s*[+-]?\d+\s*$/.test(raw) ? Number(raw) : undefined;
const isInt = (v: unknown): v is number => typeof v === "number" && Number.isSafeInteger(v);

/** The table, keyed by SageMaker wire name. Order = the order names are listed in messages. */
export const PCA_HYPERPARAMETERS: { readonly [wire: string]: Entry<Key> } = {
  feature_dim: entry({
    key: "featureDim",
    required: false,
    default: undefined,
    parse: parseInteger,
    valid: (v, width) => isInt(v) && v >= 1 && v <= MAX_PCA_FEATURES && (width === undefined || v === width),
    expected: (width) =>
      width === undefined
        ? `an integer from 1 to ${MAX_PCA_FEATURES} (Strata's limit)`
        : `${width} (the number of features in the data)`,
  }),
  num_components: entry({
    key: "numComponents",
    required: true,
    default: 0,
    parse: parseInteger,
    valid: (v, width) => isInt(v) && v >= 1 && (width === undefined || v <= width),
    expected: (width) =>
      width === undefined ? "a positive integer" : `an integer from 1 to ${width} (the number of features)`,
  }),
  mini_batch_size: entry({
    key: "miniBatchSize",
    required: false,
    default: undefined,
    parse: parseInteger,
    valid: (v) => isInt(v) && v >= 1,
    expected: () => "a positive integer",
  }),
  algorithm_mode: entry({
    key: "algorithmMode",
    required: false,
    default: "regular",
    parse: (raw) => (raw === "regular" || raw === "randomized" ? raw : undefined),
    valid: (v) => v === "regular" || v === "randomized",
    expected: () => 'one of "regular", "randomized"',
  }),
  subtract_mean: entry({
    key: "subtractMean",
    required: false,
    default: true,
    parse: (raw) => {
      const word = raw.trim().toLowerCase();
      return word === "true" ? true : word === "false" ? false : undefined;
    },
    valid: (v) => typeof v === "boolean",
    expected: () => "true or false",
  }),
  extra_components: entry({
    key: "extraComponents",
    required: false,
    default: -1,
    parse: parseInteger,
    valid: (v) => isInt(v) && v >= -1,
    expected: () => "an integer >= -1 (-1 means max(10, num_components))",
  }),
};

/** The widest data regular PCA takes: its scatter matrix is features² doubles (2 GiB at this width). */
export const MAX_PCA_FEATURES = 16_384;

/** Keys the SageMaker PCA container itself defines (default-conf.json): accepted and ignored. */
export const IGNORED_PCA_KEYS: readonly string[] = ["force_dense", "epochs"];

function entry<K extends Key>(e: Entry<K>): Entry<Key> {
  return e as unknown as Entry<Key>;
}

/** Shows a value in a message: bare when it is a plain token (as SageMaker's messages do), else quoted. */
function show(value: unknown): string {
  const text = String(value);
  return typeof value === "string" && !/^[\w.+-]+$/.test(text) ? JSON.stringify(text) : text;
}

function fail(wire: string, value: unknown, width: number | undefined): never {
  const shown = show(value);
  const spec = PCA_HYPERPARAMETERS[wire]!;
  throw new StrataError(
    "INVALID_HYPERPARAMETER",
    `${wire}=${shown} is invalid: expected ${spec.expected(width)}.`,
    {
      details: { name: wire, value: shown, expected: spec.expected(width) },
    },
  );
}

/** Cross-field rules, applied after every field is valid. */
function finish(values: Record<string, unknown>): PCAParams {
  const params = Object.freeze(values as unknown as PCAParams);
  if (params.algorithmMode === "randomized") {
    throw new StrataError(
      "NOT_IMPLEMENTED",
      "algorithm_mode=randomized arrives with the scale-out work; use regular (exact, and fast for D up to a few thousand).",
      { details: { name: "algorithm_mode", value: "randomized" } },
    );
  }
  return params;
}

/**
 * Parses SageMaker's string→string hyperparameter map into PCAParams.
 * @param options.featureDim the data width, when known: num_components must be ≤ it, feature_dim equal to it.
 * @throws INVALID_HYPERPARAMETER (bad value), UNKNOWN_HYPERPARAMETER (undefined name), MISSING_HYPERPARAMETER
 *   (num_components absent), NOT_IMPLEMENTED (algorithm_mode=randomized).
 * @example
 * parsePCAHyperparameters({ feature_dim: "34", mini_batch_size: "500", num_components: "33" }, { featureDim: 34 });
 */
export function parsePCAHyperparameters(
  map: Readonly<Record<string, string>>,
  options: PCAParseOptions = {},
): PCAParams {
  const logger = options.logger ?? silentLogger;
  const allowed = Object.keys(PCA_HYPERPARAMETERS);
  for (const name of Object.keys(map)) {
    if (name in PCA_HYPERPARAMETERS) continue;
    if (name.startsWith("_") || IGNORED_PCA_KEYS.includes(name)) {
      logger.log("debug", `Ignoring SageMaker-internal hyperparameter ${name}=${map[name]}.`);
      continue;
    }
    throw new StrataError(
      "UNKNOWN_HYPERPARAMETER",
      `Unknown PCA hyperparameter ${JSON.stringify(name)}: expected one of ${allowed.map((n) => `"${n}"`).join(", ")}.`,
      { details: { name, allowed } },
    );
  }
  const featureDimRaw = map["feature_dim"];
  const width = options.featureDim ?? (featureDimRaw === undefined ? undefined : parseInteger(featureDimRaw));
  if (options.featureDim !== undefined && options.featureDim > MAX_PCA_FEATURES)
    throw new StrataError(
      "INPUT_TOO_LARGE",
      `The data has ${options.featureDim} features; regular PCA holds a features × features scatter in memory (${((options.featureDim ** 2 * 8) / 2 ** 30).toFixed(1)} GiB), and Strata's limit is ${MAX_PCA_FEATURES} features.`,
      { details: { features: options.featureDim, limit: MAX_PCA_FEATURES } },
    );
  const values: Record<string, unknown> = {};
  for (const [wire, spec] of Object.entries(PCA_HYPERPARAMETERS)) {
    const raw = Object.hasOwn(map, wire) ? map[wire] : undefined;
    if (raw === undefined) {
      if (spec.required) {
        throw new StrataError(
          "MISSING_HYPERPARAMETER",
          `${wire} is required: expected ${spec.expected(width)}.`,
          {
            details: { name: wire },
          },
        );
      }
      values[spec.key] = spec.default;
      continue;
    }
    const value = spec.parse(raw);
    // feature_dim is checked against the data's width, not against itself.
    const against = wire === "feature_dim" ? options.featureDim : width;
    if (value === undefined || !spec.valid(value, against)) fail(wire, raw, against);
    values[spec.key] = value;
  }
  return finish(values);
}

/**
 * Validates typed options from code (same rules and messages as the wire map), filling defaults.
 * @param featureDim the data width, when known.
 * @throws as {@link parsePCAHyperparameters}.
 */
export function validatePCAOptions(options: PCAOptions, featureDim?: number): PCAParams {
  const width = featureDim ?? options.featureDim;
  const values: Record<string, unknown> = {};
  const given = options as Partial<Record<Key, unknown>>;
  const keys = Object.values(PCA_HYPERPARAMETERS).map((spec) => spec.key as string);
  for (const name of Object.keys(given)) {
    if (!keys.includes(name)) {
      throw new StrataError(
        "UNKNOWN_HYPERPARAMETER",
        `Unknown PCA option ${JSON.stringify(name)}: expected one of ${keys.map((n) => `"${n}"`).join(", ")}.`,
        { details: { name, allowed: keys } },
      );
    }
  }
  for (const [wire, spec] of Object.entries(PCA_HYPERPARAMETERS)) {
    const value = given[spec.key];
    if (value === undefined) {
      if (spec.required) {
        throw new StrataError(
          "MISSING_HYPERPARAMETER",
          `${wire} is required: expected ${spec.expected(width)}.`,
          {
            details: { name: wire },
          },
        );
      }
      values[spec.key] = spec.default;
      continue;
    }
    if (!spec.valid(value as never, width)) fail(wire, value, width);
    values[spec.key] = value;
  }
  return finish(values);
}
