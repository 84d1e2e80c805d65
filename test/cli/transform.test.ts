/**
 * Issue 14, item 4 (transforms): `--transform asinh` (every feature) or `feature:log1p,…` transforms skewed
 * features before scaling, says so, maps results back through the inverse, and registers a pipeline whose
 * first container is the transform (`strata/feature-transform:1`), so a deployed endpoint takes raw rows to
 * the same segments as the run. A value log1p cannot take is refused naming it.
 * @module
 */
import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { isStrataError } from "../../src/errors.js";
import { fromRows } from "../../src/linalg/matrix.js";
import { applyTransforms } from "../../src/preprocess/feature-transform.js";
import { cliThatSucceeds, runCli, tempDir } from "../helpers/cli.js";
import { assignedClusters, PENGUINS, penguinRowsCsv } from "../helpers/penguins.js";

test("applyTransforms: log1p and asinh per column, inputs untouched, log1p of −1 refused naming the row and feature", () => {
  const x = fromRows([
    [0, 1, 5],
    [9, -3, 7],
  ]);
  const t = applyTransforms(x, ["log1p", "asinh", null], ["a", "b", "c"]);
  assert.deepEqual(Array.from(t.data), [Math.log1p(0), Math.asinh(1), 5, Math.log1p(9), Math.asinh(-3), 7]);
  assert.deepEqual(Array.from(x.data), [0, 1, 5, 9, -3, 7]);
  assert.throws(
    () => applyTransforms(x, [null, "log1p", null], ["a", "b", "c"]),
    (e: unknown) =>
      isStrataError(e, "NON_NUMERIC_VALUE") &&
      /Row 2 of the features: "b" is -3, and log1p needs values above −1/.test(e.message),
  );
});

test("--transform: the run, its report and a deployed pipeline that agrees with it", async () => {
  const dir = tempDir("strata-transform-");
  const env = { STRATA_HOME: join(dir, "home") };
  const cli = cliThatSucceeds(env);
  const data = PENGUINS;
  const out = join(dir, "out");
  await cli(
    "run",
    "--data",
    data,
    "--out",
    out,
    "--quiet",
    "--clusters",
    "3",
    "--transform",
    "Body Mass (g):log1p,Flipper Length (mm):asinh",
  );
  const summary = JSON.parse(readFileSync(join(out, "summary.json"), "utf8"));
  assert.deepEqual(summary.transforms, [null, null, "asinh", "log1p"]);
  const html = readFileSync(join(out, "report.html"), "utf8");
  assert.match(
    html,
    /Before scaling, Flipper Length \(mm\) \(asinh\), Body Mass \(g\) \(log1p\) are transformed/,
  );
  const pipeline = JSON.parse(await cli("models", "describe", summary.registeredModels.pipeline));
  assert.equal(pipeline.Containers[0].Image, "strata/feature-transform:1");
  await cli("deploy", summary.registeredModels.pipeline, "--name", "penguins");
  const body = join(dir, "rows.csv");
  writeFileSync(body, penguinRowsCsv(5));
  const answer = JSON.parse(await cli("invoke", "penguins", "--body", body));
  assert.deepEqual(
    answer.predictions.map((p: { closest_cluster: number }) => p.closest_cluster),
    assignedClusters(out, 5),
  );
  // The endpoint refuses a value its log1p cannot take.
  writeFileSync(body, "40,18,190,-5\n");
  const refused = await runCli(["invoke", "penguins", "--body", body], { env });
  assert.notEqual(refused.code, 0);
  assert.match(refused.stderr, /Row 1, feature 4: the model's log1p transform needs a value above −1/);
});

test("--transform names a transform and features of the run", async () => {
  const data = PENGUINS;
  const bad = await runCli(["run", "--data", data, "--out", join(tempDir(), "o"), "--transform", "sqrt"]);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /--transform="sqrt" is invalid: expected log1p or asinh for every feature/);
  const missing = await runCli([
    "run",
    "--data",
    data,
    "--out",
    join(tempDir(), "o"),
    "--transform",
    "Weight:log1p",
  ]);
  assert.equal(missing.code, 1);
  assert.match(missing.stderr, /--transform names "Weight", which is not a feature of this run/);
});
