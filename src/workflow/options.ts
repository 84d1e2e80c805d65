/**
 * The options of the segmentation workflow (`strata run`), their defaults and their validation against the
 * data, by the algorithms' own hyperparameter rules. Limits that depend on the data (components <= features, clusters <= rows) are checked after cleaning
 * and before any output is written, so a bad value changes nothing.
 * @module
 */
import { CENSUS_CSV_ENV, CENSUS_SOURCE_URI } from "../data/census.js";
import { KMEANS_TABLE } from "../kmeans/hyperparameter-table.js";
import { PCA_TABLE } from "../pca/hyperparameters.js";
import type { TransformName } from "../preprocess/feature-transform.js";
import { flagRule } from "../util/hyperparameter-engine.js";

export interface SegmentationOptions {
  /** Where the table comes from: a path, file://, https:// or s3:// URI. */
  readonly source: string;
  /**
   * Principal components kept for clustering; default the notebook's 5, at most the number of features;
   * "auto": the fewest that explain COMPONENTS_AUTO_SHARE of the variance.
   */
  readonly components?: number | "auto" | undefined;
  /** Components the PCA job computes (SageMaker's num_components); default: features - 1, as the notebook. */
  readonly pcaComponents?: number;
  /** K-Means clusters (the notebook uses 7). */
  readonly clusters: number;
  /** Sweep k over this range and choose by k-sweep.ts's rule instead of `clusters` (`--clusters auto`, `2..12`). */
  readonly clusterRange?: readonly [number, number] | undefined;
  readonly seed: number;
  /** K-Means restarts, best by inertia: a number, or `auto` (until the best recurs; kmeans/restart-count.ts). */
  readonly restarts: number | "auto";
  /** Columns joined (with "-") into the row index; [] for 1-based row numbers; default detected (column-roles.ts). */
  readonly indexColumns?: readonly string[] | undefined;
  /** Identifier columns: not features, kept in assignments.csv; default detected (text and id columns). */
  readonly idColumns?: readonly string[] | undefined;
  /** Exactly these numeric columns are the features (default: every numeric column that is not an id). */
  readonly features?: readonly string[] | undefined;
  /** Numeric columns left out of the features. */
  readonly exclude?: readonly string[] | undefined;
  /** Fill missing feature values with the column's median or mean instead of dropping the row. */
  readonly impute?: "median" | "mean" | undefined;
  /**
   * A numeric column whose values weight the rows (e.g. population): K-Means sample weights and weighted
   * segment profiles. Not a feature unless `features` names it; a row missing it is dropped (never imputed).
   */
  readonly weight?: string | undefined;
  /** What the rows are, as a plural ("customers"); default from the data (explain/entity.ts). */
  readonly entity?: string | undefined;
  /**
   * Transforms before scaling: `all` for every feature, `byFeature` for some (winning over `all`);
   * preprocess/feature-transform.ts.
   */
  readonly transform?:
    | {
        readonly all?: TransformName | undefined;
        readonly byFeature?: Readonly<Record<string, TransformName>>;
      }
    | undefined;
  /** How the features are scaled before the PCA: "minmax" to [0, 1] (the notebook's; default) or "standard" (z-scores). */
  readonly scale?: "minmax" | "standard" | undefined;
  /**
   * Stream the table in chunks instead of holding it (true), hold it (false), or decide by its estimated size
   * in memory against the budget (undefined; stream-choice.ts).
   */
  readonly stream?: boolean | undefined;
  /** Bootstrap resamples for each segment's stability (stability.ts); 0 or undefined: none. */
  readonly stability?: number | undefined;
}

/** The notebook keeps 5 components; a table with fewer features keeps them all. */
export const DEFAULT_COMPONENTS = 5;

/** `--components auto` keeps the fewest components whose explained variance adds up to this share. */
export const COMPONENTS_AUTO_SHARE = 0.8;

/** The components `--components auto` keeps for these explained-variance ratios (largest first). */
export function autoComponents(ratios: readonly number[]): number {
  let total = 0;
  for (let c = 0; c < ratios.length; c++) {
    total += ratios[c]!;
    if (total >= COMPONENTS_AUTO_SHARE) return c + 1;
  }
  return ratios.length;
}

export const DEFAULT_OPTIONS = {
  clusters: 7,
  seed: 0,
  restarts: "auto",
} as const;

/**
 * The source when none is given: `STRATA_DATA`, else `STRATA_CENSUS_CSV` (a local copy of the census file),
 * else the seed's public S3 object.
 */
export function defaultSource(env: NodeJS.ProcessEnv = process.env): string {
  return env["STRATA_DATA"] || env[CENSUS_CSV_ENV] || CENSUS_SOURCE_URI;
}

/**
 * The flags that are algorithm hyperparameters follow those rows' rules and messages: `--clusters` is
 * K-Means' `k` (2 to the number of rows), `--restarts` its `local_lloyd_num_trials` (1 to 1000, or `auto`),
 * `--seed` its `seed`; `--components` and `--pca-components` are PCA's `num_components` (1 to the number of
 * features). Nothing is sized from a flag before the data's bounds are checked, so no flag needs a cap of
 * its own.
 */
export const RUN_FLAG_RULES = {
  components: flagRule("--components", PCA_TABLE, "num_components"),
  pcaComponents: flagRule("--pca-components", PCA_TABLE, "num_components"),
  clusters: flagRule("--clusters", KMEANS_TABLE, "k"),
  seed: flagRule("--seed", KMEANS_TABLE, "seed"),
  restarts: flagRule("--restarts", KMEANS_TABLE, "local_lloyd_num_trials"),
} as const;

/** Checks the options that do not depend on the data (options given from code rather than flags). */
export function checkStaticOptions(o: SegmentationOptions): void {
  if (typeof o.components === "number") RUN_FLAG_RULES.components.check(o.components, {});
  RUN_FLAG_RULES.clusters.check(o.clusters, {});
  if (o.clusterRange !== undefined) {
    const [from, to] = o.clusterRange;
    RUN_FLAG_RULES.clusters.check(from, {});
    RUN_FLAG_RULES.clusters.check(to, {});
    if (to <= from)
      RUN_FLAG_RULES.clusters.refuse(`${from}..${to}`, "a range from..to with from < to, or auto (2..12)");
  }
  if (o.restarts !== "auto") RUN_FLAG_RULES.restarts.check(o.restarts, {});
  RUN_FLAG_RULES.seed.check(o.seed, {});
  if (o.pcaComponents !== undefined) RUN_FLAG_RULES.pcaComponents.check(o.pcaComponents, {});
}

/**
 * Checks the options against the cleaned data's shape; returns the components to keep and the number the PCA
 * computes.
 */
export function checkDataOptions(
  o: SegmentationOptions,
  shape: { rows: number; features: number },
): { components: number; pcaComponents: number } {
  const data = { numRows: shape.rows, featureDim: shape.features };
  // "auto" is chosen after the PCA, among the components it computes; 1 stands for it in the checks here.
  const components =
    o.components === "auto" ? 1 : (o.components ?? Math.min(DEFAULT_COMPONENTS, shape.features));
  RUN_FLAG_RULES.components.check(components, data);
  if (o.clusterRange === undefined) RUN_FLAG_RULES.clusters.check(o.clusters, data);
  else if (o.clusterRange[0] > shape.rows - 1)
    // The silhouette that chooses k needs fewer clusters than rows.
    RUN_FLAG_RULES.clusters.refuse(
      `${o.clusterRange[0]}..${o.clusterRange[1]}`,
      `a range starting at 2 to ${shape.rows - 1} (the number of rows − 1)`,
    );
  const pcaComponents = o.pcaComponents ?? Math.max(components, Math.min(shape.features - 1, shape.rows - 1));
  RUN_FLAG_RULES.pcaComponents.check(pcaComponents, data);
  // The one cross-flag rule: the PCA must compute at least the components kept.
  if (pcaComponents < components)
    RUN_FLAG_RULES.pcaComponents.refuse(
      pcaComponents,
      `an integer from ${components} (--components) to ${shape.features} (the number of features)`,
    );
  return { components, pcaComponents };
}
