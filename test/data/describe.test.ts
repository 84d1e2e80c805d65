/**
 * describe(): hand-computed toy values, pandas' edge cases (all-missing and single-value columns), and a
 * property test of the quantiles against a straightforward sort-based reference of numpy's "linear" rule.
 * @module
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import fc from "fast-check";
import {
  DESCRIBE_STATS,
  describeColumn,
  describe as describeFrame,
  describeResultToJson,
  formatDescribeResult,
  quantileSorted,
} from "../../src/data/describe.js";
import { Frame } from "../../src/data/frame.js";
import { expectClose } from "../helpers/expect-close.js";

/** numpy linear quantile, written the obvious way: sort, virtual index (n-1)q, interpolate. */
function referenceQuantile(values: number[], q: number): number {
  const s = [...values].sort((a, b) => a - b);
  const h = (s.length - 1) * q;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, s.length - 1);
  return s[lo]! + (h - lo) * (s[hi]! - s[lo]!);
}

describe("describe", () => {
  test("hand-computed toy column (NaN skipped)", () => {
    const d = describeColumn(Float64Array.of(4, Number.NaN, 1, 3, 2));
    // values 1,2,3,4: mean 2.5, sample var 5/3, quantile positions 0.75, 1.5, 2.25
    assert.deepEqual(
      { ...d, std: undefined },
      { count: 4, mean: 2.5, std: undefined, min: 1, "25%": 1.75, "50%": 2.5, "75%": 3.25, max: 4 },
    );
    expectClose(d.std, Math.sqrt(5 / 3), { rtol: 1e-15 }, "std");
  });

  test("pandas edge cases: one value has NaN std; no values gives count 0 and NaN elsewhere", () => {
    const one = describeColumn(Float64Array.of(7));
    assert.deepEqual([one.count, one.mean, one.min, one["50%"], one.max], [1, 7, 7, 7, 7]);
    assert.ok(Number.isNaN(one.std));
    const none = describeColumn(Float64Array.of(Number.NaN));
    assert.equal(none.count, 0);
    for (const s of DESCRIBE_STATS.slice(1)) assert.ok(Number.isNaN(none[s]), s);
  });

  test("describe covers numeric columns only, in order; JSON and table forms", () => {
    const f = Frame.fromColumns({
      name: ["a", "b"],
      x: Float64Array.of(1, 3),
      y: Float64Array.of(Number.NaN, Number.NaN),
    });
    const d = describeFrame(f);
    assert.deepEqual(d.columns, ["x", "y"]);
    assert.deepEqual(d.stats.mean, [2, Number.NaN]);
    const json = describeResultToJson(d);
    assert.deepEqual(json.stats.mean, [2, null]);
    assert.doesNotThrow(() => JSON.parse(JSON.stringify(json)));
    const table = formatDescribeResult(d).split("\n");
    assert.equal(table.length, 3);
    assert.match(table[0]!, /count\s+mean\s+std\s+min\s+25%\s+50%\s+75%\s+max/);
    assert.match(table[1]!, /^x\s+2\s+2\s+1\.41421/);
  });

  test("mean and std stay accurate with a large offset (no catastrophic cancellation)", () => {
    const base = 1e9;
    const d = describeColumn(Float64Array.from([4, 7, 13, 16], (v) => base + v));
    expectClose(d.mean, base + 10, { rtol: 1e-15 }, "mean");
    expectClose(d.std, Math.sqrt(30), { rtol: 1e-12 }, "std");
  });
});

describe("describe properties", () => {
  const column = fc.array(
    fc.oneof(
      { weight: 5, arbitrary: fc.double({ noNaN: true, min: -1e6, max: 1e6 }) },
      { weight: 1, arbitrary: fc.constant(Number.NaN) },
    ),
    {
      minLength: 1,
      maxLength: 200,
    },
  );

  test("quantiles, min and max equal a sort-based reference", () => {
    fc.assert(
      fc.property(column, (values) => {
        const present = values.filter((v) => !Number.isNaN(v));
        const d = describeColumn(Float64Array.from(values));
        assert.equal(d.count, present.length);
        if (present.length === 0) return;
        const atol = 1e-9; // the reference interpolates from one side only; numpy's _lerp picks the nearer one
        expectClose(d["25%"], referenceQuantile(present, 0.25), { rtol: 1e-12, atol }, "25%");
        expectClose(d["50%"], referenceQuantile(present, 0.5), { rtol: 1e-12, atol }, "50%");
        expectClose(d["75%"], referenceQuantile(present, 0.75), { rtol: 1e-12, atol }, "75%");
        assert.equal(d.min, Math.min(...present));
        assert.equal(d.max, Math.max(...present));
        assert.ok(d.min <= d["25%"] && d["25%"] <= d["50%"] && d["50%"] <= d["75%"] && d["75%"] <= d.max);
      }),
      { numRuns: 300, seed: 42 },
    );
  });

  test("quantileSorted hits the data points exactly at whole virtual indices", () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ noNaN: true, noDefaultInfinity: true }), { minLength: 1, maxLength: 50 }),
        (values) => {
          const s = Float64Array.from(values).sort();
          assert.equal(quantileSorted(s, 0), s[0]);
          assert.equal(quantileSorted(s, 1), s[s.length - 1]);
          if ((s.length - 1) % 2 === 0) assert.equal(quantileSorted(s, 0.5), s[(s.length - 1) / 2]);
        },
      ),
      { numRuns: 200, seed: 3 },
    );
  });
});
