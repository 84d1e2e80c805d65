/**
 * Hartigan's single-row moves after Lloyd (src/kmeans/hartigan.ts), as properties over random data (fast-check,
 * seeded): the inertia never rises; the result is a K-Means partition (every row nearest its own centre, the
 * centres the means of their rows); unit weights are the unweighted run, and doubling every weight changes no
 * move; and the WebAssembly loops (wasm-hartigan.ts) make exactly the moves of the JavaScript ones
 * (hartigan-loops.ts), bit for bit.
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import fc from "fast-check";
import { assignNearest } from "../../src/kmeans/assign.js";
import { hartiganRefine } from "../../src/kmeans/hartigan.js";
import { JsRefineLoops, type RefineLoops } from "../../src/kmeans/hartigan-loops.js";
import { KMeans } from "../../src/kmeans/kmeans.js";
import { WasmRefineLoops } from "../../src/kmeans/wasm-hartigan.js";
import { fromRows, matrix } from "../../src/linalg/matrix.js";

const RUNS = { numRuns: 60, seed: 20261207 };

/**
 * The data, a poor start (Lloyd stopped after one iteration, so that many rows move over several sweeps) and,
 * when `weighted`, weights 1, 2, 3, 1, 2, 3, …
 */
function poorStart(rows: number[][], k: number, seed: number, weighted: boolean) {
  const x = fromRows(rows.map((r) => r.map((v) => v / 7)));
  const start = new KMeans({ k, seed, numTrials: 1, maxIterations: 1 }).fit(x, { refine: false }).centroids
    .data;
  const weights = weighted ? Float64Array.from({ length: x.rows }, (_, i) => 1 + (i % 3)) : undefined;
  return { x, start, weights };
}

const dataset = fc.record({
  rows: fc.array(fc.array(fc.integer({ min: -50, max: 50 }), { minLength: 3, maxLength: 3 }), {
    minLength: 12,
    maxLength: 60,
  }),
  k: fc.integer({ min: 2, max: 5 }),
  seed: fc.nat(1000),
});

describe("Hartigan's moves", () => {
  test("never raise Lloyd's inertia, and end on a partition Lloyd keeps: every row nearest its own centre, centres its means", () => {
    fc.assert(
      fc.property(dataset, ({ rows, k, seed }) => {
        const x = fromRows(rows.map((r) => r.map((v) => v / 7)));
        const lloyd = new KMeans({ k, seed, numTrials: 1 }).fit(x, { refine: false });
        const r = hartiganRefine(x, lloyd.centroids.data, k);
        const inertia = r.moves === 0 ? lloyd.training!.inertia : r.inertia;
        assert.ok(
          inertia <= lloyd.training!.inertia * (1 + 1e-12),
          `${inertia} > ${lloyd.training!.inertia}`,
        );
        if (r.moves === 0) return;
        const { labels, dist2 } = assignNearest(x, matrix(k, 3, r.centres));
        assert.ok(Math.abs(dist2.reduce((a, b) => a + b, 0) - r.inertia) <= 1e-9 * (1 + r.inertia));
        assert.equal(
          r.sizes.reduce((a, b) => a + b, 0),
          x.rows,
        );
        for (let j = 0; j < k; j++) {
          const members = [...labels.keys()].filter((i) => labels[i] === j);
          assert.equal(members.length, r.sizes[j]);
          if (members.length === 0) continue;
          for (let t = 0; t < 3; t++) {
            const mean = members.reduce((a, i) => a + x.data[i * 3 + t]!, 0) / members.length;
            assert.ok(Math.abs(mean - r.centres[j * 3 + t]!) <= 1e-9 * (1 + Math.abs(mean)));
          }
        }
      }),
      RUNS,
    );
  });

  test("weights: all 1 is the unweighted run; all 2 makes the same moves, with sizes and inertia doubled", () => {
    fc.assert(
      fc.property(dataset, ({ rows, k, seed }) => {
        const x = fromRows(rows.map((r) => r.map((v) => v / 7)));
        const start = new KMeans({ k, seed, numTrials: 1 }).fit(x, { refine: false }).centroids.data;
        const plain = hartiganRefine(x, start, k);
        const ones = hartiganRefine(x, start, k, new Float64Array(x.rows).fill(1));
        assert.deepEqual(ones, plain);
        const twos = hartiganRefine(x, start, k, new Float64Array(x.rows).fill(2));
        assert.equal(twos.moves, plain.moves);
        assert.deepEqual(
          twos.sizes,
          plain.sizes.map((n) => 2 * n),
        );
        if (plain.moves > 0) {
          assert.ok(Math.abs(twos.inertia - 2 * plain.inertia) <= 1e-9 * (1 + plain.inertia));
          for (let i = 0; i < plain.centres.length; i++)
            assert.ok(
              Math.abs(twos.centres[i]! - plain.centres[i]!) <= 1e-9 * (1 + Math.abs(plain.centres[i]!)),
            );
        }
      }),
      RUNS,
    );
  });

  test("the WebAssembly loops and the JavaScript ones agree bit for bit: labels, sizes, sums, centres, weights, means", () => {
    fc.assert(
      fc.property(dataset, fc.boolean(), ({ rows, k, seed }, weighted) => {
        const { x, start, weights } = poorStart(rows, k, seed, weighted);
        const run = (loops: RefineLoops) => {
          loops.centres.set(start);
          const total = loops.nearest();
          const first = { total, labels: [...loops.labels], sizes: [...loops.sizes] };
          loops.mass.set(loops.sizes);
          const moved: number[] = [];
          for (let sweep = 0; sweep < 4; sweep++) moved.push(loops.sweep(1e-12));
          const swept = { labels: [...loops.labels], centres: [...loops.centres], mass: [...loops.mass] };
          loops.means();
          return { first, moved, swept, means: { centres: [...loops.centres], mass: [...loops.mass] } };
        };
        assert.deepEqual(run(new WasmRefineLoops(x, k, weights)), run(new JsRefineLoops(x, k, weights)));
      }),
      RUNS,
    );
  });
});
