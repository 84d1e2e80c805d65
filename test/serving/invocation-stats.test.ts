/**
 * Endpoint invocation statistics (src/serving/invocation-stats.ts): counts per 10-second bucket over the last
 * hour, and model-latency percentiles from a log-binned histogram within 9% of the exact ones.
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import fc from "fast-check";
import { BUCKET_SECONDS, BUCKETS, InvocationStats } from "../../src/serving/invocation-stats.js";

function exact(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(1, Math.ceil(q * sorted.length)) - 1]!;
}

describe("invocation statistics", () => {
  test("p50 and p99 are within 9% of the exact percentiles of what was recorded", () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 0.002, max: 5000, noNaN: true }), { minLength: 1, maxLength: 400 }),
        (latencies) => {
          const stats = new InvocationStats(() => 1_000_000);
          for (const ms of latencies) stats.record(ms);
          const { total } = stats.read();
          assert.equal(total.invocations, latencies.length);
          for (const [q, got] of [
            [0.5, total.p50Ms],
            [0.99, total.p99Ms],
          ] as const) {
            const want = exact(latencies, q);
            assert.ok(Math.abs(got! - want) <= 0.09 * want, `q${q}: ${got} vs ${want}`);
          }
        },
      ),
      { seed: 17, numRuns: 200 },
    );
  });

  test("invocations fall in 10-second buckets; errors are counted apart; an hour later they are gone", () => {
    let now = 1_700_000_000_000;
    const stats = new InvocationStats(() => now);
    stats.record(1);
    stats.record(3);
    stats.recordError();
    now += BUCKET_SECONDS * 1000;
    stats.record(2);
    const read = stats.read();
    assert.deepEqual(
      read.points.map((p) => [p.invocations, p.errors]),
      [
        [2, 1],
        [1, 0],
      ],
    );
    assert.equal(read.points[1]!.time - read.points[0]!.time, BUCKET_SECONDS * 1000);
    assert.equal(read.total.invocations, 3);
    assert.equal(read.total.errors, 1);
    now += BUCKETS * BUCKET_SECONDS * 1000;
    assert.deepEqual(stats.read().points, []);
    assert.equal(stats.read().total.p50Ms, null);
  });
});
