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
import { KMeansModel } from "../../src/kmeans/kmeans-model.js";
import { fromRows } from "../../src/linalg/matrix.js";
import { MODEL_FILE_KIND, modelFromFile, modelToFile } from "../../src/models/model-file.js";
import { PCA } from "../../src/pca/pca.js";
import { PCAModel } from "../../src/pca/pca-model.js";
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

/** Files as Strata 15b94d1 wrote them (its pcaModelToJSON, kmeansModelToJSON and MinMaxScalerModel.toJSON). */
const V1 = {
  pca: {
    kind: "strata.pca-model",
    formatVersion: 1,
    featureNames: ["income", "age", "visits"],
    subtractMean: true,
    mean: [5.5, 35.6, 1.475],
    components: [
      [0.11694906235962732, 0.9918737501334902, 0.05009371826217902],
      [0.9901668616789769, -0.12034942894012875, 0.07131339976883815],
    ],
    singularValues: [33.32541176468792, 6.370688146395974],
    explainedVariance: [277.6457673215, 10.146416864657542],
    explainedVarianceRatio: [0.9620435458125431, 0.035157369593407976],
    nSamplesSeen: 5,
    totalVariance: 288.6,
    varianceRatioBasis: "all-features",
  },
  kmeans: {
    kind: "strata.kmeans-model",
    formatVersion: 1,
    centroids: [
      [4.875, 29.25, 1.34375],
      [8, 61, 2],
    ],
    training: {
      inertia: 339.79296875,
      msd: 67.95859375,
      iterations: 2,
      converged: true,
      numRows: 5,
      bestTrial: 1,
      trialInertias: [
        379.9583333333333, 339.79296875, 379.9583333333333, 339.79296875, 339.79296875, 379.9583333333333,
        379.9583333333333, 379.9583333333333, 379.9583333333333, 339.79296875,
      ],
      sizes: [4, 1],
    },
  },
  minmax: {
    kind: "strata.MinMaxScalerModel",
    formatVersion: 1,
    featureNames: ["x0", "x1", "x2"],
    featureRange: [0, 1],
    dataMin: [1, 20, 0.125],
    dataMax: [9, 61, 3.25],
    scale: [0.125, 0.024390243902439025, 0.32],
    min: [-0.125, -0.4878048780487805, -0.04],
    nSamplesSeen: 5,
  },
};

test("version-1 files of earlier Strata versions still read (a K-Means file without names gets x0..x2)", () => {
  const pca = modelFromFile(V1.pca) as PCAModel;
  assert.ok(pca instanceof PCAModel);
  assert.deepEqual(pca.featureNames, names);
  assert.deepEqual(Array.from(pca.components.data), V1.pca.components.flat());
  assert.deepEqual(Array.from(pca.singularValues), V1.pca.singularValues);
  const kmeans = modelFromFile(V1.kmeans) as KMeansModel;
  assert.ok(kmeans instanceof KMeansModel);
  assert.deepEqual(kmeans.featureNames, ["x0", "x1", "x2"]);
  assert.deepEqual(Array.from(kmeans.centroids.data), V1.kmeans.centroids.flat());
  assert.equal(kmeans.inertia, V1.kmeans.training.inertia);
  const minmax = modelFromFile(V1.minmax) as MinMaxScalerModel;
  assert.deepEqual(Array.from(minmax.dataMin), V1.minmax.dataMin);
  // And today's fit of the same rows reads the same as that file.
  assert.deepEqual(
    new PCA({ numComponents: 2 }).fit(x, { featureNames: names }).components.data,
    pca.components.data,
  );
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
