/**
 * Issue 13: Strata as a library. `import { … } from "strata"` resolves through the package's exports map to
 * the built module (dist/, built by `npm install`), and the README's example, read from README.md, runs as
 * written in a node process that imports the package, giving the partition the data has.
 * @module
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import * as strata from "../../src/index.js";
import { PROJECT_ROOT } from "../helpers/census.js";

test('"strata" resolves to dist/index.js through the exports map, with its type declarations', () => {
  const resolved = fileURLToPath(import.meta.resolve("strata"));
  assert.equal(resolved, `${PROJECT_ROOT}/dist/index.js`);
  assert.ok(existsSync(resolved), "npm install builds dist/");
  assert.ok(existsSync(`${PROJECT_ROOT}/dist/index.d.ts`));
});

test("the README's example, as written there, run by node against the installed package", () => {
  const readme = readFileSync(`${PROJECT_ROOT}/README.md`, "utf8");
  const section = readme.slice(readme.indexOf("## As a library"));
  const code = /```ts\n([\s\S]*?)```/.exec(section)?.[1];
  assert.ok(code !== undefined, "README.md has a ts example under '## As a library'");
  // The example ends with an expression and a comment saying what it gives: print it.
  const lines = code.trimEnd().split("\n");
  const last = lines
    .pop()!
    .replace(/\s*\/\/.*$/, "")
    .replace(/;$/, "");
  const script = `${lines.join("\n")}\nconsole.log(JSON.stringify(Array.from(${last})));`;
  const run = spawnSync(process.execPath, ["--input-type=module", "-e", script], {
    cwd: PROJECT_ROOT,
    encoding: "utf8",
  });
  assert.equal(run.status, 0, run.stderr);
  const labels = JSON.parse(run.stdout) as number[];
  assert.equal(labels.length, 4);
  assert.ok(labels[0] === labels[1] && labels[2] === labels[3] && labels[0] !== labels[2], `${labels}`);
});

test("the estimators, models, codecs, server and workflow are exported", () => {
  for (const name of [
    "PCA",
    "PCAModel",
    "KMeans",
    "KMeansModel",
    "MinMaxScaler",
    "MinMaxScalerModel",
    "StandardScaler",
    "StandardScalerModel",
    "encodePCAArtifactFile",
    "decodeKMeansArtifactFile",
    "encodeDenseRows",
    "decodeRecordIO",
    "packTarGz",
    "readModelAlgoFile",
    "loadTable",
    "startServer",
    "executeRun",
    "StrataError",
  ])
    assert.equal(typeof (strata as Record<string, unknown>)[name], "function", name);
});
