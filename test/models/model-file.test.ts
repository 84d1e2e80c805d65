/**
 * Issue 13: one fitted-model file for every estimator — kind, version, algorithm, feature names and training
 * facts in the same places — read back by one loader, exactly (doubles round-trip through JSON), and the
 * version-1 files of earlier Strata versions still read. K-Means models now carry feature names.
 * @module
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { isStrataError } from "../../src/errors.js";
import { KMeans } from "../../src/kmeans/kmeans.js";
import type { KMeansModel } from "../../src/kmeans/kmeans-model.js";
import { kmeansModelToJSON } from "../../src/kmeans/kmeans-model-json.js";
import { fromRows } from "../../src/linalg/matrix.js";
import { MODEL_FILE_KIND, modelFromFile, modelToFile } from "../../src/models/model-file.js";
import { PCA } from "../../src/pca/pca.js";
import type { PCAModel } from "../../src/pca/pca-model.js";
import { pcaModelToJSON } from "../../src/pca/pca-model-json.js";
import { MinMaxScaler, type MinMaxScalerModel } from "../../src/preprocess/min-max-scaler.js";
import { StandardScaler, type StandardScalerModel } from "../../src/preprocess/standard-scaler.js";

const names = ["income", "age", "visits"];
const x = fromRows([
  [1, 20, 0.5],
  [2, 35, 1.5],
  [9, 40, 3.25],
  [8, 61, 2],
  [7.5, 22, 0.125],
]);

/** Through text, as a file would go. */
const roundTrip = (model: Parameters<typeof modelToFile>[0]) =>
  modelFromFile(JSON.parse(JSON.stringify(modelToFile(model))));

test("every estimator's model round-trips through the one file format, with its feature names", () => {
  const pca = new PCA({ numComponents: 2 }).fit(x, { featureNames: names });
  const kmeans = new KMeans({ k: 2, seed: 3 }).fit(x, { featureNames: names });
  const minmax = new MinMaxScaler().fit(x, { featureNames: names });
  const standard = new StandardScaler().fit(x, { featureNames: names });
  for (const model of [pca, kmeans, minmax, standard]) {
    const file = modelToFile(model);
    assert.equal(file.kind, MODEL_FILE_KIND);
    assert.equal(file.formatVersion, 2);
    assert.deepEqual(file.featureNames, names);
    assert.equal(roundTrip(model).constructor, model.constructor);
    assert.deepEqual(roundTrip(model).featureNames, names);
  }
  const p = roundTrip(pca) as PCAModel;
  assert.deepEqual(p.components.data, pca.components.data);
  assert.deepEqual(p.singularValues, pca.singularValues);
  const k = roundTrip(kmeans) as KMeansModel;
  assert.deepEqual(k.centroids.data, kmeans.centroids.data);
  assert.deepEqual(k.training, kmeans.training);
  assert.equal(modelToFile(kmeans).training?.["inertia"], kmeans.inertia);
  assert.deepEqual((roundTrip(minmax) as MinMaxScalerModel).dataMax, minmax.dataMax);
  assert.deepEqual((roundTrip(standard) as StandardScalerModel).variance, standard.variance);
});

test("version-1 files of earlier Strata versions still read (a K-Means file without names gets x0..x2)", () => {
  const pca = new PCA({ numComponents: 2 }).fit(x, { featureNames: names });
  assert.deepEqual((modelFromFile(pcaModelToJSON(pca)) as PCAModel).components.data, pca.components.data);
  const kmeans = new KMeans({ k: 2, seed: 3 }).fit(x);
  const { featureNames: _dropped, ...oldKMeans } = kmeansModelToJSON(kmeans);
  assert.deepEqual((modelFromFile(oldKMeans) as KMeansModel).featureNames, ["x0", "x1", "x2"]);
  const minmax = new MinMaxScaler().fit(x);
  assert.deepEqual((modelFromFile(minmax.toJSON()) as MinMaxScalerModel).dataMin, minmax.dataMin);
});

test("anything else is ARTIFACT_INVALID, naming what it found", () => {
  for (const [json, pattern] of [
    [[], /expected a JSON object/],
    [{ kind: "sklearn.pickle" }, /kind is "sklearn\.pickle", expected "strata\.model"/],
    [{ kind: MODEL_FILE_KIND, formatVersion: 3 }, /formatVersion 3 is not supported/],
    [{ kind: MODEL_FILE_KIND, formatVersion: 2, algorithm: "svm", state: {} }, /algorithm "svm"/],
    [
      { kind: MODEL_FILE_KIND, formatVersion: 2, algorithm: "constructor", state: {} },
      /algorithm "constructor"/,
    ],
    [{ kind: MODEL_FILE_KIND, formatVersion: 2, algorithm: "toString", state: {} }, /algorithm "toString"/],
  ] as const)
    assert.throws(
      () => modelFromFile(json),
      (e: unknown) => isStrataError(e, "ARTIFACT_INVALID") && pattern.test(e.message),
    );
});
