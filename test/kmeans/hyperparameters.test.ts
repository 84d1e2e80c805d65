import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { type ErrorCode, StrataError } from "../../src/errors.js";
import { AUTO_TRIALS } from "../../src/kmeans/hyperparameter-table.js";
import { parseKMeansHyperparameters, resolveKMeansParams } from "../../src/kmeans/hyperparameters.js";
import { KMeans } from "../../src/kmeans/kmeans.js";
import { autoRestarts, fixedRestarts } from "../../src/kmeans/restart-count.js";
import { fromRows } from "../../src/linalg/matrix.js";

const ctx = { featureDim: 5, numRows: 3218 };
const base = { k: "7", feature_dim: "5" };

function rejects(fn: () => unknown, code: ErrorCode, message: string | RegExp): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof StrataError, `expected a StrataError, got ${String(e)}`);
    assert.equal(e.code, code);
    if (typeof message === "string") assert.equal(e.message, message);
    else assert.match(e.message, message);
    return true;
  });
}

const parse = (extra: Record<string, string>, context: { featureDim: number; numRows?: number } = ctx) =>
  parseKMeansHyperparameters({ ...base, ...extra }, context);

describe("parseKMeansHyperparameters", () => {
  test("the map the SDK sent in the census notebook gets Strata's defaults, frozen", () => {
    const p = parseKMeansHyperparameters({ feature_dim: "5", k: "7", force_dense: "True" }, ctx);
    assert.deepEqual(
      { ...p },
      {
        k: 7,
        featureDim: 5,
        initMethod: "kmeans++",
        maxIterations: 300,
        tol: 0.0001,
        numTrials: AUTO_TRIALS,
        seed: 0,
        sampleWeights: "none",
        trainingMode: "auto",
        evalMetrics: ["msd"],
        miniBatchSize: 5000,
        epochs: 1,
        extraCenterFactor: 10,
        halfLifeTimeSize: 0,
        localLloydInitMethod: "kmeans++",
      },
    );
    assert.ok(Object.isFrozen(p));
    assert.ok(Object.isFrozen(p.evalMetrics));
  });

  test("the container's default-input.json (with internal keys) parses", () => {
    const p = parse({
      local_lloyd_num_trials: "auto",
      local_lloyd_init_method: "kmeans++",
      force_dense: "true",
      epochs: "1",
      init_method: "random",
      local_lloyd_tol: "0.0001",
      local_lloyd_max_iter: "300",
      extra_center_factor: "auto",
      eval_metrics: '["msd"]',
      mini_batch_size: "5000",
      half_life_time_size: "0",
      _enable_profiler: "false",
      _tuning_objective_metric: "",
      _num_gpus: "auto",
      _log_level: "info",
      _kvstore: "auto",
      _disable_wait_to_read: "false",
      _num_kv_servers: "1",
      _num_slices: "1",
    });
    assert.equal(p.initMethod, "random");
    assert.equal(p.numTrials, AUTO_TRIALS);
  });

  test("k: required, integer, from 2 to the number of rows", () => {
    rejects(
      () => parseKMeansHyperparameters({ feature_dim: "5" }, ctx),
      "MISSING_HYPERPARAMETER",
      /needs the hyperparameter k/,
    );
    rejects(
      () => parse({ k: "9000" }),
      "INVALID_HYPERPARAMETER",
      "k=9000 is invalid: expected an integer from 2 to 3218 (the number of rows).",
    );
    rejects(
      () => parse({ k: "1" }),
      "INVALID_HYPERPARAMETER",
      "k=1 is invalid: expected an integer from 2 to 3218 (the number of rows).",
    );
    rejects(
      () => parse({ k: "seven" }, { featureDim: 5 }),
      "INVALID_HYPERPARAMETER",
      'k="seven" is invalid: expected an integer of at least 2.',
    );
    rejects(() => parse({ k: "2.5" }), "INVALID_HYPERPARAMETER", /^k=2\.5 is invalid/);
    assert.equal(parse({ k: " 3218 " }).k, 3218);
  });

  test("feature_dim: required and equal to the data's width", () => {
    rejects(() => parseKMeansHyperparameters({ k: "7" }, ctx), "MISSING_HYPERPARAMETER", /feature_dim/);
    rejects(
      () => parse({ feature_dim: "4" }),
      "INVALID_HYPERPARAMETER",
      "feature_dim=4 is invalid: expected 5 (the number of features in the data).",
    );
  });

  test("init_method and local_lloyd_init_method: random or kmeans++", () => {
    rejects(
      () => parse({ init_method: "kmeans+" }),
      "INVALID_HYPERPARAMETER",
      'Unknown init_method "kmeans+": expected one of "random", "kmeans++".',
    );
    rejects(
      () => parse({ local_lloyd_init_method: "kmeans||" }),
      "INVALID_HYPERPARAMETER",
      /^Unknown local_lloyd_init_method "kmeans\|\|"/,
    );
    assert.equal(parse({ init_method: "random" }).initMethod, "random");
  });

  test("local_lloyd_max_iter (alias max_iterations): positive integer", () => {
    assert.equal(parse({ max_iterations: "20" }).maxIterations, 20);
    assert.equal(parse({ local_lloyd_max_iter: "20" }).maxIterations, 20);
    rejects(
      () => parse({ local_lloyd_max_iter: "0" }),
      "INVALID_HYPERPARAMETER",
      "local_lloyd_max_iter=0 is invalid: expected an integer from 1 to 1000000 (Strata's limit).",
    );
    rejects(
      () => parse({ max_iterations: "3", local_lloyd_max_iter: "4" }),
      "INVALID_HYPERPARAMETER",
      "max_iterations and local_lloyd_max_iter both set local_lloyd_max_iter: give only one.",
    );
  });

  test("local_lloyd_tol (alias tol): a number from 0 to 1", () => {
    assert.equal(parse({ tol: "1e-3" }).tol, 0.001);
    assert.equal(parse({ local_lloyd_tol: "0" }).tol, 0);
    rejects(
      () => parse({ local_lloyd_tol: "1.5" }),
      "INVALID_HYPERPARAMETER",
      "local_lloyd_tol=1.5 is invalid: expected a number from 0 to 1.",
    );
    rejects(
      () => parse({ tol: "small" }),
      "INVALID_HYPERPARAMETER",
      'tol="small" is invalid: expected a number from 0 to 1.',
    );
    rejects(() => parse({ tol: "" }), "INVALID_HYPERPARAMETER", /^tol="" is invalid/);
  });

  test('local_lloyd_num_trials (aliases num_trials, restarts): positive integer or "auto" (adaptive)', () => {
    const auto = parse({ local_lloyd_num_trials: "auto" });
    assert.equal(auto.numTrials, AUTO_TRIALS);
    assert.equal(autoRestarts(auto), true);
    assert.equal(fixedRestarts(auto), 10);
    assert.equal(autoRestarts(parse({ num_trials: "10" })), false);
    assert.equal(parse({ num_trials: "3" }).numTrials, 3);
    assert.equal(parse({ restarts: "4" }).numTrials, 4);
    rejects(
      () => parse({ local_lloyd_num_trials: "0" }),
      "INVALID_HYPERPARAMETER",
      'local_lloyd_num_trials=0 is invalid: expected an integer from 1 to 1000 (Strata\'s limit) or "auto".',
    );
    // Issue 12: a billion restarts would never end.
    rejects(
      () => parse({ local_lloyd_num_trials: "1000000000" }),
      "INVALID_HYPERPARAMETER",
      'local_lloyd_num_trials=1000000000 is invalid: expected an integer from 1 to 1000 (Strata\'s limit) or "auto".',
    );
  });

  test("seed, and SageMaker's streaming settings validated with SageMaker's ranges", () => {
    assert.equal(parse({ seed: "42" }).seed, 42);
    rejects(
      () => parse({ seed: "-1" }),
      "INVALID_HYPERPARAMETER",
      "seed=-1 is invalid: expected an integer of at least 0.",
    );
    rejects(
      () => parse({ mini_batch_size: "0" }),
      "INVALID_HYPERPARAMETER",
      /^mini_batch_size=0 is invalid: expected an integer of at least 1\.$/,
    );
    rejects(() => parse({ epochs: "0" }), "INVALID_HYPERPARAMETER", /^epochs=0 is invalid/);
    // Web-scale training passes over the data once per epoch: a billion would never end.
    rejects(
      () => parse({ epochs: "1001" }),
      "INVALID_HYPERPARAMETER",
      "epochs=1001 is invalid: expected an integer from 1 to 1000 (Strata's limit).",
    );
    rejects(
      () => parse({ extra_center_factor: "0" }),
      "INVALID_HYPERPARAMETER",
      /^extra_center_factor=0 is invalid: .* or "auto"\.$/,
    );
    assert.equal(parse({ extra_center_factor: "4" }).extraCenterFactor, 4);
    assert.equal(parse({ half_life_time_size: "0" }).halfLifeTimeSize, 0);
    rejects(
      () => parse({ half_life_time_size: "-5" }),
      "INVALID_HYPERPARAMETER",
      /^half_life_time_size=-5 is invalid/,
    );
  });

  test("training_mode (Strata extension): auto, full-batch or web-scale", () => {
    assert.equal(parse({}).trainingMode, "auto");
    assert.equal(parse({ training_mode: "web-scale" }).trainingMode, "web-scale");
    assert.equal(parse({ training_mode: "full-batch" }).trainingMode, "full-batch");
    rejects(
      () => parse({ training_mode: "webscale" }),
      "INVALID_HYPERPARAMETER",
      'Unknown training_mode "webscale": expected one of "auto", "full-batch", "web-scale".',
    );
    rejects(
      () => new KMeans({ k: 7, trainingMode: "streaming" as never }),
      "INVALID_HYPERPARAMETER",
      'Unknown trainingMode "streaming": expected one of "auto", "full-batch", "web-scale".',
    );
  });

  test("eval_metrics: a JSON list from msd, ssd", () => {
    assert.deepEqual(parse({ eval_metrics: '["msd", "ssd"]' }).evalMetrics, ["msd", "ssd"]);
    const expected = `expected a non-empty JSON list of "msd", "ssd" (e.g. '["msd", "ssd"]').`;
    rejects(
      () => parse({ eval_metrics: '["mse"]' }),
      "INVALID_HYPERPARAMETER",
      `eval_metrics='["mse"]' is invalid: ${expected}`,
    );
    rejects(
      () => parse({ eval_metrics: "msd" }),
      "INVALID_HYPERPARAMETER",
      `eval_metrics='msd' is invalid: ${expected}`,
    );
    rejects(() => parse({ eval_metrics: "[]" }), "INVALID_HYPERPARAMETER", /^eval_metrics='\[\]' is invalid/);
  });

  test("unknown names are rejected with the allowed list; _-prefixed keys and force_dense are ignored", () => {
    assert.equal(parse({ _num_gpus: "auto", force_dense: "True" }).k, 7);
    rejects(
      () => parse({ num_clusters: "7" }),
      "UNKNOWN_HYPERPARAMETER",
      /^Unknown K-Means hyperparameter "num_clusters": expected one of k, feature_dim, init_method, .*local_lloyd_init_method\.$/,
    );
  });
});

describe("KMeans options from code", () => {
  test("defaults, restarts alias, frozen params", () => {
    const km = new KMeans({ k: 7, restarts: 3 });
    assert.equal(km.params.numTrials, 3);
    assert.equal(km.params.initMethod, "kmeans++");
    assert.equal(km.params.featureDim, undefined);
    assert.ok(Object.isFrozen(km.params));
    assert.deepEqual(resolveKMeansParams(km.params), km.params);
  });

  test("messages name the camelCase option", () => {
    rejects(
      () => new KMeans({ k: 1 }),
      "INVALID_HYPERPARAMETER",
      "k=1 is invalid: expected an integer of at least 2.",
    );
    rejects(
      () => new KMeans({ k: 7, initMethod: "kmeans+" as never }),
      "INVALID_HYPERPARAMETER",
      'Unknown initMethod "kmeans+": expected one of "random", "kmeans++".',
    );
    rejects(
      () => new KMeans({ k: 7, tol: 2 }),
      "INVALID_HYPERPARAMETER",
      "tol=2 is invalid: expected a number from 0 to 1.",
    );
    rejects(
      () => new KMeans({ k: 7, numTrials: 2, restarts: 3 }),
      "INVALID_HYPERPARAMETER",
      /numTrials and restarts both set/,
    );
    rejects(
      () => new KMeans({ k: 7, clusters: 3 } as never),
      "UNKNOWN_HYPERPARAMETER",
      /^Unknown K-Means option "clusters"/,
    );
    rejects(() => new KMeans({} as never), "MISSING_HYPERPARAMETER", /needs the option k/);
  });

  test("k above the number of rows is rejected at fit, naming the rows", () => {
    const x = fromRows([[0], [1], [2]]);
    rejects(
      () => new KMeans({ k: 4 }).fit(x),
      "INVALID_HYPERPARAMETER",
      "k=4 is invalid: expected an integer from 2 to 3 (the number of rows).",
    );
  });

  test("featureDim must match the data's width (WIDTH_MISMATCH)", () => {
    const x = fromRows([
      [0, 1],
      [1, 2],
      [2, 3],
    ]);
    assert.throws(
      () => new KMeans({ k: 2, featureDim: 3 }).fit(x),
      (e: unknown) =>
        e instanceof StrataError &&
        e.code === "WIDTH_MISMATCH" &&
        e.details["expected"] === 3 &&
        e.details["received"] === 2,
    );
  });
});
