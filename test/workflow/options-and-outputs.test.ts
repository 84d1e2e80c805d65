/**
 * The workflow's own pieces, directly: where the table comes from by default, the options' checks against
 * the data, and the staging directory a run writes into and publishes from (issue 12: a failed run leaves
 * --out as it was; a successful one replaces only its own entries, summary.json last).
 * @module
 */
import assert from "node:assert/strict";
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { describe, test } from "node:test";
import { isStrataError } from "../../src/errors.js";
import {
  checkDataOptions,
  checkStaticOptions,
  DEFAULT_OPTIONS,
  defaultSource,
} from "../../src/workflow/options.js";
import { discardStaging, publishOutDir, stageOutDir } from "../../src/workflow/outputs.js";
import { tempDir } from "../helpers/cli.js";

describe("options", () => {
  test("the default source: STRATA_DATA, else STRATA_CENSUS_CSV, else the notebook's public object", () => {
    assert.equal(defaultSource({ STRATA_DATA: "a.csv", STRATA_CENSUS_CSV: "b.csv" }), "a.csv");
    assert.equal(defaultSource({ STRATA_CENSUS_CSV: "b.csv" }), "b.csv");
    assert.equal(
      defaultSource({}),
      "s3://aws-ml-blog-sagemaker-census-segmentation/Census_Data_for_SageMaker.csv",
    );
  });

  const options = { ...DEFAULT_OPTIONS, source: "x.csv" };

  test("checks against the data name the option and the range; PCA computes features - 1 by default", () => {
    assert.deepEqual(checkDataOptions(options, { rows: 3218, features: 34 }), {
      components: 5,
      pcaComponents: 33,
    });
    assert.equal(
      checkDataOptions({ ...options, pcaComponents: 20 }, { rows: 3218, features: 34 }).pcaComponents,
      20,
    );
    // The notebook's 5 components, at most the number of features: a 4-feature table keeps all 4.
    assert.deepEqual(checkDataOptions(options, { rows: 344, features: 4 }), {
      components: 4,
      pcaComponents: 4,
    });
    assert.throws(
      () => checkDataOptions({ ...options, components: 40 }, { rows: 3218, features: 34 }),
      (e: unknown) =>
        isStrataError(e, "INVALID_ARGUMENT") &&
        /--components=40 is invalid: expected an integer from 1 to 34 \(the number of features\)\./.test(
          e.message,
        ),
    );
    assert.throws(
      () => checkDataOptions(options, { rows: 5, features: 34 }),
      (e: unknown) =>
        isStrataError(e, "INVALID_ARGUMENT") &&
        /--clusters=7 is invalid: expected an integer from 2 to 5 \(the number of rows\)\./.test(e.message),
    );
    assert.throws(
      () => checkDataOptions({ ...options, pcaComponents: 3 }, { rows: 3218, features: 34 }),
      /--pca-components=3 is invalid: expected an integer from 5 \(--components\) to 34 \(the number of features\)\./,
    );
    assert.throws(
      () => checkStaticOptions({ ...options, clusters: 1 }),
      (e: unknown) =>
        isStrataError(e, "INVALID_ARGUMENT") &&
        /--clusters=1 is invalid: expected an integer of at least 2\./.test(e.message),
    );
    assert.throws(
      () => checkStaticOptions({ ...options, seed: -1 }),
      /--seed=-1 is invalid: expected an integer of at least 0\./,
    );
  });
});

describe("staging and publishing the out dir", () => {
  test("publishing replaces the run's own entries, keeps the user's, writes summary.json last, removes the staging", async () => {
    const parent = tempDir();
    const out = join(parent, "out");
    mkdirSync(join(out, "charts"), { recursive: true });
    writeFileSync(join(out, "charts", "old-chart.svg"), "old");
    writeFileSync(join(out, "summary.json"), "old summary");
    writeFileSync(join(out, "notes.txt"), "the user's");
    const staging = await stageOutDir(out);
    assert.equal(dirname(staging), parent);
    mkdirSync(join(staging, "charts"));
    writeFileSync(join(staging, "charts", "new-chart.svg"), "new");
    writeFileSync(join(staging, "summary.json"), "new summary");
    writeFileSync(join(staging, "assignments.csv"), "a,b\n");
    await publishOutDir(staging, out, "summary.json");
    assert.deepEqual(readdirSync(out).sort(), ["assignments.csv", "charts", "notes.txt", "summary.json"]);
    assert.deepEqual(readdirSync(join(out, "charts")), ["new-chart.svg"]);
    assert.equal(readFileSync(join(out, "summary.json"), "utf8"), "new summary");
    assert.equal(readFileSync(join(out, "notes.txt"), "utf8"), "the user's");
    assert.equal(existsSync(staging), false);
  });

  test("a discarded staging leaves --out as it was; --out naming a file is refused before anything is made", async () => {
    const parent = tempDir();
    const out = join(parent, "out");
    const staging = await stageOutDir(out);
    writeFileSync(join(staging, "summary.json"), "half a run");
    await discardStaging(staging);
    assert.deepEqual(readdirSync(parent), []);
    const file = join(parent, "a-file");
    writeFileSync(file, "x");
    await assert.rejects(
      stageOutDir(file),
      (e: unknown) =>
        isStrataError(e, "OUTPUT_NOT_WRITABLE") && /is a file; name a directory/.test(e.message),
    );
    assert.deepEqual(readdirSync(parent), ["a-file"]);
  });
});
