/**
 * The options of the segmentation workflow (`strata run`), their defaults and their validation against the
 * data. Limits that depend on the data (components <= features, clusters <= rows) are checked after cleaning
 * and before any output is written, so a bad value changes nothing.
 * @module
 */
import {
  CENSUS_CSV_ENV,
  CENSUS_DROP_COLUMNS,
  CENSUS_INDEX_COLUMNS,
  CENSUS_SOURCE_URI,
} from "../data/census.js";
import { StrataError } from "../errors.js";

export interface SegmentationOptions {
  /** Where the table comes from: a path, file://, https:// or s3:// URI. */
  readonly source: string;
  /** Principal components kept for clustering (the notebook keeps 5). */
  readonly components: number;
  /** Components the PCA job computes (SageMaker's num_components); default: features - 1, as the notebook. */
  readonly pcaComponents?: number;
  /** K-Means clusters (the notebook uses 7). */
  readonly clusters: number;
  readonly seed: number;
  /** K-Means restarts, best by inertia. */
  readonly restarts: number;
  /** Columns joined (with "-") into the row index. */
  readonly indexColumns: readonly string[];
  /** Identifier columns dropped from the features but kept in assignments.csv. */
  readonly idColumns: readonly string[];
}

export const DEFAULT_OPTIONS = {
  components: 5,
  clusters: 7,
  seed: 0,
  restarts: 10,
  indexColumns: CENSUS_INDEX_COLUMNS,
  idColumns: CENSUS_DROP_COLUMNS,
} as const;

/**
 * The source when none is given: `STRATA_DATA`, else `STRATA_CENSUS_CSV` (a local copy of the census file),
 * else the seed's public S3 object.
 */
export function defaultSource(env: NodeJS.ProcessEnv = process.env): string {
  return env["STRATA_DATA"] || env[CENSUS_CSV_ENV] || CENSUS_SOURCE_URI;
}

/** Checks the options that do not depend on the data (integers in range). */
export function checkStaticOptions(o: SegmentationOptions): void {
  positiveInteger("--components", o.components, 1);
  positiveInteger("--clusters", o.clusters, 2);
  positiveInteger("--restarts", o.restarts, 1);
  if (!Number.isSafeInteger(o.seed) || o.seed < 0) {
    throw new StrataError(
      "INVALID_ARGUMENT",
      `--seed ${o.seed} is invalid: expected a non-negative integer.`,
      {
        details: { option: "seed", value: o.seed },
      },
    );
  }
  if (o.pcaComponents !== undefined) positiveInteger("--pca-components", o.pcaComponents, 1);
}

/** Checks the options against the cleaned data's shape; returns the number of PCA components to compute. */
export function checkDataOptions(o: SegmentationOptions, shape: { rows: number; features: number }): number {
  if (o.components > shape.features) {
    throw new StrataError(
      "INVALID_ARGUMENT",
      `--components ${o.components} is larger than the number of features (${shape.features}); expected 1 to ${shape.features}.`,
      { details: { option: "components", value: o.components, max: shape.features } },
    );
  }
  if (o.clusters > shape.rows) {
    throw new StrataError(
      "INVALID_ARGUMENT",
      `--clusters ${o.clusters} is larger than the number of rows (${shape.rows}); expected 2 to ${shape.rows}.`,
      { details: { option: "clusters", value: o.clusters, max: shape.rows } },
    );
  }
  const pcaComponents =
    o.pcaComponents ?? Math.max(o.components, Math.min(shape.features - 1, shape.rows - 1));
  if (pcaComponents < o.components || pcaComponents > shape.features) {
    throw new StrataError(
      "INVALID_ARGUMENT",
      `--pca-components ${pcaComponents} is invalid: expected ${o.components} (--components) to ${shape.features} (the number of features).`,
      { details: { option: "pcaComponents", value: pcaComponents, min: o.components, max: shape.features } },
    );
  }
  return pcaComponents;
}

function positiveInteger(option: string, value: number, min: number): void {
  if (!Number.isSafeInteger(value) || value < min) {
    throw new StrataError(
      "INVALID_ARGUMENT",
      `${option} ${value} is invalid: expected an integer of at least ${min}.`,
      {
        details: { option: option.replace(/^--/, ""), value, min },
      },
    );
  }
}
