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
import { PROJECT_ROOT } from "../helpers/census.js";
import { runCli, tempDir } from "../helpers/cli.js";

test("--scale standard: z-scores before the PCA, and a deployed pipeline that agrees with the run", async () => {
  const dir = tempDir("strata-standard-");
  const env = { STRATA_HOME: join(dir, "home") };
  const cli = async (...args: string[]) => {
    const r = await runCli(args, { env });
    assert.equal(r.code, 0, `strata ${args.join(" ")}: ${r.stderr}`);
    return r.stdout;
  };
  const out = join(dir, "out");
  const data = join(PROJECT_ROOT, "node_modules/vega-datasets/data/penguins.json");
  await cli("run", "--data", data, "--out", out, "--quiet", "--clusters", "3", "--scale", "standard");
  const summary = JSON.parse(readFileSync(join(out, "summary.json"), "utf8"));
  assert.equal(summary.scaler.kind, "standard");
  assert.equal(summary.scaler.mean.length, 4);
  const html = readFileSync(join(out, "report.html"), "utf8");
  assert.match(html, /standardised to mean 0 and standard deviation 1/);
  const models = JSON.parse(await cli("models", "describe", summary.registeredModels.pipeline));
  assert.equal(models.Containers[0].Image, "strata/standard-scaler:1");

  await cli("deploy", summary.registeredModels.pipeline, "--name", "penguins");
  // The first 3 penguins with measurements, raw, as the endpoint takes them.
  const penguins = JSON.parse(readFileSync(data, "utf8")) as Record<string, number | string | null>[];
  const features = ["Beak Length (mm)", "Beak Depth (mm)", "Flipper Length (mm)", "Body Mass (g)"];
  const rows = penguins.filter((p) => features.every((f) => p[f] !== null)).slice(0, 3);
  const body = join(dir, "rows.csv");
  writeFileSync(body, `${rows.map((p) => features.map((f) => p[f]).join(",")).join("\n")}\n`);
  const answer = JSON.parse(await cli("invoke", "penguins", "--body", body));
  const assigned = readFileSync(join(out, "assignments.csv"), "utf8").trimEnd().split("\n").slice(1, 4);
  const header = readFileSync(join(out, "assignments.csv"), "utf8").split("\n")[0]!.split(",");
  const at = header.indexOf("closest_cluster");
  assert.deepEqual(
    answer.predictions.map((p: { closest_cluster: number }) => p.closest_cluster),
    assigned.map((line) => Number(line.split(",")[at])),
  );
});

test("--scale takes minmax or standard", async () => {
  const r = await runCli(["run", "--data", "x.csv", "--scale", "robust"]);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /--scale="robust" is invalid: expected minmax or standard/);
});
