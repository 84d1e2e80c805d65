/**
 * PCA hyperparameter parsing: every rule of the table, SageMaker SDK-style values, ignored internal keys,
 * and messages that name the parameter, the value and the allowed range.
 * @module
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { isStrataError } from "../../src/errors.js";
import { matrix } from "../../src/linalg/matrix.js";
import {
  MAX_PCA_FEATURES,
  MAX_POWER_ITERATIONS,
  parsePCAHyperparameters,
  sketchSize,
  validatePCAOptions,
} from "../../src/pca/hyperparameters.js";
import { PCA } from "../../src/pca/pca.js";
import { MemoryLogger } from "../../src/util/logger.js";

function rejects(fn: () => unknown, code: string, message: RegExp | string): void {
  assert.throws(fn, (e: Error & { code?: string }) => {
    assert.equal(e.code, code);
    if (typeof message === "string") assert.equal(e.message, message);
    else assert.match(e.message, message);
    return true;
  });
}

describe("parsePCAHyperparameters", () => {
  test("the census notebook's map, with defaults filled and the result frozen", () => {
    const p = parsePCAHyperparameters(
      { feature_dim: "34", mini_batch_size: "500", num_components: "33" },
      { featureDim: 34 },
    );
    assert.deepEqual(p, {
      featureDim: 34,
      numComponents: 33,
      miniBatchSize: 500,
      algorithmMode: "regular",
      subtractMean: true,
      extraComponents: -1,
      powerIterations: 0,
      seed: 0,
    });
    assert.ok(Object.isFrozen(p));
  });

  test("num_components: required, integer from 1 to the number of features", () => {
    rejects(
      () => parsePCAHyperparameters({ num_components: "40" }, { featureDim: 34 }),
      "INVALID_HYPERPARAMETER",
      "num_components=40 is invalid: expected an integer from 1 to 34 (the number of features).",
    );
    rejects(
      () => parsePCAHyperparameters({ num_components: "0" }),
      "INVALID_HYPERPARAMETER",
      "num_components=0 is invalid: expected an integer of at least 1.",
    );
    rejects(
      () => parsePCAHyperparameters({ num_components: "2.5" }),
      "INVALID_HYPERPARAMETER",
      /num_components=2.5/,
    );
    rejects(
      () => parsePCAHyperparameters({ num_components: "" }),
      "INVALID_HYPERPARAMETER",
      /num_components="" is invalid/,
    );
    rejects(
      () => parsePCAHyperparameters({}),
      "MISSING_HYPERPARAMETER",
      "PCA needs the hyperparameter num_components (an integer of at least 1).",
    );
    // The limit also comes from feature_dim when the data width is not known yet.
    rejects(
      () => parsePCAHyperparameters({ feature_dim: "10", num_components: "11" }),
      "INVALID_HYPERPARAMETER",
      /expected an integer from 1 to 10/,
    );
    assert.equal(parsePCAHyperparameters({ num_components: "34" }, { featureDim: 34 }).numComponents, 34);
  });

  test("feature_dim: positive integer equal to the data width", () => {
    rejects(
      () => parsePCAHyperparameters({ feature_dim: "20", num_components: "3" }, { featureDim: 34 }),
      "INVALID_HYPERPARAMETER",
      "feature_dim=20 is invalid: expected 34 (the number of features in the data).",
    );
    rejects(
      () => parsePCAHyperparameters({ feature_dim: "-1", num_components: "3" }),
      "INVALID_HYPERPARAMETER",
      /feature_dim=-1/,
    );
  });

  test("mini_batch_size, extra_components, subtract_mean, algorithm_mode", () => {
    rejects(
      () => parsePCAHyperparameters({ num_components: "3", mini_batch_size: "0" }),
      "INVALID_HYPERPARAMETER",
      /mini_batch_size=0 is invalid: expected an integer of at least 1\./,
    );
    rejects(
      () => parsePCAHyperparameters({ num_components: "3", extra_components: "-2" }),
      "INVALID_HYPERPARAMETER",
      /extra_components=-2 is invalid: expected an integer of at least -1\./,
    );
    assert.equal(
      parsePCAHyperparameters({ num_components: "3", extra_components: "12" }).extraComponents,
      12,
    );
    for (const [raw, value] of [
      ["True", true],
      ["False", false],
      ["true", true],
      ["FALSE", false],
    ] as const) {
      assert.equal(parsePCAHyperparameters({ num_components: "3", subtract_mean: raw }).subtractMean, value);
    }
    rejects(
      () => parsePCAHyperparameters({ num_components: "3", subtract_mean: "yes" }),
      "INVALID_HYPERPARAMETER",
      'subtract_mean="yes" is invalid: expected true or false.',
    );
    rejects(
      () => parsePCAHyperparameters({ num_components: "3", algorithm_mode: "fast" }),
      "INVALID_HYPERPARAMETER",
      'Unknown algorithm_mode "fast": expected one of "regular", "randomized".',
    );
  });

  test("issue 15: algorithm_mode=randomized is accepted, with its settings", () => {
    const p = parsePCAHyperparameters({
      num_components: "5",
      algorithm_mode: "randomized",
      extra_components: "20",
      power_iterations: "3",
      seed: "42",
    });
    assert.deepEqual(
      [p.algorithmMode, p.extraComponents, p.powerIterations, p.seed],
      ["randomized", 20, 3, 42],
    );
    const typed = new PCA({ numComponents: 3, algorithmMode: "randomized", powerIterations: 2 }).params;
    assert.deepEqual([typed.algorithmMode, typed.powerIterations, typed.seed], ["randomized", 2, 0]);
  });

  test("issue 15: extra_components is -1 (SageMaker's max(10, num_components)) or at least 0", () => {
    const size = (map: Record<string, string>) => sketchSize(parsePCAHyperparameters(map));
    assert.equal(size({ num_components: "5" }), 15, "-1 by default: 5 + max(10, 5)");
    assert.equal(size({ num_components: "5", extra_components: "-1" }), 15);
    assert.equal(size({ num_components: "12", extra_components: "-1" }), 24, "12 + max(10, 12)");
    assert.equal(size({ num_components: "5", extra_components: "0" }), 5);
    assert.equal(size({ num_components: "5", extra_components: "7" }), 12);
    for (const bad of ["-2", "1.5", "ten"])
      rejects(
        () => parsePCAHyperparameters({ num_components: "5", extra_components: bad }),
        "INVALID_HYPERPARAMETER",
        /^extra_components=.* is invalid: expected an integer of at least -1\.$/,
      );
  });

  test("issue 15: power_iterations is an integer from 0 to 20 (Strata extension), seed a non-negative integer", () => {
    for (const ok of ["0", "1", "20"])
      assert.equal(
        parsePCAHyperparameters({ num_components: "3", power_iterations: ok }).powerIterations,
        Number(ok),
      );
    rejects(
      () => parsePCAHyperparameters({ num_components: "3", power_iterations: "21" }),
      "INVALID_HYPERPARAMETER",
      `power_iterations=21 is invalid: expected an integer from 0 to ${MAX_POWER_ITERATIONS} (Strata's limit: each is a pass over the data).`,
    );
    rejects(
      () => parsePCAHyperparameters({ num_components: "3", power_iterations: "-1" }),
      "INVALID_HYPERPARAMETER",
      /^power_iterations=-1 is invalid: expected an integer from 0 to 20/,
    );
    rejects(
      () => parsePCAHyperparameters({ num_components: "3", power_iterations: "two" }),
      "INVALID_HYPERPARAMETER",
      /^power_iterations="two" is invalid/,
    );
    rejects(
      () => new PCA({ numComponents: 3, powerIterations: 0.5 }),
      "INVALID_HYPERPARAMETER",
      /^powerIterations=0.5 is invalid: expected an integer from 0 to 20/,
    );
    assert.equal(
      parsePCAHyperparameters({ num_components: "3", seed: "9007199254740991" }).seed,
      2 ** 53 - 1,
    );
    rejects(
      () => parsePCAHyperparameters({ num_components: "3", seed: "-1" }),
      "INVALID_HYPERPARAMETER",
      "seed=-1 is invalid: expected an integer of at least 0.",
    );
  });

  test("internal keys are ignored (and logged); other unknown keys are refused with the allowed names", () => {
    const logger = new MemoryLogger();
    const internal = {
      _num_gpus: "auto",
      _log_level: "info",
      force_dense: "true",
      epochs: "1",
      _kvstore: "dist_sync",
      _num_kv_servers: "auto",
      _tuning_objective_metric: "x",
    };
    assert.equal(parsePCAHyperparameters({ num_components: "3", ...internal }, { logger }).numComponents, 3);
    assert.equal(logger.events.length, Object.keys(internal).length);
    assert.ok(logger.events.every((e) => e.level === "debug" && e.message.startsWith("Ignoring")));
    rejects(
      () => parsePCAHyperparameters({ num_components: "3", num_component: "3" }),
      "UNKNOWN_HYPERPARAMETER",
      'Unknown PCA hyperparameter "num_component": expected one of feature_dim, num_components, mini_batch_size, algorithm_mode, subtract_mean, extra_components, power_iterations, seed.',
    );
  });
});

describe("typed options", () => {
  test("same rules and messages as the wire map", () => {
    assert.deepEqual(validatePCAOptions({ numComponents: 33, subtractMean: false }), {
      featureDim: undefined,
      numComponents: 33,
      miniBatchSize: undefined,
      algorithmMode: "regular",
      subtractMean: false,
      extraComponents: -1,
      powerIterations: 0,
      seed: 0,
    });
    rejects(
      () => validatePCAOptions({ numComponents: 40 }, 34),
      "INVALID_HYPERPARAMETER",
      // Code names its camelCase option, as every algorithm's options do (the rule and the range are the same).
      "numComponents=40 is invalid: expected an integer from 1 to 34 (the number of features).",
    );
    rejects(() => new PCA({ numComponents: 1.5 }), "INVALID_HYPERPARAMETER", /numComponents=1.5/);
    rejects(
      () => new PCA({ numComponents: 2, subtractMean: "True" as never }),
      "INVALID_HYPERPARAMETER",
      /subtractMean=True is invalid: expected true or false/,
    );
    rejects(
      () => new PCA({ numComponents: 2, k: 3 } as never),
      "UNKNOWN_HYPERPARAMETER",
      /Unknown PCA option "k"/,
    );
    const parsed = parsePCAHyperparameters({ num_components: "2" });
    assert.deepEqual(new PCA(parsed).params, parsed);
    assert.ok(Object.isFrozen(new PCA(parsed).params));
  });
});

describe("issue 12: widths against what memory allows", () => {
  test("feature_dim past the limit is refused at Create, and data that wide before its scatter is allocated", () => {
    assert.throws(
      () => parsePCAHyperparameters({ num_components: "2", feature_dim: "100000" }),
      (e: unknown) =>
        isStrataError(e, "INVALID_HYPERPARAMETER") &&
        e.message ===
          `feature_dim=100000 is invalid: expected an integer from 1 to ${MAX_PCA_FEATURES} (Strata's limit).`,
    );
    assert.throws(
      () => parsePCAHyperparameters({ num_components: "2" }, { featureDim: MAX_PCA_FEATURES + 1 }),
      (e: unknown) => isStrataError(e, "INPUT_TOO_LARGE") && /features × features scatter/.test(e.message),
    );
  });
});

test("feature_dim bounds num_components by its own row's rule, written as the row accepts it (+5)", () => {
  assert.throws(
    () => parsePCAHyperparameters({ feature_dim: "+5", num_components: "9" }),
    /num_components=9 is invalid: expected an integer from 1 to 5 \(the number of features\)\./,
  );
});

test("PCA.fit refuses data wider than regular PCA's limit before allocating its scatter", () => {
  assert.throws(
    () => new PCA({ numComponents: 1 }).fit(matrix(2, MAX_PCA_FEATURES + 1)),
    (e: unknown) => isStrataError(e, "INPUT_TOO_LARGE") && /16385 features/.test(e.message),
  );
});
