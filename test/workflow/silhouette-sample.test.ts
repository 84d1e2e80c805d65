/**
 * Issue 14, bug 2: the silhouette (O(n²)) is exact up to SILHOUETTE_EXACT_ROWS rows and computed on a sample
 * of that many, seeded by the run's seed, above it — and the run says so; Calinski–Harabasz and
 * Davies–Bouldin (bounded, the contract's metrics) are reported beside it.
 * @module
 */
import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { silhouetteSampleNote } from "../../src/explain/summary-document.js";
import { silhouetteScore } from "../../src/kmeans/metrics.js";
import { createRng } from "../../src/linalg/rng.js";
import { DEFAULT_OPTIONS } from "../../src/workflow/options.js";
import { runSegmentation, SILHOUETTE_EXACT_ROWS } from "../../src/workflow/segmentation.js";
import { buildSummary } from "../../src/workflow/summary.js";
import { tempDir } from "../helpers/cli.js";

/** n customers in three groups on four features, seeded. */
function customers(n: number): string {
  const rng = createRng(3);
  const lines = ["CustomerId,Spend,Visits,Tenure,Basket"];
  for (let i = 0; i < n; i++) {
    const g = i % 3;
    const v = (base: number) => (base * (g + 1) + rng.nextFloat() * 4).toFixed(3);
    lines.push(`C${i + 1},${v(100)},${v(3)},${v(12)},${v(20)}`);
  }
  return `${lines.join("\n")}\n`;
}

const options = (source: string) => ({
  ...DEFAULT_OPTIONS,
  source,
  indexColumns: ["CustomerId"],
  idColumns: [],
  components: 2,
  clusters: 3,
  restarts: 2,
});

test("above 10,000 rows the silhouette is a seeded sample, said so; below, exact", async () => {
  const dir = tempDir();
  const big = join(dir, "customers.csv");
  writeFileSync(big, customers(SILHOUETTE_EXACT_ROWS + 2_000));
  const result = await runSegmentation(options(big));
  assert.equal(result.silhouetteRows, SILHOUETTE_EXACT_ROWS);
  const expected = silhouetteScore(result.projections, result.closestCluster, {
    sampleSize: SILHOUETTE_EXACT_ROWS,
    seed: DEFAULT_OPTIONS.seed,
    everyLabel: true,
  });
  assert.equal(result.silhouette, expected);
  const scores = result.kmeans.score(result.projections);
  assert.equal(result.calinskiHarabasz, scores.calinskiHarabasz);
  assert.equal(result.daviesBouldin, scores.daviesBouldin);
  const summary = buildSummary(result);
  assert.equal(summary.kmeans.silhouetteRows, SILHOUETTE_EXACT_ROWS);
  assert.equal(silhouetteSampleNote(summary.kmeans), " (on a seeded sample of 10,000 of 12,000 rows)");

  const small = join(dir, "few.csv");
  writeFileSync(small, customers(600));
  const exact = await runSegmentation(options(small));
  assert.equal(exact.silhouetteRows, 600);
  assert.equal(exact.silhouette, silhouetteScore(exact.projections, exact.closestCluster));
  assert.equal(silhouetteSampleNote(buildSummary(exact).kmeans), "");
});

test("a sample that would miss a small segment is given a row of it: an outlier's segment does not end the run", async () => {
  // 12,000 rows around one point and one far outlier: with k = 2 the outlier is a segment of its own, which a
  // plain 10,000-row draw misses for many seeds (the silhouette then has one label and no value).
  const dir = tempDir();
  const path = join(dir, "outlier.csv");
  const rng = createRng(8);
  const lines = Array.from(
    { length: 12_000 },
    (_, i) => `C${i + 1},${rng.nextFloat().toFixed(4)},${rng.nextFloat().toFixed(4)}`,
  );
  lines.push("C12001,1000,1000");
  writeFileSync(path, `CustomerId,Spend,Visits\n${lines.join("\n")}\n`);
  for (const seed of [0, 1, 2, 3, 4]) {
    const result = await runSegmentation({ ...options(path), clusters: 2, seed });
    assert.ok(Number.isFinite(result.silhouette), `seed ${seed}: ${result.silhouette}`);
    assert.equal(result.silhouetteRows, SILHOUETTE_EXACT_ROWS);
  }
});
