/**
 * Issue 14, bug 3: segment profiles and names come from the segment's members — per feature the members' mean
 * and median in original units and an index against the whole table — not from the centroid's reconstruction
 * through the kept components (which gave the census's self-employed segment a population of −40,651, shown
 * clamped; its counties' median is 4,195).
 * @module
 */
import assert from "node:assert/strict";
import { before, describe, test } from "node:test";
import fc from "fast-check";
import { memberProfiles } from "../../src/explain/member-profiles.js";
import type { Summary } from "../../src/explain/summary-document.js";
import { median, weightedMedianInPlace } from "../../src/linalg/median.js";
import { DEFAULT_OPTIONS } from "../../src/workflow/options.js";
import { runSegmentation, type SegmentationResult } from "../../src/workflow/segmentation.js";
import { buildSummary } from "../../src/workflow/summary.js";
import { censusCsvPath } from "../helpers/census.js";
import { assertNamesAgreeWithMembers } from "../helpers/segment-names.js";

function sortedMedian(values: readonly number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const n = s.length;
  return n % 2 === 1 ? s[n >> 1]! : (s[n / 2 - 1]! + s[n / 2]!) / 2;
}

describe("member profiles", () => {
  test("median (quickselect) equals the median of the sorted values, ties and duplicates included", () => {
    fc.assert(
      fc.property(
        fc.array(
          // Ties (halves) and any doubles; -0 as 0, which a sort and a partition may place differently.
          fc.oneof(
            fc.integer({ min: -5, max: 5 }).map((v) => v / 2),
            fc.double({ noNaN: true, noDefaultInfinity: true }).map((v) => v + 0),
          ),
          { minLength: 1, maxLength: 60 },
        ),
        (values) => {
          const column = Float64Array.from(values);
          assert.equal(median(column), sortedMedian(values));
          assert.deepEqual(Array.from(column), values, "the values are not changed");
        },
      ),
      { seed: 14, numRuns: 500 },
    );
    assert.ok(Number.isNaN(median(new Float64Array(0))));
  });

  test("weightedMedianInPlace equals the median of the values repeated by their (whole) weights", () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: -5, max: 5 }), fc.integer({ min: 1, max: 4 })), {
          minLength: 1,
          maxLength: 40,
        }),
        (pairs) => {
          const repeated = pairs.flatMap(([v, w]) => new Array<number>(w).fill(v / 2));
          const got = weightedMedianInPlace(
            Float64Array.from(pairs, ([v]) => v / 2),
            Float64Array.from(pairs, ([, w]) => w),
          );
          assert.equal(got, sortedMedian(repeated));
        },
      ),
      { seed: 14, numRuns: 500 },
    );
    // Equal weights of any size are the plain median; one heavy value is the median.
    assert.equal(
      weightedMedianInPlace(Float64Array.of(4, 1, 3, 2), Float64Array.of(0.1, 0.1, 0.1, 0.1)),
      2.5,
    );
    assert.equal(weightedMedianInPlace(Float64Array.of(1, 2, 100), Float64Array.of(1, 1, 5)), 100);
    assert.ok(Number.isNaN(weightedMedianInPlace(new Float64Array(0), new Float64Array(0))));
  });

  test("weighted profiles: each row counts its weight in the mean, the median and the index", () => {
    // Segment 0 holds a town of 1,000 people with income 10 and a city of 9,000 with income 50.
    const income = [10, 50, 30, 40];
    const people = [1000, 9000, 500, 500];
    const clusters = [0, 0, 1, 1];
    const overall = (10 * 1000 + 50 * 9000 + 30 * 500 + 40 * 500) / 11_000;
    const [a, b] = memberProfiles([income], clusters, 2, [overall], people);
    assert.equal(a!.mean[0], (10 * 1000 + 50 * 9000) / 10_000);
    assert.equal(a!.median[0], 50, "the median person of segment 0 lives in the city");
    assert.equal(b!.median[0], 35);
    assert.equal(a!.index[0], (a!.mean[0]! / overall) * 100);
  });

  test("each segment's mean, median and index (mean ÷ overall mean × 100) of its own rows", () => {
    const income = [10, 20, 30, 40, 50, 1000];
    const zero = [0, 0, 0, 0, 0, 0];
    const clusters = [0, 1, 0, 1, 0, 1];
    const overallMean = [1150 / 6, 0];
    const [a, b] = memberProfiles([income, zero], clusters, 2, overallMean);
    assert.deepEqual(a!.mean, [30, 0]);
    assert.deepEqual(a!.median, [30, 0]);
    assert.deepEqual(b!.median, [40, 0]);
    assert.equal(b!.mean[0], 1060 / 3);
    assert.equal(a!.index[0], (30 / (1150 / 6)) * 100);
    assert.equal(a!.index[1], null, "no index against an overall mean of 0");
  });
});

describe("member profiles, any data", () => {
  test("each segment's mean is its members' sum from 0 in row order over their count, its median theirs (fast-check)", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 5 }),
        fc.array(fc.tuple(fc.double({ noNaN: true, min: -1e6, max: 1e6 }), fc.nat(4)), {
          minLength: 1,
          maxLength: 80,
        }),
        (k, rows) => {
          const values = rows.map(([v]) => v + 0);
          const clusters = rows.map(([, c]) => c % k);
          const profiles = memberProfiles([Float64Array.from(values)], clusters, k, [1]);
          profiles.forEach((p, c) => {
            const members = values.filter((_, i) => clusters[i] === c);
            let sum = 0;
            for (const v of members) sum += v;
            assert.ok(
              Object.is(p.mean[0], members.length > 0 ? sum / members.length : Number.NaN),
              `mean ${c}`,
            );
            assert.ok(
              Object.is(p.median[0], members.length > 0 ? sortedMedian(members) : Number.NaN),
              `median ${c}`,
            );
          });
        },
      ),
      { seed: 20261208, numRuns: 300 },
    );
  });
});

describe("census segments from their members", () => {
  let result: SegmentationResult;
  let summary: Summary;
  before(async () => {
    result = await runSegmentation({ ...DEFAULT_OPTIONS, source: censusCsvPath() });
    summary = buildSummary(result);
  });

  test("every name agrees with its members: a High X segment's median of X is above the national median, a low one below", () => {
    assertNamesAgreeWithMembers(summary);
  });

  test("profiles are the members' own values; the reconstruction is kept, labelled, unclamped", () => {
    const tp = summary.features.indexOf("TotalPop");
    const column = result.table.column("TotalPop");
    for (const s of summary.segments) {
      const members = Array.from(column).filter((_, i) => result.closestCluster[i] === s.id);
      assert.equal(members.length, s.size);
      assert.equal(s.profile.median[tp], sortedMedian(members));
      const mean = members.reduce((a, b) => a + b, 0) / members.length;
      assert.ok(Math.abs(s.profile.mean[tp]! - mean) <= 1e-9 * mean);
      assert.ok(Math.abs(s.profile.index[tp]! - (mean / summary.overallMean[tp]!) * 100) < 1e-9);
    }
    // The self-employed, work-at-home segment: its counties' median population is 4,278.5, while the centroid's
    // reconstruction through the five kept components is negative.
    const rural = summary.segments.find((s) => /Self-employed/.test(s.name))!;
    assert.equal(rural.profile.median[tp], 4278.5);
    assert.ok(rural.reconstructedCentre[tp]! < 0);
    assert.match(rural.description, /counties like/);
  });
});
