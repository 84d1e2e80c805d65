/**
 * Issue 15: PCA algorithm_mode=randomized on the min-max-scaled census (the notebook's 3218×34 matrix) against
 * regular mode: which settings reach the top 5 components' explained-variance ratios to 1e-6, that every power
 * iteration helps, the scale of `s` of the single pass, the fallback when the sketch is not narrower than the
 * data, subtract_mean=false, rank-deficient data, and determinism (seed; fit, fitOn inline and on threads).
 * @module
 */
import assert from "node:assert/strict";
import { after, describe, test } from "node:test";
import { InlineExecutor } from "../../src/contract/executor.js";
import { ThreadsExecutor } from "../../src/contract/threads.js";
import { type Matrix, matrix } from "../../src/linalg/matrix.js";
import { createRng } from "../../src/linalg/rng.js";
import { SKETCH_TOO_WIDE_WARNING } from "../../src/pca/fit-plan.js";
import type { PCAOptions } from "../../src/pca/hyperparameters.js";
import { PCA } from "../../src/pca/pca.js";
import type { PCAModel } from "../../src/pca/pca-model.js";
import { MinMaxScaler } from "../../src/preprocess/min-max-scaler.js";
import { MemoryLogger } from "../../src/util/logger.js";
import { expectClose } from "../helpers/expect-close.js";
import { readCensusMatrix } from "../helpers/read-census-matrix.js";

const census = readCensusMatrix();
const scaled = new MinMaxScaler().fit(census.matrix).transform(census.matrix);

/** The largest difference of the top components' exact explained-variance ratios. */
function ratioError(model: PCAModel, exact: PCAModel): number {
  let worst = 0;
  for (let c = 0; c < exact.numComponents; c++)
    worst = Math.max(worst, Math.abs(model.explainedVarianceRatio[c]! - exact.explainedVarianceRatio[c]!));
  return worst;
}

/** The largest 1 − |cos| between matching components (0 when they are the same direction). */
function directionError(model: PCAModel, exact: PCAModel): number {
  const d = exact.numFeatures;
  let worst = 0;
  for (let c = 0; c < exact.numComponents; c++) {
    let dot = 0;
    for (let j = 0; j < d; j++) dot += model.components.data[c * d + j]! * exact.components.data[c * d + j]!;
    worst = Math.max(worst, 1 - Math.abs(dot));
  }
  return worst;
}

const randomized = (options: Omit<PCAOptions, "numComponents">, numComponents = 5) =>
  new PCA({ numComponents, algorithmMode: "randomized", ...options });

describe("randomized PCA on the census (5 components, min-max scaled)", () => {
  const regular = new PCA({ numComponents: 5 }).fit(scaled);

  test("reaches regular mode to 1e-6 in explained-variance ratio: ℓ = 33 with 1 power iteration (exact), ℓ = 25 with 3, the default ℓ = 15 with 5", () => {
    // ℓ = 5 + 28 = 33 is the rank of the centred census (TotalPop = Men + Women): the sketch spans every
    // direction the data has, and the Rayleigh–Ritz pass is then exact up to rounding.
    const exact = randomized({ extraComponents: 28, powerIterations: 1 }).fit(scaled);
    assert.ok(ratioError(exact, regular) < 1e-12, `ℓ = 33: ${ratioError(exact, regular)}`);
    assert.ok(directionError(exact, regular) < 1e-12);
    expectClose(exact.singularValues, regular.singularValues, { rtol: 1e-12 }, "s, ℓ = 33");
    // Measured with seeds 0–9 (seed 0 here): ℓ = 25, p = 3 ≤ 1.0e-8; the default ℓ = 15, p = 5 ≤ 1.2e-7.
    for (const [options, bound] of [
      [{ extraComponents: 20, powerIterations: 3 }, 1e-8],
      [{ powerIterations: 5 }, 1e-6],
    ] as const) {
      const model = randomized(options).fit(scaled);
      const error = ratioError(model, regular);
      assert.ok(error < bound, `${JSON.stringify(options)}: ${error}`);
      assert.ok(directionError(model, regular) < 1e-6, `${JSON.stringify(options)}: directions`);
      expectClose(model.mean, regular.mean, { rtol: 1e-14 }, "mean");
      assert.equal(model.nSamplesSeen, 3218);
      expectClose([model.totalVariance!], [regular.totalVariance!], { rtol: 1e-13 }, "total variance");
    }
  });

  test("with the default ℓ = 15, every power iteration helps; SageMaker's single pass (the defaults) is an estimate, ~1e-1 off", () => {
    const errors = [0, 1, 2, 3, 4, 5].map((p) =>
      ratioError(randomized({ powerIterations: p }).fit(scaled), regular),
    );
    for (let p = 1; p < errors.length; p++)
      assert.ok(errors[p]! < errors[p - 1]! / 5, `p = ${p}: ${errors[p]} after ${errors[p - 1]}`);
    // Measured (seed 0): 1.6e-1, 1.2e-2, 1.2e-4, 3.0e-6, 9.4e-8, 1.5e-9.
    assert.ok(errors[0]! > 1e-2 && errors[0]! < 0.3, `p = 0: ${errors[0]}`);
    assert.ok(errors[2]! < 1e-3, `p = 2: ${errors[2]}`);
  });

  test("the single pass's s is the sketch's singular values over √ℓ: unbiased for the top component over seeds", () => {
    // E[CᵀC] = ℓ·X̃ᵀX̃: without the 1/ℓ scale the estimates would be √15 ≈ 3.9 times regular mode's s.
    const estimates = Array.from(
      { length: 10 },
      (_, seed) => randomized({ seed }).fit(scaled).singularValues[0]! / regular.singularValues[0]!,
    );
    const mean = estimates.reduce((a, b) => a + b, 0) / estimates.length;
    // Measured: 0.91 to 1.23 over seeds 0–9, mean 1.09 (the top value absorbs some of the tail's variance).
    assert.ok(mean > 0.95 && mean < 1.15, `mean s₁ / exact s₁ = ${mean}`);
    assert.ok(Math.min(...estimates) > 0.8 && Math.max(...estimates) < 1.3, estimates.join(", "));
  });

  test("subtract_mean=false sketches the raw rows: ℓ = 33 of 34 with 2 power iterations matches regular mode to 1e-6", () => {
    const exact = new PCA({ numComponents: 5, subtractMean: false }).fit(scaled);
    const model = randomized({ subtractMean: false, extraComponents: 28, powerIterations: 2 }).fit(scaled);
    assert.ok(ratioError(model, exact) < 1e-6, `${ratioError(model, exact)}`);
    assert.ok(directionError(model, exact) < 1e-6);
    assert.deepEqual(model.mean, new Float64Array(34));
    assert.equal(model.subtractMean, false);
  });

  test("ℓ ≥ the number of features: SageMaker's warning, and regular mode's exact model (the notebook's 33 components)", () => {
    const logger = new MemoryLogger();
    const model = randomized({}, 33).fit(scaled, { logger });
    const warnings = logger.events.filter((e) => e.level === "warn");
    assert.equal(warnings.length, 1);
    assert.ok(
      warnings[0]!.message.startsWith(
        `${SKETCH_TOO_WIDE_WARNING}: num_components + extra_components = 66, features = 34.`,
      ),
    );
    assert.match(warnings[0]!.message, /Fitting regular mode's exact statistics instead/);
    assert.deepEqual(model, new PCA({ numComponents: 33 }).fit(scaled));
  });

  test("the same seed gives the same bits, another seed another sketch; the data is not modified", () => {
    const before = Float64Array.from(scaled.data);
    const a = randomized({ seed: 3 }).fit(scaled);
    assert.deepEqual(randomized({ seed: 3 }).fit(scaled), a);
    assert.notDeepEqual(randomized({ seed: 4 }).fit(scaled).components, a.components);
    assert.deepEqual(scaled.data, before);
  });

  const threads = new ThreadsExecutor({ threads: 2 });
  after(() => threads.close());

  test("fit equals fitOn inline and on 2 worker threads, bit for bit (40,000 rows: two shards)", async () => {
    const big = matrix(40_000, 34);
    for (let i = 0; i < big.rows; i++)
      big.data.set(scaled.data.subarray((i % 3218) * 34, ((i % 3218) + 1) * 34), i * 34);
    for (let i = 0; i < big.data.length; i += 7) big.data[i] = big.data[i]! + 1e-3 * (i % 13);
    const estimator = randomized({ powerIterations: 2, seed: 11 });
    const fitted = estimator.fit(big, { featureNames: census.featureNames });
    for (const executor of [new InlineExecutor(), threads])
      assert.deepEqual(await estimator.fitOn(executor, big, { featureNames: census.featureNames }), fitted);
  });
});

describe("randomized PCA on rank-deficient data", () => {
  test("rank 2 in 6 dimensions, 4 components: orthonormal components, the two beyond the rank warned as zero", () => {
    const rng = createRng(2);
    const x: Matrix = matrix(300, 6);
    for (let i = 0; i < 300; i++) {
      const [u, v] = [rng.nextGaussian(), rng.nextGaussian()];
      for (let j = 0; j < 6; j++) x.data[i * 6 + j] = 5 + u * (j + 1) - v * (j % 3);
    }
    const logger = new MemoryLogger();
    const model = randomized({ extraComponents: 1, powerIterations: 2 }, 4).fit(x, { logger });
    const exact = new PCA({ numComponents: 2 }).fit(x);
    expectClose(
      model.singularValues.subarray(0, 2),
      exact.singularValues,
      { rtol: 1e-10 },
      "the two real ones",
    );
    assert.ok(model.singularValues[2]! < 1e-6 * model.singularValues[0]!);
    for (let a = 0; a < 4; a++)
      for (let b = 0; b < 4; b++) {
        let dot = 0;
        for (let j = 0; j < 6; j++)
          dot += model.components.data[a * 6 + j]! * model.components.data[b * 6 + j]!;
        expectClose(dot, a === b ? 1 : 0, { atol: 1e-12 }, `components ${a}·${b}`);
      }
    assert.deepEqual(
      logger.events.filter((e) => e.level === "warn").map((e) => e.details?.["component"]),
      [2, 3],
    );
  });
});
