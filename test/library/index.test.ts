/**
 * Issue 13: Strata as a library. `import { … } from "strata"` resolves through the package's exports map to
 * the built module, and the README's example runs as written, giving the partition the data has.
 * @module
 */
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import * as strata from "../../src/index.js";
import { PROJECT_ROOT } from "../helpers/census.js";

test('"strata" resolves to dist/index.js through the exports map, with its type declarations', () => {
  const resolved = fileURLToPath(import.meta.resolve("strata"));
  assert.equal(resolved, `${PROJECT_ROOT}/dist/index.js`);
  assert.ok(existsSync(resolved), "npm install builds dist/");
  assert.ok(existsSync(`${PROJECT_ROOT}/dist/index.d.ts`));
});

test("the README's example: scale, project, cluster", () => {
  const { KMeans, MinMaxScaler, PCA, fromRows } = strata;
  const x = fromRows([
    [1, 2],
    [2, 1],
    [9, 8],
    [8, 9],
  ]);
  const scaled = new MinMaxScaler().fit(x).transform(x);
  const pca = new PCA({ numComponents: 1 }).fit(scaled);
  const km = new KMeans({ k: 2, seed: 0 }).fit(pca.transform(scaled));
  const labels = Array.from(km.predict(pca.transform(scaled)).closestCluster);
  assert.ok(labels[0] === labels[1] && labels[2] === labels[3] && labels[0] !== labels[2], `${labels}`);
});

test("the estimators, models, codecs, server and workflow are exported", () => {
  for (const name of [
    "PCA",
    "PCAModel",
    "KMeans",
    "KMeansModel",
    "MinMaxScaler",
    "MinMaxScalerModel",
    "StandardScaler",
    "StandardScalerModel",
    "encodePCAArtifactFile",
    "decodeKMeansArtifactFile",
    "encodeDenseRows",
    "decodeRecordIO",
    "packTarGz",
    "readModelAlgoFile",
    "loadTable",
    "startServer",
    "executeRun",
    "StrataError",
  ])
    assert.equal(typeof (strata as Record<string, unknown>)[name], "function", name);
});
