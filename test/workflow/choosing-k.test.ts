/**
 * Issue 14, item 3: choosing k and the components. `--clusters auto` (or a range) fits K-Means for every k,
 * scores each (inertia, Calinski–Harabasz, Davies–Bouldin, silhouette) and picks the highest silhouette;
 * `--components auto` keeps the fewest components that explain 80% of the variance. Both say so in
 * summary.json, the terminal and the report.
 * @module
 */
import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, test } from "node:test";
import { KMeans } from "../../src/kmeans/kmeans.js";
import { silhouetteScore } from "../../src/kmeans/metrics.js";
import { fromRows } from "../../src/linalg/matrix.js";
import { createRng } from "../../src/linalg/rng.js";
import { sweepK } from "../../src/workflow/k-sweep.js";
import { autoComponents } from "../../src/workflow/options.js";
import { PROJECT_ROOT } from "../helpers/census.js";
import { runCli, tempDir } from "../helpers/cli.js";

const PENGUINS = join(PROJECT_ROOT, "node_modules/vega-datasets/data/penguins.json");

/** Three tight groups in the plane: the silhouette's best k is 3. */
function threeGroups() {
  const rng = createRng(4);
  const centres = [
    [0, 0],
    [10, 0],
    [0, 10],
  ];
  return fromRows(Array.from({ length: 150 }, (_, i) => centres[i % 3]!.map((c) => c + rng.nextFloat())));
}

describe("choosing k and the components", () => {
  test("the sweep scores every k as a direct fit does and picks the highest silhouette", () => {
    const x = threeGroups();
    const sweep = sweepK(x, [2, 6], { seed: 1, restarts: 2, silhouetteRows: x.rows });
    assert.deepEqual(
      sweep.points.map((p) => p.k),
      [2, 3, 4, 5, 6],
    );
    assert.equal(sweep.chosen, 3);
    for (const p of sweep.points) {
      const model = new KMeans({ k: p.k, seed: 1, numTrials: 2 }).fit(x);
      assert.equal(p.inertia, model.inertia);
      assert.equal(p.silhouette, silhouetteScore(x, model.predict(x).closestCluster));
      assert.equal(p.calinskiHarabasz, model.score(x).calinskiHarabasz);
    }
    assert.equal(Math.max(...sweep.points.map((p) => p.silhouette)), sweep.points[1]!.silhouette);
  });

  test("auto components: the fewest that explain 80%", () => {
    assert.equal(autoComponents([0.5, 0.2, 0.15, 0.15]), 3);
    assert.equal(autoComponents([0.85, 0.15]), 1);
    assert.equal(autoComponents([0.3, 0.3]), 2);
  });

  test("strata run --clusters 2..5 --components auto on penguins: the sweep, the rule and the chart", async () => {
    const out = join(tempDir(), "out");
    const r = await runCli([
      "run",
      "--data",
      PENGUINS,
      "--out",
      out,
      "--quiet",
      "--clusters",
      "2..5",
      "--components",
      "auto",
    ]);
    assert.equal(r.code, 0, r.stderr);
    const summary = JSON.parse(readFileSync(join(out, "summary.json"), "utf8"));
    assert.deepEqual(
      summary.kSweep.points.map((p: { k: number }) => p.k),
      [2, 3, 4, 5],
    );
    const best = summary.kSweep.points.reduce((a: { silhouette: number }, b: { silhouette: number }) =>
      b.silhouette > a.silhouette ? b : a,
    );
    assert.equal(summary.kSweep.chosen, best.k);
    assert.equal(summary.kmeans.k, best.k);
    assert.equal(summary.pca.kept, autoComponents(summary.pca.explainedVarianceRatio));
    assert.match(summary.pca.keptRule, /fewest components that explain 80%/);
    assert.match(r.stdout, /k sweep \(the highest silhouette; the smaller k on a tie\): k=\d/);
    const html = readFileSync(join(out, "report.html"), "utf8");
    assert.match(html, /k was chosen by a sweep over k = 2\.\.5/);
    assert.match(html, /id="chart-k-sweep"/);
  });

  test("a range that starts beyond the rows is refused with exit 2, before any work", async () => {
    const dir = tempDir();
    const data = join(dir, "five.csv");
    writeFileSync(data, "a,b\n1,2\n3,1\n4,4\n2,8\n9,3\n");
    const r = await runCli(["run", "--data", data, "--out", join(dir, "out"), "--clusters", "5..8"]);
    assert.equal(r.code, 2, r.stderr);
    assert.match(
      r.stderr,
      /--clusters=5\.\.8 is invalid: expected a range starting at 2 to 4 \(the number of rows − 1\)/,
    );
  });

  test("a range that does not go up is refused with exit 2", async () => {
    const r = await runCli([
      "run",
      "--data",
      PENGUINS,
      "--out",
      join(tempDir(), "out"),
      "--clusters",
      "5..3",
    ]);
    assert.equal(r.code, 2, r.stderr);
    assert.match(
      r.stderr,
      /--clusters=5\.\.3 is invalid: expected a range from\.\.to with from < to, or auto \(2\.\.12\)/,
    );
  });
});
