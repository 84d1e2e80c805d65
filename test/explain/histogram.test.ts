/**
 * Issue 5: the histograms summary.json stores for every feature (nice bins, every value counted once).
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
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
});
