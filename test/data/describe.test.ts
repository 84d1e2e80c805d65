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
} from "../../src/data/describe.js";
import { Frame } from "../../src/data/frame.js";
import { expectClose } from "../helpers/expect-close.js";

/**
 * describeColumn's rule written out plainly in JavaScript (as describe.ts computed it before its arithmetic
 * moved to WebAssembly): Neumaier sums in row order, a sort, numpy's `_lerp` between neighbours.
 */
function plainDescribe(values: Float64Array): number[] {
  const kept = values.filter((v) => !Number.isNaN(v));
  const n = kept.length;
  const neumaier = (term: (v: number) => number) => {
    let sum = 0;
    let c = 0;
    for (const x of kept) {
      const v = term(x);
      const t = sum + v;
      c += Math.abs(sum) >= Math.abs(v) ? sum - t + v : v - t + sum;
      sum = t;
    }
    return sum + c;
  };
  const mean = n === 0 ? Number.NaN : neumaier((v) => v) / n;
  const std = n < 2 ? Number.NaN : Math.sqrt(neumaier((v) => (v - mean) * (v - mean)) / (n - 1));
  const sorted = Float64Array.from(kept).sort();
  const quantile = (q: number) => {
    if (n === 0) return Number.NaN;
    const h = (n - 1) * q;
    const lo = Math.floor(h);
    if (lo + 1 >= n) return sorted[lo]!;
    const [a, b, t] = [sorted[lo]!, sorted[lo + 1]!, h - lo];
    return t >= 0.5 ? b - (b - a) * (1 - t) : a + (b - a) * t;
  };
  const ends = n === 0 ? [Number.NaN, Number.NaN] : [sorted[0]!, sorted[n - 1]!];
  return [n, mean, std, ends[0]!, quantile(0.25), quantile(0.5), quantile(0.75), ends[1]!];
}

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

  test("every statistic equals the plain JavaScript rule, bit for bit (a zero quantile's sign aside)", () => {
    // Few distinct values and zeros of both signs, so that ties (the hard case for a partition) are common.
    const awkward = fc.array(
      fc.oneof(
        fc.double({ noNaN: true, min: -1e6, max: 1e6 }),
        fc.integer({ min: -3, max: 3 }),
        fc.constantFrom(-0, Number.NaN, 1e300, -1e-300),
      ),
      { maxLength: 300 },
    );
    fc.assert(
      fc.property(awkward, (values) => {
        const column = Float64Array.from(values);
        const got = DESCRIBE_STATS.map((s) => describeColumn(column)[s]);
        const want = plainDescribe(column);
        got.forEach((v, i) => {
          const quartile = i >= 4 && i <= 6;
          const same = quartile
            ? v === want[i] || (Number.isNaN(v) && Number.isNaN(want[i]!))
            : Object.is(v, want[i]);
          assert.ok(same, `${DESCRIBE_STATS[i]}: ${v} vs ${want[i]} for ${values}`);
        });
        assert.deepEqual(Array.from(column), values, "the column is not changed");
      }),
      { numRuns: 500, seed: 20261208 },
    );
  });

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
});
