/**
 * Issue 5: segment names and one-line descriptions from their centres against the national median, and the
 * typical counties (closest to the centre).
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { formatFeatureValue } from "../../src/explain/feature-info.js";
import {
  describeSegment,
  nameSegment,
  nameSegments,
  notableFeatures,
  type SegmentProfile,
  typicalMembers,
  uniquify,
} from "../../src/explain/segment-names.js";

const features = ["Hispanic", "White", "Income", "Poverty", "IncomeErr", "Men"];
const base = {
  entity: { one: "county", many: "counties", area: "US" },
  features,
  nationalMedian: [4, 84, 44749, 16, 2400, 13000],
  nationalStd: [13, 23, 11500, 6.5, 1200, 50000],
  size: 252,
  typicalCounties: ["California-Fresno", "Arizona-Yuma"],
};
const hispanic: SegmentProfile = { ...base, median: [45, 40, 41000, 25, 9000, 900000] };

describe("segment names", () => {
  test("the features furthest from the median in SDs, margins of error and population restatements skipped", () => {
    const notable = notableFeatures(features, hispanic.median, base.nationalMedian, base.nationalStd, 3);
    assert.deepEqual(
      notable.map((d) => d.feature),
      ["Hispanic", "White", "Poverty"],
    );
    assert.ok(notable[0]!.sds > 3 && notable[1]!.sds < -1.8);
  });

  test("a name says high and low", () => {
    assert.equal(nameSegment(hispanic), "High Hispanic & Poverty, low White");
  });

  test("a centre at the median is named as such", () => {
    assert.equal(nameSegment({ ...base, median: base.nationalMedian }), "Close to the national median");
  });

  test("the description gives size, typical counties and values beside the US median in their units", () => {
    const d = describeSegment(hispanic);
    assert.match(d, /^252 counties like California-Fresno, Arizona-Yuma: /);
    assert.match(d, /Hispanic 45\.0% \(US 4\.0%\)/);
    assert.match(d, /Income \$41,000 \(US \$44,749\)/);
  });

  test("names are made distinct", () => {
    const names = nameSegments([hispanic, hispanic, { ...hispanic, median: base.nationalMedian }]);
    assert.equal(new Set(names).size, 3);
    assert.deepEqual(uniquify(["a", "a", "b", "a"]), ["a", "a (2)", "b", "a (3)"]);
  });

  test("typical members are the rows closest to each centre", () => {
    const labels = ["p", "q", "r", "s", "t"];
    const typical = typicalMembers(labels, [0, 1, 0, 1, 0], [0.5, 0.2, 0.1, 0.9, 0.3], 2, 2);
    assert.deepEqual(typical, [
      ["r", "t"],
      ["q", "s"],
    ]);
  });

  test("values are formatted in their feature's unit", () => {
    assert.equal(formatFeatureValue("Income", 51281.4), "$51,281");
    assert.equal(formatFeatureValue("TotalPop", 55221), "55,221");
    assert.equal(formatFeatureValue("Poverty", 12.94), "12.9%");
    assert.equal(formatFeatureValue("MeanCommute", 26.5), "26.5 min");
    assert.equal(formatFeatureValue("Unknown", 0.123456), "0.1235");
  });
});
