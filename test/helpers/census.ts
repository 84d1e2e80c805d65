/**
 * Where the tests find the real census file: STRATA_CENSUS_CSV (CI sets it), else ../shared beside the
 * checkout. The file is never copied into the repository.
 * @module
 */
import { existsSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export const PROJECT_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
export const SHARED_DIR = resolve(PROJECT_ROOT, "../shared");

export function censusCsvPath(): string {
  const path = process.env["STRATA_CENSUS_CSV"] ?? resolve(SHARED_DIR, "data/census/acs2015_county_data.csv");
  if (!existsSync(path)) {
    throw new Error(
      `Census CSV not found at ${path}: set STRATA_CENSUS_CSV or put ../shared beside the checkout.`,
    );
  }
  return resolve(path);
}

export function sagemakerKMeansArtifactDir(): string {
  return resolve(SHARED_DIR, "data/sagemaker/kmeans-8x7");
}
