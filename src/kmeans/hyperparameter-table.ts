/**
 * The K-Means hyperparameter table itself: one row per SageMaker container name with its camelCase key,
 * aliases, default, range and message, in the manner of the SDK's `amazon/hyperparameter.py`. Each row can
 * parse a wire string (`parse`) or check a typed value from code (`check`); both throw the same messages.
 * Parsing entry points live in `hyperparameters.ts`.
 * @module
 */
import { StrataError } from "../errors.js";

/** How initial centres are chosen. */
export type InitMethod = "random" | "kmeans++";
/** Metrics SageMaker reports for a test channel: mean and sum of squared distances to the closest centre. */
export type EvalMetric = "msd" | "ssd";

/** Validated, frozen K-Means settings (camelCase). Build with `parseKMeansHyperparameters` or `new KMeans`. */
export interface KMeansParams {
  /** Number of clusters, 2 ≤ k ≤ number of rows. */
  readonly k: number;
  /** Expected number of features; checked against the data at fit time. Undefined: taken from the data. */
  readonly featureDim?: number;
  /** Seeding of each restart (default `kmeans++`). */
  readonly initMethod: InitMethod;
  /** Lloyd iterations per restart at most (`local_lloyd_max_iter`, SDK `max_iterations`; default 300). */
  readonly maxIterations: number;
  /** Relative convergence tolerance in [0, 1] (`local_lloyd_tol`, SDK `tol`; default 1e-4). See kmeans.ts. */
  readonly tol: number;
  /** Restarts, best inertia wins (`local_lloyd_num_trials`, SDK `num_trials`; `auto` = 10). */
  readonly numTrials: number;
  /** Seed of every random choice (Strata extension; default 0). */
  readonly seed: number;
  /** SageMaker streaming batch size (validated only; default 5000). */
  readonly miniBatchSize: number;
  /** SageMaker streaming passes (validated only; default 1). */
  readonly epochs: number;
  /** SageMaker extra centres factor (validated only; `auto` = 10). */
  readonly extraCenterFactor: number;
  /** SageMaker centre-weight half life (validated only; default 0). */
  readonly halfLifeTimeSize: number;
  /** SageMaker init of the K → k reduction (validated only; default `kmeans++`). */
  readonly localLloydInitMethod: InitMethod;
  /** Metrics to report on a test channel (default `["msd"]`). */
  readonly evalMetrics: readonly EvalMetric[];
}

/** What a validator may know about the data. */
export interface Context {
  readonly featureDim?: number;
  readonly numRows?: number;
}

/** One row of the table. `label` in messages is the wire name (maps) or the camelCase key (code). */
export interface HyperparameterEntry {
  readonly name: string;
  readonly key: keyof KMeansParams;
  readonly aliases: readonly string[];
  readonly required: boolean;
  readonly defaultValue: unknown;
  /** What a valid value looks like, for messages ("an integer from 2 to 3218 (the number of rows)"). */
  expected(context: Partial<Context>): string;
  parse(label: string, text: string, context: Partial<Context>): unknown;
  check(label: string, value: unknown, context: Partial<Context>): unknown;
}

interface Bounds {
  readonly min: number;
  readonly max?: number;
  readonly why?: string;
}

function invalid(label: string, shown: string, expected: string, value: unknown): StrataError {
  return new StrataError("INVALID_HYPERPARAMETER", `${label}=${shown} is invalid: expected ${expected}.`, {
    details: { name: label, value, expected },
  });
}

/** Numbers are shown as typed (`k=9000`), anything else quoted (`k="seven"`). */
const show = (text: string): string =>
  text.trim() !== "" && Number.isFinite(Number(text)) ? text.trim() : JSON.stringify(text);

function integer(
  name: string,
  key: keyof KMeansParams,
  bounds: (c: Partial<Context>) => Bounds,
  opts: { aliases?: string[]; defaultValue?: number; required?: boolean; auto?: number } = {},
): HyperparameterEntry {
  const expected = (c: Partial<Context>): string => {
    const { min, max, why } = bounds(c);
    const range =
      max === undefined
        ? `an integer of at least ${min}`
        : min === max
          ? `${min}`
          : `an integer from ${min} to ${max}`;
    return `${range}${why === undefined || max === undefined ? "" : ` (${why})`}${opts.auto === undefined ? "" : ' or "auto"'}`;
  };
  const check = (label: string, value: unknown, c: Partial<Context>, shown: string): number => {
    if (value === "auto" && opts.auto !== undefined) return opts.auto;
    const { min, max } = bounds(c);
    if (
      typeof value !== "number" ||
      !Number.isSafeInteger(value) ||
      value < min ||
      (max !== undefined && value > max)
    ) {
      throw invalid(label, shown, expected(c), value);
    }
    return value;
  };
  return {
    name,
    key,
    aliases: opts.aliases ?? [],
    required: opts.required ?? false,
    defaultValue: opts.defaultValue ?? opts.auto,
    expected,
    parse: (label, text, c) => {
      const t = text.trim();
      const value = /^[+-]?\d+$/.test(t) ? Number(t) : t === "auto" ? t : Number.NaN;
      return check(label, value, c, show(text));
    },
    check: (label, value, c) => check(label, value, c, String(value)),
  };
}

function float(
  name: string,
  key: keyof KMeansParams,
  min: number,
  max: number,
  aliases: string[],
  d: number,
) {
  const expected = () => `a number from ${min} to ${max}`;
  const check = (label: string, value: unknown, shown: string): number => {
    if (typeof value !== "number" || !Number.isFinite(value) || value < min || value > max) {
      throw invalid(label, shown, expected(), value);
    }
    return value;
  };
  return {
    name,
    key,
    aliases,
    required: false,
    defaultValue: d,
    expected,
    parse: (label, text) => check(label, text.trim() === "" ? Number.NaN : Number(text), show(text)),
    check: (label, value) => check(label, value, String(value)),
  } satisfies HyperparameterEntry;
}

function oneOf(
  name: string,
  key: keyof KMeansParams,
  values: readonly string[],
  d: string,
): HyperparameterEntry {
  const listed = values.map((v) => JSON.stringify(v)).join(", ");
  const check = (label: string, value: unknown): string => {
    if (typeof value !== "string" || !values.includes(value)) {
      throw new StrataError(
        "INVALID_HYPERPARAMETER",
        `Unknown ${label} ${JSON.stringify(String(value))}: expected one of ${listed}.`,
        { details: { name: label, value, allowed: values } },
      );
    }
    return value;
  };
  return {
    name,
    key,
    aliases: [],
    required: false,
    defaultValue: d,
    expected: () => `one of ${listed}`,
    parse: (label, text) => check(label, text),
    check,
  };
}

const METRICS: readonly EvalMetric[] = ["msd", "ssd"];

const METRICS_EXPECTED = `a non-empty JSON list of "msd", "ssd" (e.g. '["msd", "ssd"]')`;

function checkMetrics(label: string, value: unknown, shown: string): EvalMetric[] {
  const ok =
    Array.isArray(value) && value.length > 0 && value.every((m) => METRICS.includes(m as EvalMetric));
  if (!ok) throw invalid(label, `'${shown}'`, METRICS_EXPECTED, value);
  return [...new Set(value as EvalMetric[])];
}

const evalMetrics: HyperparameterEntry = {
  name: "eval_metrics",
  key: "evalMetrics",
  aliases: [],
  required: false,
  defaultValue: ["msd"],
  expected: () => METRICS_EXPECTED,
  parse(label, text) {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      value = undefined;
    }
    return checkMetrics(label, value, text);
  },
  check: (label, value) => checkMetrics(label, value, JSON.stringify(value)),
};

const positive = (): Bounds => ({ min: 1 });

/**
 * The table. Rows marked "validated only" are accepted with SageMaker's ranges so that a job SageMaker
 * accepts is accepted here, but Strata's full-batch Lloyd does not use them.
 */
export const TABLE: readonly HyperparameterEntry[] = [
  // Used by Strata.
  integer("k", "k", (c) => ({ min: 2, max: c.numRows, why: "the number of rows" }), { required: true }),
  integer(
    "feature_dim",
    "featureDim",
    (c) =>
      c.featureDim === undefined
        ? { min: 1 }
        : { min: c.featureDim, max: c.featureDim, why: "the number of features in the data" },
    { required: true },
  ),
  oneOf("init_method", "initMethod", ["random", "kmeans++"], "kmeans++"),
  integer(
    "local_lloyd_max_iter",
    "maxIterations",
    () => ({ min: 1, max: 1_000_000, why: "Strata's limit" }),
    {
      aliases: ["max_iterations"],
      defaultValue: 300,
    },
  ),
  float("local_lloyd_tol", "tol", 0, 1, ["tol"], 0.0001),
  integer("local_lloyd_num_trials", "numTrials", () => ({ min: 1, max: 1000, why: "Strata's limit" }), {
    aliases: ["num_trials", "restarts"],
    auto: 10,
  }),
  integer("seed", "seed", () => ({ min: 0 }), { defaultValue: 0 }),
  evalMetrics,
  // Validated only: SageMaker's streaming web-scale k-means settings.
  integer("mini_batch_size", "miniBatchSize", positive, { defaultValue: 5000 }),
  integer("epochs", "epochs", positive, { defaultValue: 1 }),
  integer("extra_center_factor", "extraCenterFactor", positive, { aliases: ["center_factor"], auto: 10 }),
  integer("half_life_time_size", "halfLifeTimeSize", () => ({ min: 0 }), { defaultValue: 0 }),
  oneOf("local_lloyd_init_method", "localLloydInitMethod", ["random", "kmeans++"], "kmeans++"),
];

/** The table as plain data (name, key, aliases, default, required), for docs and `--help`. */
export const KMEANS_HYPERPARAMETERS = TABLE.map(({ name, key, aliases, defaultValue, required }) =>
  Object.freeze({ name, key, aliases, defaultValue, required }),
);
