/**
 * Issue 14, item 4 (scaling): `strata run --scale standard` standardises the features (scikit-learn's
 * StandardScaler) instead of min-max scaling them, says so, and registers a pipeline whose first container is
 * the standard scaler (`strata/standard-scaler:1`), so a deployed endpoint takes raw rows to the same
 * segments as the run.
 * @module
 */
import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { cliThatSucceeds, runCli, tempDir } from "../helpers/cli.js";
import { assignedClusters, PENGUINS, penguinRowsCsv } from "../helpers/penguins.js";

test("--scale standard: z-scores before the PCA, and a deployed pipeline that agrees with the run", async () => {
  const dir = tempDir("strata-standard-");
  const env = { STRATA_HOME: join(dir, "home") };
  const cli = cliThatSucceeds(env);
  const out = join(dir, "out");
  const data = PENGUINS;
  await cli("run", "--data", data, "--out", out, "--quiet", "--clusters", "3", "--scale", "standard");
  const summary = JSON.parse(readFileSync(join(out, "summary.json"), "utf8"));
  assert.equal(summary.scaler.kind, "standard");
  assert.equal(summary.scaler.mean.length, 4);
  const html = readFileSync(join(out, "report.html"), "utf8");
  assert.match(html, /standardised to mean 0 and standard deviation 1/);
  const models = JSON.parse(await cli("models", "describe", summary.registeredModels.pipeline));
  assert.equal(models.Containers[0].Image, "strata/standard-scaler:1");

  await cli("deploy", summary.registeredModels.pipeline, "--name", "penguins");
  const body = join(dir, "rows.csv");
  writeFileSync(body, penguinRowsCsv(3));
  const answer = JSON.parse(await cli("invoke", "penguins", "--body", body));
  assert.deepEqual(
    answer.predictions.map((p: { closest_cluster: number }) => p.closest_cluster),
    assignedClusters(out, 3),
  );
});

test("--scale takes minmax or standard", async () => {
  const r = await runCli(["run", "--data", "x.csv", "--scale", "robust"]);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /--scale="robust" is invalid: expected minmax or standard/);
});
