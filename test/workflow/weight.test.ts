/**
 * Issue 14, item 4: `--weight COLUMN` (e.g. population) as K-Means sample weights and in the profiles. On the
 * census weighted by TotalPop: the column's role, the model equal to KMeans.fit with the weights, weighted
 * member medians and overall medians, names that agree with the weighted members, and the training job fed
 * the weights as record labels (`sample_weights=label`). Bad weights are refused naming the rows, with
 * nothing written; rows missing a weight are dropped and counted, even with --impute.
 * @module
 */
import assert from "node:assert/strict";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { before, describe, test } from "node:test";
import type { Summary } from "../../src/explain/summary-document.js";
import { decodeDenseRows } from "../../src/formats/dense-rows.js";
import { KMeans } from "../../src/kmeans/kmeans.js";
import { DEFAULT_OPTIONS } from "../../src/workflow/options.js";
import { runSegmentation, type SegmentationResult } from "../../src/workflow/segmentation.js";
import { buildSummary } from "../../src/workflow/summary.js";
import { censusCsvPath } from "../helpers/census.js";
import { runCli, tempDir } from "../helpers/cli.js";
import { assertNamesAgreeWithMembers } from "../helpers/segment-names.js";

/** The weighted median by its definition: sort, then the midpoint of the values where the weight passes half. */
function sortedWeightedMedian(values: readonly number[], weights: readonly number[]): number {
  const order = values.map((_, i) => i).sort((a, b) => values[a]! - values[b]!);
  const half = weights.reduce((a, b) => a + b, 0) / 2;
  let acc = 0;
  let lower = Number.NaN;
  for (const i of order) {
    acc += weights[i]!;
    if (Number.isNaN(lower) && acc >= half) lower = values[i]!;
    if (acc > half) return (lower + values[i]!) / 2;
  }
  return lower;
}

describe("--weight on the census, by TotalPop", () => {
  let weighted: SegmentationResult;
  let summary: Summary;
  let plain: SegmentationResult;
  before(async () => {
    const options = { ...DEFAULT_OPTIONS, source: censusCsvPath() };
    weighted = await runSegmentation({ ...options, weight: "TotalPop" });
    summary = buildSummary(weighted);
    plain = await runSegmentation(options);
  });

  test("TotalPop weights the rows and is not a feature: 33 features, its role stated", () => {
    assert.equal(summary.features.length, 33);
    assert.ok(!summary.features.includes("TotalPop"));
    assert.deepEqual(
      summary.columns.unused.find((u) => u.column === "TotalPop"),
      { column: "TotalPop", reason: "the weight (--weight)" },
    );
    const population = weighted.weight!.values.reduce((a, b) => a + b, 0);
    assert.equal(summary.weight?.column, "TotalPop");
    assert.equal(summary.weight?.total, population);
    // The 3,218 used counties hold about 321 million people.
    assert.ok(population > 3.1e8 && population < 3.3e8, String(population));
  });

  test("the K-Means model is KMeans.fit with TotalPop as sample weights, and differs from the unweighted one", () => {
    const expected = new KMeans({ k: 7, seed: 0, restarts: 10, initMethod: "kmeans++" }).fit(
      weighted.projections,
      {
        sampleWeight: weighted.weight!.values,
      },
    );
    assert.deepEqual(weighted.kmeans.centroids.data, expected.centroids.data);
    assert.equal(weighted.kmeans.inertia, expected.inertia);
    assert.deepEqual(weighted.sizes, expected.training?.sizes);
    // The same projections unweighted give another partition: the weights were used.
    const unweighted = new KMeans({ k: 7, seed: 0, restarts: 10 }).fit(weighted.projections);
    const labels = unweighted.predict(weighted.projections).closestCluster;
    assert.ok(!samePartition(labels, weighted.closestCluster));
  });

  test("segment weights add up to the total; profiles are weighted means and medians of the members", () => {
    const total = summary.segments.reduce((a, s) => a + (s.weight ?? Number.NaN), 0);
    assert.ok(Math.abs(total - summary.weight!.total) <= 1e-9 * total);
    const income = summary.features.indexOf("Income");
    const column = Array.from(weighted.table.column("Income"));
    const people = Array.from(weighted.weight!.values);
    for (const s of summary.segments) {
      const members = column.flatMap((v, i) => (weighted.closestCluster[i] === s.id ? [v] : []));
      const weights = people.filter((_, i) => weighted.closestCluster[i] === s.id);
      assert.equal(s.profile.median[income], sortedWeightedMedian(members, weights));
      const mean = members.reduce((a, v, i) => a + v * weights[i]!, 0) / weights.reduce((a, b) => a + b, 0);
      assert.ok(Math.abs(s.profile.mean[income]! - mean) <= 1e-9 * mean);
    }
    // The overall median is the median person's county's income, not the median county's.
    assert.equal(summary.nationalMedian[income], sortedWeightedMedian(column, people));
    assert.notEqual(summary.nationalMedian[income], buildSummary(plain).nationalMedian[income]);
  });

  test("every name agrees with its weighted members against the weighted overall medians", () => {
    assertNamesAgreeWithMembers(summary);
  });
});

describe("strata run --weight", () => {
  test("the K-Means job takes the weights as record labels (sample_weights=label); the terminal and the report show each segment's share", async () => {
    const out = join(tempDir(), "out");
    const home = tempDir("strata-home-");
    const r = await runCli(
      ["run", "--data", censusCsvPath(), "--weight", "TotalPop", "--out", out, "--quiet"],
      { env: { STRATA_HOME: home } },
    );
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /K-Means weighted by TotalPop: k=7/);
    assert.match(r.stdout, /cluster {2}counties {2}TotalPop % {2}segment/);
    const shares = [...r.stdout.matchAll(/^ +\d+ +\d+ +([\d.]+)% /gm)].map((m) => Number(m[1]));
    assert.equal(shares.length, 7);
    assert.ok(Math.abs(shares.reduce((a, b) => a + b, 0) - 100) < 0.5, String(shares));
    const html = readFileSync(join(out, "report.html"), "utf8");
    assert.match(html, /Weighted by TotalPop: each county counts as much as its TotalPop/);
    const reported = [...html.matchAll(/ counties, ([\d.]+)% of TotalPop/g)].map((m) => Number(m[1]));
    assert.deepEqual(reported, shares, "the report's shares are the terminal's");
    const { matrix, labels } = decodeDenseRows(readFileSync(join(out, "data/kmeans-train.pbr")));
    assert.equal(matrix.rows, 3218);
    const summary = JSON.parse(readFileSync(join(out, "summary.json"), "utf8")) as Summary;
    assert.equal(
      labels?.reduce((a, b) => a + b, 0),
      summary.weight?.total,
      "each record's label is its county's population",
    );
    const jobs = await runCli(["jobs", "list", "--json"], { env: { STRATA_HOME: home } });
    const kmeansJob = (
      JSON.parse(jobs.stdout) as { TrainingJobSummaries: { TrainingJobName: string }[] }
    ).TrainingJobSummaries.find((j) => j.TrainingJobName.startsWith("kmeans-"));
    const described = await runCli(["jobs", "describe", kmeansJob!.TrainingJobName, "--json"], {
      env: { STRATA_HOME: home },
    });
    assert.equal(JSON.parse(described.stdout).HyperParameters.sample_weights, "label");
  });

  test("a weight of 0 or below, or a text column, is refused naming the rows; nothing is written", async () => {
    const dir = tempDir();
    const csv = join(dir, "shops.csv");
    writeFileSync(
      csv,
      "shop,visits,spend,staff\nA,10,5.5,3\nB,12,6.1,0\nC,30,2.2,4\nD,28,2.0,-1\nE,11,5.9,2\nF,29,2.4,5\n",
    );
    const out = join(dir, "out");
    const zero = await runCli(["run", "--data", csv, "--weight", "staff", "--clusters", "2", "--out", out]);
    assert.equal(zero.code, 1, zero.stderr);
    assert.match(zero.stderr, /--weight "staff": 2 rows have a weight of 0 or below \(B, D\)/);
    assert.ok(!existsSync(out), "nothing written");
    const text = await runCli(["run", "--data", csv, "--weight", "shop", "--clusters", "2", "--out", out]);
    assert.equal(text.code, 2, text.stderr);
    assert.match(text.stderr, /--weight names "shop", a text column/);
    const missing = await runCli([
      "run",
      "--data",
      csv,
      "--weight",
      "footfall",
      "--clusters",
      "2",
      "--out",
      out,
    ]);
    assert.notEqual(missing.code, 0);
    assert.match(missing.stderr, /footfall/);
    assert.ok(!existsSync(out), "nothing written");
  });

  test("a row missing its weight is dropped and counted under the weight column, even with --impute", async () => {
    const result = await runSegmentation({
      ...DEFAULT_OPTIONS,
      clusters: 2,
      restarts: 2,
      impute: "median",
      weight: "staff",
      source: writeTable(
        "shop,visits,spend,staff\nA,10,5.5,3\nB,12,,1\nC,30,2.2,\nD,28,2.0,2\nE,11,5.9,2\nF,29,2.4,5\n",
      ),
    });
    assert.deepEqual(result.droppedRows, ["C"]);
    assert.deepEqual(result.missingByColumn, { spend: 1, staff: 1 });
    assert.deepEqual(Object.keys(result.imputed), ["spend"], "the feature is imputed, the weight never");
    assert.deepEqual(Array.from(result.weight!.values), [3, 1, 2, 2, 5]);
  });
});

/** Whether two labellings split the rows the same way (up to renaming the clusters). */
function samePartition(a: ArrayLike<number>, b: ArrayLike<number>): boolean {
  const forward = new Map<number, number>();
  const backward = new Map<number, number>();
  for (let i = 0; i < a.length; i++) {
    if ((forward.get(a[i]!) ?? b[i]) !== b[i] || (backward.get(b[i]!) ?? a[i]) !== a[i]) return false;
    forward.set(a[i]!, b[i]!);
    backward.set(b[i]!, a[i]!);
  }
  return true;
}

function writeTable(text: string): string {
  const path = join(tempDir(), "table.csv");
  writeFileSync(path, text);
  return path;
}
