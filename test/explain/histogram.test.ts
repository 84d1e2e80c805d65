/**
 * Issue 5: the histograms summary.json stores for every feature (nice bins, every value counted once).
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import fc from "fast-check";
import { histogram, niceStep } from "../../src/explain/histogram.js";

describe("histogram", () => {
  test("nice steps are 1, 2, 2.5 or 5 times a power of ten", () => {
    assert.equal(niceStep(100, 20), 5);
    assert.equal(niceStep(64, 20), 5);
    assert.equal(niceStep(0.9, 20), 0.05);
    assert.equal(niceStep(2_000_000, 20), 100_000);
    assert.equal(niceStep(0, 20), 1);
  });

  test("bins start at a multiple of the step, the maximum falls in the last bin, NaN is skipped", () => {
    const h = histogram(Float64Array.of(0, 1, 2, 10, Number.NaN), 5);
    assert.deepEqual(h, { start: 0, step: 2, counts: [2, 1, 0, 0, 0, 1] });
  });

  test("every value is counted once", () => {
    const values = Float64Array.from({ length: 1000 }, (_, i) => Math.sin(i) * 37.3 + 12);
    const h = histogram(values);
    assert.equal(
      h.counts.reduce((a, b) => a + b, 0),
      1000,
    );
    assert.ok(h.start <= Math.min(...values) && h.start + h.counts.length * h.step >= Math.max(...values));
    assert.ok(h.counts.length <= 21);
  });
});

describe("issue 12: values near the double's range", () => {
  test("bins ±1e308 without overflowing: finite bins, every value counted once", () => {
    const values = Float64Array.of(1e308, -1e308, 0, 1, -5e307, Number.MAX_VALUE, -Number.MAX_VALUE);
    const h = histogram(values);
    assert.ok(Number.isFinite(h.start) && Number.isFinite(h.step) && h.step > 0);
    assert.ok(h.counts.length >= 1 && h.counts.length <= 21, `${h.counts.length} bins`);
    assert.equal(
      h.counts.reduce((a, b) => a + b, 0),
      values.length,
    );
    assert.ok(h.start <= -Number.MAX_VALUE);
  });

  test("the same bins as the rule written out in JavaScript, for any values (fast-check)", () => {
    // histogram.ts' rule as it read before its loops moved to WebAssembly.
    const plain = (values: number[], maxBins = 20) => {
      const finite = values.filter(Number.isFinite);
      if (finite.length === 0) return { start: 0, step: 1, counts: [] as number[] };
      let min = Number.POSITIVE_INFINITY;
      let max = Number.NEGATIVE_INFINITY;
      for (const v of finite) {
        if (v < min) min = v;
        if (v > max) max = v;
      }
      const span = max - min;
      const step = Number.isFinite(span) ? niceStep(span, maxBins) : 2 * niceStep(max / 2 - min / 2, maxBins);
      const units = Math.floor(min / step);
      const exactStart = units * step;
      const start = Number.isFinite(exactStart) ? exactStart : -Number.MAX_VALUE;
      const wide = !Number.isFinite(exactStart) || !Number.isFinite(max - start);
      const offset = (v: number) => (wide ? v / step - units : (v - start) / step);
      const bins = Math.max(1, Math.ceil(offset(max) + 1e-9));
      const counts = new Array<number>(bins).fill(0);
      for (const v of finite) counts[Math.min(bins - 1, Math.floor(offset(v)))]!++;
      return { start, step, counts };
    };
    const value = fc.oneof(
      fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e6, max: 1e6 }),
      fc.integer({ min: -20, max: 20 }),
      fc.constantFrom(
        Number.NaN,
        Number.POSITIVE_INFINITY,
        -0,
        1e308,
        -1e308,
        Number.MAX_VALUE,
        -Number.MAX_VALUE,
      ),
    );
    fc.assert(
      fc.property(fc.array(value, { maxLength: 200 }), fc.integer({ min: 1, max: 40 }), (values, maxBins) => {
        assert.deepStrictEqual(histogram(Float64Array.from(values), maxBins), plain(values, maxBins));
      }),
      { numRuns: 500, seed: 20261208 },
    );
  });
});
