/**
 * Issue 5: segment centres in original units. A centre mapped back from summary.json's plain arrays equals
 * the models' own inverse scaling of the inverse PCA of the centroid (the dropped components set to 0), and
 * the national median beside it is describe's 50%.
 */
import assert from "node:assert/strict";
import { before, describe, test } from "node:test";
import { segmentCentres, toOriginalUnits, unscaleRange } from "../../src/explain/segment-centres.js";
import type { Summary } from "../../src/explain/summary-document.js";
import { matrix, toRows } from "../../src/linalg/matrix.js";
import { DEFAULT_OPTIONS } from "../../src/workflow/options.js";
import { runSegmentation, type SegmentationResult } from "../../src/workflow/segmentation.js";
import { buildSummary } from "../../src/workflow/summary.js";
import { censusCsvPath } from "../helpers/census.js";
import { expectClose } from "../helpers/expect-close.js";

describe("segment centres on the census run", () => {
  let result: SegmentationResult;
  let summary: Summary;
  before(async () => {
    result = await runSegmentation({ ...DEFAULT_OPTIONS, source: censusCsvPath() });
    summary = buildSummary(result);
  });

  test("a centre from summary.json equals scaler.inverseTransform(pca.inverseTransform(centroid))", () => {
    const { pca, kmeans, scaler, kept } = result;
    const padded = matrix(kmeans.k, pca.numComponents);
    for (let c = 0; c < kmeans.k; c++) {
      for (let j = 0; j < kept; j++)
        padded.data[c * pca.numComponents + j] = kmeans.centroids.data[c * kept + j]!;
    }
    const expected = toRows(scaler.inverseTransform(pca.inverseTransform(padded)));
    const mapping = {
      loadings: summary.pca.loadings,
      mean: summary.pca.mean,
      ...unscaleRange(summary.scaler),
    };
    const centres = segmentCentres(summary.kmeans.centroids, mapping);
    // Both are the same sums of products in a different order: agreement to rounding.
    expectClose(centres.flat(), expected.flat(), { rtol: 1e-9, atol: 1e-6 }, "centres");
    expectClose(
      summary.segments.flatMap((s) => s.reconstructedCentre),
      expected.flat(),
      { rtol: 1e-9, atol: 1e-6 },
      "summary centres",
    );
    expectClose(
      toOriginalUnits(summary.kmeans.centroids[0]!, mapping),
      expected[0]!,
      { rtol: 1e-9, atol: 1e-6 },
      "one",
    );
  });

  test("the national median is describe's 50%", () => {
    assert.deepEqual(summary.nationalMedian, result.describeRaw.stats["50%"]);
    const income = summary.features.indexOf("Income");
    assert.ok(summary.nationalMedian[income]! > 40000 && summary.nationalMedian[income]! < 50000);
  });

  test("every segment has a distinct name, a description with its typical counties and its size", () => {
    const names = summary.segments.map((s) => s.name);
    assert.equal(new Set(names).size, summary.kmeans.k);
    summary.segments.forEach((s, c) => {
      assert.equal(s.id, c);
      assert.equal(s.size, summary.kmeans.sizes[c]);
      assert.equal(s.autoName, s.name);
      assert.ok(s.description.includes(s.typicalCounties[0]!), s.description);
      assert.match(s.description, /\(US /);
    });
    const fresnoSegment = result.closestCluster[result.table.index.indexOf("California-Fresno")]!;
    assert.match(summary.segments[fresnoSegment]!.name, /Hispanic/);
  });

  test("components are named after their loadings and the names are distinct", () => {
    const names = summary.pca.components.map((c) => c.name);
    assert.equal(new Set(names).size, names.length);
    assert.match(names[0]!, /^White .* vs .*Hispanic/);
    assert.equal(summary.pca.loadings.length, summary.pca.kept);
    assert.equal(summary.pca.loadings[0]!.length, summary.features.length);
  });
});
