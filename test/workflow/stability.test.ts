/**
 * Issue 14, item 3: each segment's stability by Hennig's cluster-wise bootstrap. Well-separated groups come
 * out stable (mean Jaccard near 1); splitting a structureless cloud does not; the same seed gives the same
 * figures; the run reports them beside the segments.
 * @module
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { KMeans } from "../../src/kmeans/kmeans.js";
import { fromRows } from "../../src/linalg/matrix.js";
import { createRng } from "../../src/linalg/rng.js";
import { clusterStability } from "../../src/workflow/stability.js";
import { PROJECT_ROOT } from "../helpers/census.js";
import { runCli, tempDir } from "../helpers/cli.js";

function cloud(groups: readonly number[][], n: number, spread: number, seed: number) {
  const rng = createRng(seed);
  return fromRows(
    Array.from({ length: n }, (_, i) =>
      groups[i % groups.length]!.map((c) => c + spread * rng.nextGaussian()),
    ),
  );
}

test("separated groups are stable, a split of one round cloud is not, and the figures repeat", () => {
  const separated = cloud(
    [
      [0, 0],
      [12, 0],
      [0, 12],
    ],
    240,
    1,
    2,
  );
  const labels = new KMeans({ k: 3, seed: 0 }).fit(separated).predict(separated).closestCluster;
  const stable = clusterStability(separated, labels, 3, 15, 0);
  assert.equal(stable.resamples, 15);
  for (const j of stable.jaccard) assert.ok(j > 0.95, `separated: ${stable.jaccard}`);
  assert.deepEqual(clusterStability(separated, labels, 3, 15, 0), stable, "same seed, same figures");

  const round = cloud([[0, 0]], 240, 1, 3);
  const split = new KMeans({ k: 6, seed: 0 }).fit(round).predict(round).closestCluster;
  const loose = clusterStability(round, split, 6, 15, 0);
  const mean = loose.jaccard.reduce((a, b) => a + b, 0) / 6;
  assert.ok(mean < 0.85, `six pieces of one round cloud: mean ${mean}`);
  assert.ok(mean < Math.min(...stable.jaccard));
});

test("strata run --stability reports each segment's stability in summary.json, the terminal and the report", async () => {
  const out = join(tempDir(), "out");
  const r = await runCli([
    "run",
    "--data",
    join(PROJECT_ROOT, "node_modules/vega-datasets/data/penguins.json"),
    "--out",
    out,
    "--quiet",
    "--clusters",
    "3",
    "--stability",
    "10",
  ]);
  assert.equal(r.code, 0, r.stderr);
  const summary = JSON.parse(readFileSync(join(out, "summary.json"), "utf8"));
  assert.equal(summary.stability.resamples, 10);
  assert.equal(summary.stability.jaccard.length, 3);
  for (const j of summary.stability.jaccard) assert.ok(j > 0 && j <= 1);
  assert.match(r.stdout, /cluster {6}rows {2}stability {2}segment/);
  const html = readFileSync(join(out, "report.html"), "utf8");
  assert.match(
    html,
    /Stability \d\.\d\d \((stable|fairly stable|unstable)\): the mean Jaccard similarity to its best match over 10 bootstrap resamples/,
  );
});
