/**
 * The serving benchmark's model set, built from the census CSV the way `strata run` builds it (min-max
 * scaler, PCA with 33 components, K-Means k=7 on the top 5) and written as SageMaker artifacts, plus the
 * request bodies: one raw county row and 1000 raw county rows as headerless CSV.
 * @module
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { encodeKMeansArtifactFile, encodePCAArtifactFile } from "../../src/formats/ndarray-models.js";
import { packTarGz } from "../../src/formats/tarball.js";
import { KMeans } from "../../src/kmeans/kmeans.js";
import { matrix, selectColumns } from "../../src/linalg/matrix.js";
import { PCA } from "../../src/pca/pca.js";
import { MinMaxScaler } from "../../src/preprocess/min-max-scaler.js";
import { SCALER_FILE_NAME } from "../../src/serving/model-loader.js";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");

/** STRATA_CENSUS_CSV, else ../shared/data/census/acs2015_county_data.csv beside the checkout. */
export function censusPath(): string {
  const path =
    process.env["STRATA_CENSUS_CSV"] ?? resolve(ROOT, "../shared/data/census/acs2015_county_data.csv");
  if (!existsSync(path)) throw new Error(`census CSV not found at ${path}; set STRATA_CENSUS_CSV`);
  return path;
}

/** The 3218 complete census rows, 34 numeric features (CensusId, State, County dropped). */
export function censusRows(): number[][] {
  const lines = readFileSync(censusPath(), "utf8")
    .split(/\r?\n/)
    .filter((l) => l.length > 0);
  return lines
    .slice(1)
    .map((l) => l.split(","))
    .filter((cells) => cells.every((c) => c.trim() !== ""))
    .map((cells) => cells.slice(3).map(Number));
}

export interface BenchFixture {
  readonly containers: { Image: string; ModelDataUrl: string; Environment?: Record<string, string> }[];
  readonly oneRow: string;
  readonly thousandRows: string;
}

/** Fits the models, writes artifacts under `dir` and returns the pipeline containers and bodies. */
export async function buildFixture(dir: string): Promise<BenchFixture> {
  const rows = censusRows();
  const raw = matrix(rows.length, 34, Float64Array.from(rows.flat()));
  const scaler = new MinMaxScaler().fit(raw);
  const scaled = scaler.transform(raw);
  const pca = new PCA({ numComponents: 33 }).fit(scaled);
  const sm = pca.toSageMaker();
  const top = selectColumns(pca.transform(scaled), [0, 1, 2, 3, 4]);
  const kmeans = new KMeans({ k: 7, seed: 1, restarts: 1, initMethod: "kmeans++" }).fit(top);
  const write = async (name: string, entry: string, bytes: Uint8Array) => {
    const path = join(dir, name);
    writeFileSync(path, await packTarGz([{ name: entry, bytes }]));
    return path;
  };
  const pcaUri = await write(
    "pca.tar.gz",
    "model_algo-1",
    encodePCAArtifactFile({ s: sm.s, v: sm.v, mean: sm.mean }),
  );
  const kmUri = await write("kmeans.tar.gz", "model_algo-1", encodeKMeansArtifactFile(kmeans.centroids));
  const scUri = await write(
    "scaler.tar.gz",
    SCALER_FILE_NAME,
    new TextEncoder().encode(JSON.stringify(scaler.toJSON())),
  );
  const csv = (n: number) =>
    rows
      .slice(0, n)
      .map((r) => r.join(","))
      .join("\n");
  return {
    containers: [
      { Image: "strata/minmax-scaler:1", ModelDataUrl: scUri },
      {
        Image: "382416733822.dkr.ecr.us-east-1.amazonaws.com/pca:1",
        ModelDataUrl: pcaUri,
        Environment: { STRATA_PCA_KEEP_TOP: "5" },
      },
      { Image: "382416733822.dkr.ecr.us-east-1.amazonaws.com/kmeans:1", ModelDataUrl: kmUri },
    ],
    oneRow: csv(1),
    thousandRows: csv(1000),
  };
}
