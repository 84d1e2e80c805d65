/**
 * The census workflow's data defaults, kept apart from the generic data layer: where the ACS 2015 county
 * table lives (the public SageMaker example bucket, read anonymously and cached), and how the notebook
 * cleans it (index "State-County", drop the CensusId column).
 * @module
 */
import type { CleanOptions } from "./clean/clean-table.js";

/** The notebook's source object (3220 counties x 37 columns). */
export const CENSUS_SOURCE_URI =
  "s3://aws-ml-blog-sagemaker-census-segmentation/Census_Data_for_SageMaker.csv";

/** Environment variable naming a local copy of the census CSV (offline use, CI). */
export const CENSUS_CSV_ENV = "STRATA_CENSUS_CSV";

/** Columns whose values, joined with "-", label each county ("Alabama-Autauga"). */
export const CENSUS_INDEX_COLUMNS: readonly string[] = ["State", "County"];

/** Identifier columns that are not features. */
export const CENSUS_DROP_COLUMNS: readonly string[] = ["CensusId"];

/** The notebook's cleaning of the census table. */
export const CENSUS_CLEAN_OPTIONS: CleanOptions = {
  indexColumns: CENSUS_INDEX_COLUMNS,
  dropColumns: CENSUS_DROP_COLUMNS,
};
