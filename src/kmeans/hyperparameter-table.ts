/**
 * The K-Means hyperparameter table itself: one row per SageMaker container name with its camelCase key,
 * aliases, default, range and message, in the manner of the SDK's `amazon/hyperparameter.py`. Each row can
 * parse a wire string (`parse`) or check a typed value from code (`check`); both throw the same messages.
 * Parsing entry points live in `hyperparameters.ts`.
 * @module
 */
import {
  type Bounds,
  float,
  type HyperContext,
  type HyperparameterEntry,
  type HyperparameterTable,
  integer,
  invalid,
  oneOf,
} from "../util/hyperparameter-engine.js";

/**
 * `numTrials` for `local_lloyd_num_trials=auto` (the default): no count a user can give (they start at 1), so
 * the restarts can tell "as many as it takes" (restart-count.ts) from an explicit number.
 */
export const AUTO_TRIALS = 0;

/** How initial centres are chosen. */
export type InitMethod = "random" | "kmeans++";
/**
 * How K-Means trains (Strata extension `training_mode`): `full-batch` Lloyd with restarts over rows held in
 * memory, `web-scale` SageMaker's streaming mini-batch k-means, or `auto` (training-mode.ts decides).
 */
export type TrainingMode = "auto" | "full-batch" | "web-scale";
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
  /**
   * Restarts, best inertia wins (`local_lloyd_num_trials`, SDK `num_trials`). A number runs exactly that many;
   * `auto`, the default, is {@link AUTO_TRIALS} here: see restart-count.ts.
   */
  readonly numTrials: number;
  /** Seed of every random choice (Strata extension; default 0). */
  readonly seed: number;
  /**
   * Where each row's sample weight comes from (Strata extension; default `none`: every row weighs 1).
   * `label`: the record's label (RecordIO `label["values"]`, or the first column of a CSV with `label_size=1`).
   */
  readonly sampleWeights: "none" | "label";
  /**
   * How it trains (Strata extension; default `auto`: full-batch for rows held in memory, web-scale for a
   * streamed channel; training-mode.ts).
   */
  readonly trainingMode: TrainingMode;
  /** Web-scale: rows per mini-batch (default 5000). */
  readonly miniBatchSize: number;
  /** Web-scale: passes over the data (default 1). */
  readonly epochs: number;
  /** Web-scale: each shard keeps k × this many weighted centres (`auto` = 10). */
  readonly extraCenterFactor: number;
  /** Web-scale: points after which a point's weight in its centre has halved (default 0: no decay). */
  readonly halfLifeTimeSize: number;
  /** Web-scale: seeding of the K → k reduction's attempts (default `kmeans++`). */
  readonly localLloydInitMethod: InitMethod;
  /** Metrics to report on a test channel (default `["msd"]`). */
  readonly evalMetrics: readonly EvalMetric[];
}

/** What the K-Means rows know about the data. */
export interface Context {
  readonly featureDim?: number;
  readonly numRows?: number;
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
const rows = (c: HyperContext): Bounds => ({
  min: 2,
  ...(c["numRows"] === undefined ? {} : { max: c["numRows"] }),
  why: "the number of rows",
});

/**
 * The table. The streaming rows are SageMaker's, with its ranges; they shape web-scale training and are
 * validated (but unused) in full-batch training, so a job SageMaker accepts is accepted here in either mode.
 */
const ENTRIES: readonly HyperparameterEntry[] = [
  // Used by Strata.
  integer("k", "k", rows, { required: true }),
  integer(
    "feature_dim",
    "featureDim",
    (c) =>
      c["featureDim"] === undefined
        ? { min: 1 }
        : { min: c["featureDim"], max: c["featureDim"], why: "the number of features in the data" },
    { required: true, requiredInCode: false },
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
  float("local_lloyd_tol", "tol", { min: 0, max: 1 }, { aliases: ["tol"], defaultValue: 0.0001 }),
  integer("local_lloyd_num_trials", "numTrials", () => ({ min: 1, max: 1000, why: "Strata's limit" }), {
    aliases: ["num_trials", "restarts"],
    auto: AUTO_TRIALS,
  }),
  integer("seed", "seed", () => ({ min: 0 }), { defaultValue: 0 }),
  oneOf("sample_weights", "sampleWeights", ["none", "label"], "none"),
  oneOf("training_mode", "trainingMode", ["auto", "full-batch", "web-scale"], "auto"),
  evalMetrics,
  // SageMaker's streaming web-scale k-means settings (used by training_mode=web-scale).
  integer("mini_batch_size", "miniBatchSize", positive, { defaultValue: 5000 }),
  // Each epoch is a pass over the data: a billion of them would never end (as local_lloyd_num_trials).
  integer("epochs", "epochs", () => ({ min: 1, max: 1000, why: "Strata's limit" }), { defaultValue: 1 }),
  integer("extra_center_factor", "extraCenterFactor", positive, { aliases: ["center_factor"], auto: 10 }),
  integer("half_life_time_size", "halfLifeTimeSize", () => ({ min: 0 }), { defaultValue: 0 }),
  oneOf("local_lloyd_init_method", "localLloydInitMethod", ["random", "kmeans++"], "kmeans++"),
];

/** K-Means' table for the hyperparameter engine. */
export const KMEANS_TABLE: HyperparameterTable = {
  algorithm: "K-Means",
  entries: ENTRIES,
  ignored: ["force_dense"],
  codeAliases: { restarts: "numTrials" },
};

/** The table as plain data (name, key, aliases, default, required), for docs and `--help`. */
export const KMEANS_HYPERPARAMETERS = ENTRIES.map(({ name, key, aliases, defaultValue, required }) =>
  Object.freeze({ name, key, aliases, defaultValue, required }),
);
