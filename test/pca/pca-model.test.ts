/**
 * PCAModel's SageMaker layout (s ascending, v d×C with columns reversed, mean 1×d), the round trip through
 * fromSageMaker, topFeatures and the notebook's kept-variance ratio.
 * @module
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { type Matrix, matrix } from "../../src/linalg/matrix.js";
import { createRng } from "../../src/linalg/rng.js";
import { PCA } from "../../src/pca/pca.js";
import { PCAModel } from "../../src/pca/pca-model.js";
import { MemoryLogger } from "../../src/util/logger.js";
import { expectClose } from "../helpers/expect-close.js";

function randomRows(n: number, d: number, seed: number): Matrix {
  const rng = createRng(seed);
  const m = matrix(n, d);
  for (let k = 0; k < m.data.length; k++) m.data[k] = 1 + (1 + (k % d)) * rng.nextGaussian();
  return m;
}

const names = ["a", "b", "c", "d", "e", "f"];
const x = randomRows(40, 6, 3);
const model = new PCA({ numComponents: 4 }).fit(x, { featureNames: names });

describe("toSageMaker", () => {
  test("s ascending; v column j is component C−1−j; mean is the column mean", () => {
    const { s, v, mean } = model.toSageMaker();
    assert.deepEqual(Array.from(s), Array.from(model.singularValues).reverse());
    for (let k = 1; k < 4; k++) assert.ok(s[k - 1]! <= s[k]!);
    assert.equal(v.rows, 6);
    assert.equal(v.cols, 4);
    for (let j = 0; j < 4; j++) {
      for (let i = 0; i < 6; i++) assert.equal(v.data[i * 4 + j], model.components.data[(3 - j) * 6 + i]);
    }
    assert.deepEqual(mean, model.mean);
    assert.notEqual(mean, model.mean);
  });

  test("(x − mean)·v is transform with the columns reversed", () => {
    const { v, mean } = model.toSageMaker();
    const z = model.transform(x);
    for (let r = 0; r < 3; r++) {
      for (let j = 0; j < 4; j++) {
        let acc = 0;
        for (let i = 0; i < 6; i++) acc += (x.data[r * 6 + i]! - mean[i]!) * v.data[i * 4 + j]!;
        expectClose(acc, z.data[r * 4 + (3 - j)]!, { atol: 1e-14 }, `row ${r} column ${j}`);
      }
    }
  });
});

describe("fromSageMaker", () => {
  test("round trip keeps components, s and mean exactly; the ratio basis is flagged", () => {
    const back = PCAModel.fromSageMaker(model.toSageMaker(), { featureNames: names, nSamplesSeen: 40 });
    assert.deepEqual(back.components, model.components);
    assert.deepEqual(back.singularValues, model.singularValues);
    assert.deepEqual(back.mean, model.mean);
    assert.equal(back.subtractMean, true);
    expectClose(back.explainedVariance, model.explainedVariance, { rtol: 1e-15 }, "explained variance");
    assert.equal(back.varianceRatioBasis, "kept-components");
    assert.equal(back.totalVariance, undefined);
    const keptSum = back.explainedVarianceRatio.reduce((p, q) => p + q, 0);
    expectClose(keptSum, 1, { atol: 1e-15 }, "kept ratios sum");
    assert.ok(
      back.explainedVarianceRatio[0]! >= model.explainedVarianceRatio[0]!,
      "kept-basis ratio ≥ exact ratio",
    );
    assert.equal(model.varianceRatioBasis, "all-features");
    expectClose(
      back.keptExplainedVarianceSageMaker(2),
      model.keptExplainedVarianceSageMaker(2),
      { rtol: 1e-15 },
      "kept 2",
    );
  });

  test("descending s (randomized artifacts), float32 arrays, no n, no mean", () => {
    const { s, v } = model.toSageMaker();
    const reversed = matrix(6, 4);
    for (let i = 0; i < 6; i++)
      for (let j = 0; j < 4; j++) reversed.data[i * 4 + j] = v.data[i * 4 + (3 - j)]!;
    const desc = PCAModel.fromSageMaker({ s: Float32Array.from(s).reverse(), v: reversed });
    expectClose(desc.components.data, model.components.data, { atol: 1e-15 }, "components");
    expectClose(desc.singularValues, model.singularValues, { rtol: 1e-7 }, "float32 s");
    assert.equal(desc.subtractMean, false);
    assert.deepEqual(Array.from(desc.mean), [0, 0, 0, 0, 0, 0]);
    assert.equal(desc.nSamplesSeen, undefined);
    assert.ok(Array.from(desc.explainedVariance).every(Number.isNaN));
    assert.deepEqual(desc.featureNames, ["x0", "x1", "x2", "x3", "x4", "x5"]);
  });

  test("NaN singular values become 0 with a warning; mismatched shapes are refused", () => {
    const { s, v, mean } = model.toSageMaker();
    const logger = new MemoryLogger();
    const withNaN = PCAModel.fromSageMaker(
      { s: [Number.NaN, ...Array.from(s).slice(1)], v, mean },
      { logger },
    );
    assert.equal(withNaN.singularValues[3], 0);
    assert.equal(logger.events[0]?.level, "warn");
    assert.throws(() => PCAModel.fromSageMaker({ s: s.subarray(1), v, mean }), { code: "ARTIFACT_INVALID" });
    assert.throws(
      () => PCAModel.fromSageMaker({ s, v, mean: mean.subarray(1) }),
      /s has 4 values, v is 6x4, mean has 5/,
    );
  });
});

describe("topFeatures and keptExplainedVarianceSageMaker", () => {
  test("topFeatures sorts by |weight| and keeps signs", () => {
    const top = model.topFeatures(1, 6);
    assert.equal(top.length, 6);
    for (let k = 1; k < 6; k++) assert.ok(Math.abs(top[k - 1]!.weight) >= Math.abs(top[k]!.weight));
    const row = Array.from(model.components.data.subarray(6, 12));
    for (const { feature, weight } of top) assert.equal(weight, row[names.indexOf(feature)]);
    assert.equal(model.topFeatures(0, 2).length, 2);
    assert.throws(() => model.topFeatures(4, 1), { code: "INVALID_ARGUMENT" });
    assert.throws(() => model.topFeatures(0, -1), { code: "INVALID_ARGUMENT" });
  });

  test("the notebook's ratio is Σ top-n s² / Σ kept s²", () => {
    const sq = Array.from(model.singularValues, (s) => s * s);
    const all = sq.reduce((p, q) => p + q, 0);
    expectClose(model.keptExplainedVarianceSageMaker(2), (sq[0]! + sq[1]!) / all, { rtol: 1e-15 }, "n = 2");
    assert.equal(model.keptExplainedVarianceSageMaker(4), 1);
    assert.throws(() => model.keptExplainedVarianceSageMaker(5), { code: "INVALID_ARGUMENT" });
  });
});
