/**
 * The census workflow's data defaults, kept apart from the generic data layer: where the ACS 2015 county
 * table lives (the public SageMaker example bucket, read anonymously and cached). How the notebook cleans it
 * (index "State-County", CensusId an id) comes out of the general column rules (clean/column-roles.ts).
 * @module
 */

/** The notebook's source object (3220 counties x 37 columns). */
export const CENSUS_SOURCE_URI =
  "s3://aws-ml-blog-sagemaker-census-segmentation/Census_Data_for_SageMaker.csv";

/** Environment variable naming a local copy of the census CSV (offline use, CI). */
export const CENSUS_CSV_ENV = "STRATA_CENSUS_CSV";
