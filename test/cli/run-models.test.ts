/**
 * Issue 14, bug 1: a run never changes a model another run registered. The census run registers census-*,
 * a run on another table registers models named after its file, a second census run takes census-2-*, and an
 * endpoint deployed from the first run answers the same before and after the others (strata invoke loads the
 * endpoint's models from the registry afresh each time, as a restarted server does). Replacing is explicit.
 * @module
 */
import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { censusCsvPath } from "../helpers/census.js";
import { cliThatSucceeds, runCli, tempDir } from "../helpers/cli.js";

test("runs on other tables and repeated runs leave a deployed endpoint's models alone", async () => {
  const dir = tempDir("strata-run-models-");
  const env = { STRATA_HOME: join(dir, "home") };
  const cli = cliThatSucceeds(env);
  const run = async (data: string, out: string, ...extra: string[]) => {
    await cli("run", "--data", data, "--out", join(dir, out), "--no-report", "--quiet", ...extra);
    return JSON.parse(readFileSync(join(dir, out, "summary.json"), "utf8"));
  };
  const census = await run(censusCsvPath(), "census");
  assert.deepEqual(census.registeredModels, {
    name: "census",
    pca: "census-pca",
    kmeans: "census-kmeans",
    pipeline: "census-pipeline",
  });
  await cli("deploy", "census-pipeline", "--name", "census");
  // Two census rows, raw, as the endpoint takes them (the 34 features, no ids).
  const lines = readFileSync(censusCsvPath(), "utf8").split("\n");
  const header = lines[0]!.split(",");
  const drop = new Set(["CensusId", "State", "County"]);
  const rows = lines.slice(1, 3).map((l) =>
    l
      .split(",")
      .filter((_, j) => !drop.has(header[j]!))
      .join(","),
  );
  const body = join(dir, "rows.csv");
  writeFileSync(body, `${rows.join("\n")}\n`);
  const before = await cli("invoke", "census", "--body", body);
  assert.match(before, /closest_cluster/);

  // A table of 4 features, not the census: its models are named after the file.
  const penguins = join(dir, "Penguins Data.csv");
  const rowsOf = Array.from(
    { length: 60 },
    (_, i) => `P${i},${30 + (i % 7)},${15 + (i % 5)},${180 + (i % 11)},${3500 + 37 * (i % 13)}`,
  );
  writeFileSync(penguins, `Id,Bill,Depth,Flipper,Mass\n${rowsOf.join("\n")}\n`);
  const other = await run(
    penguins,
    "penguins",
    "--index",
    "Id",
    "--id",
    "",
    "--components",
    "2",
    "--clusters",
    "3",
  );
  assert.equal(other.registeredModels.pipeline, "penguins-data-pipeline");
  assert.equal(await cli("invoke", "census", "--body", body), before);

  const again = await run(censusCsvPath(), "census-again");
  assert.equal(again.registeredModels.pipeline, "census-2-pipeline");
  assert.equal(await cli("invoke", "census", "--body", body), before);

  const replaced = await run(censusCsvPath(), "census-replaced", "--name", "census", "--replace-models");
  assert.equal(replaced.registeredModels.pipeline, "census-pipeline", "replacing is an explicit choice");
  const list = await cli("models", "list");
  for (const model of ["census-pipeline", "census-2-pipeline", "penguins-data-pipeline"])
    assert.match(list, new RegExp(`^${model} `, "m"));
});

test("a bad --name is refused before anything is written", async () => {
  const dir = tempDir("strata-run-name-");
  const r = await runCli(
    ["run", "--data", censusCsvPath(), "--out", join(dir, "out"), "--name", "no_underscores"],
    {
      env: { STRATA_HOME: join(dir, "home") },
    },
  );
  assert.equal(r.code, 2, r.stderr);
  assert.match(r.stderr, /--name="no_underscores" is invalid/);
});
