/**
 * Hamerly 2010's bounded Lloyd (engine.ts + hamerly.ts) against the straightforward loops: plain Lloyd over
 * the same shards, and trial.ts's one-shard `runTrial`. They must agree exactly — same centres, inertia,
 * iterations and sizes — on random data with many ties (fast-check) and on the census-shaped workflow input.
 * @module
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import fc from "fast-check";
import { runTrialFast } from "../../src/kmeans/engine.js";
import { initKMeansPlusPlus } from "../../src/kmeans/init/kmeans-plus-plus.js";
import { KMeans } from "../../src/kmeans/kmeans.js";
import { runTrial } from "../../src/kmeans/trial.js";
import { matrix } from "../../src/linalg/matrix.js";
import { createRng } from "../../src/linalg/rng.js";
import { censusProjections } from "../helpers/census-projections.js";

const RUNS = { numRuns: 80, seed: 20261201 };

const value = fc.oneof(
  fc.integer({ min: -12, max: 12 }).map((v) => v / 4),
  fc.double({ min: -50, max: 50, noNaN: true }),
);

const dataset = fc
  .record({ n: fc.integer({ min: 2, max: 60 }), d: fc.integer({ min: 1, max: 5 }) })
  .chain(({ n, d }) =>
    fc.record({
      x: fc
        .array(value, { minLength: n * d, maxLength: n * d })
        .map((v) => matrix(n, d, Float64Array.from(v))),
      k: fc.integer({ min: 2, max: Math.min(n, 6) }),
      seed: fc.nat(),
      shardRows: fc.integer({ min: 1, max: 16 }),
    }),
  );

describe("Hamerly bounds give exactly plain Lloyd's answer", () => {
  test("random data, several shards: identical centres, inertia, iterations, sizes (fast-check)", () => {
    fc.assert(
      fc.property(dataset, ({ x, k, seed, shardRows }) => {
        const { centres: initial } = initKMeansPlusPlus(x, k, createRng(seed));
        const options = { initial, maxIterations: 40, tolerance: 0 };
        const hamerly = runTrialFast(x, options, { algorithm: "hamerly", shardRows });
        const lloyd = runTrialFast(x, options, { algorithm: "lloyd", shardRows });
        assert.deepEqual(hamerly.centres.data, lloyd.centres.data);
        assert.equal(hamerly.inertia, lloyd.inertia);
        assert.equal(hamerly.iterations, lloyd.iterations);
        assert.deepEqual(hamerly.sizes, lloyd.sizes);
      }),
      RUNS,
    );
  });

  test("one shard: identical to trial.ts's plain runTrial (fast-check)", () => {
    fc.assert(
      fc.property(dataset, ({ x, k, seed }) => {
        const { centres: initial } = initKMeansPlusPlus(x, k, createRng(seed));
        const options = { initial, maxIterations: 40, tolerance: 0 };
        const fast = runTrialFast(x, options);
        const plain = runTrial(x, options);
        assert.deepEqual(fast.centres.data, plain.centres.data);
        assert.equal(fast.inertia, plain.inertia);
        assert.equal(fast.iterations, plain.iterations);
        assert.equal(fast.converged, plain.converged);
      }),
      RUNS,
    );
  });

  test("census-shaped case (3218 rows, top 5 components, k = 7): identical models", () => {
    const z = censusProjections();
    const fit = (algorithm: "hamerly" | "lloyd") =>
      new KMeans({ k: 7, seed: 0, restarts: 10 }).fit(z, { algorithm, threads: 1 });
    const [h, l] = [fit("hamerly"), fit("lloyd")];
    assert.deepEqual(h.centroids.data, l.centroids.data);
    assert.deepEqual(h.training, l.training);
    for (const shardRows of [100, 1000]) {
      const { centres: initial } = initKMeansPlusPlus(z, 7, createRng(3));
      const a = runTrialFast(z, { initial, maxIterations: 300, tolerance: 0 }, { shardRows });
      const b = runTrialFast(
        z,
        { initial, maxIterations: 300, tolerance: 0 },
        { shardRows, algorithm: "lloyd" },
      );
      assert.deepEqual(a, b);
    }
  });
});

describe("row-loop kernels are independent of call history", () => {
  test("a bounded pass run before any full pass of the same (d, k) gives the plain-Lloyd answer", () => {
    // d = 3, k = 5 is used by no other test: the kernels for this shape are compiled (and warmed up) here.
    const rng = createRng(11);
    const n = 400;
    const x = matrix(n, 3);
    for (let i = 0; i < x.data.length; i++) x.data[i] = rng.nextGaussian() + (i % 5);
    const initial = matrix(5, 3, x.data.slice(0, 15));
    const options = { initial, maxIterations: 50, tolerance: 0 };
    const sharded = runTrialFast(x, options, { shardRows: 64 });
    const shardedPlain = runTrialFast(x, options, { shardRows: 64, algorithm: "lloyd" });
    assert.deepEqual(Array.from(sharded.centres.data), Array.from(shardedPlain.centres.data));
    assert.equal(sharded.inertia, shardedPlain.inertia);
    const fast = runTrialFast(x, options);
    const plain = runTrial(x, options);
    assert.deepEqual(Array.from(fast.centres.data), Array.from(plain.centres.data));
    assert.equal(fast.inertia, plain.inertia);
    assert.equal(fast.iterations, plain.iterations);
  });
});

describe("shard-sum reuse (a bounded pass re-sums only the shards where a row moved)", () => {
  // Two tight, far-apart groups fill most shards; a thin bridge of rows between them, all in the last
  // shards, keeps changing cluster as the centres walk, so later passes mix reused and re-summed shards.
  function bridged(): ReturnType<typeof matrix> {
    const rng = createRng(99);
    const rows: number[] = [];
    for (let i = 0; i < 600; i++) {
      const side = i % 2 === 0 ? 0 : 10;
      rows.push(side + rng.nextFloat() * 0.5, rng.nextFloat() * 0.5);
    }
    for (let i = 0; i < 40; i++) rows.push(3 + (4 * i) / 39, 0.25 + rng.nextFloat() * 0.1);
    return matrix(rows.length / 2, 2, Float64Array.from(rows));
  }

  for (const threads of [1, 2]) {
    test(`most shards unchanged: every iteration and the result identical to plain Lloyd (${threads} thread(s))`, () => {
      const x = bridged();
      const initial = matrix(2, 2, Float64Array.of(0, 0, 1, 0));
      const trace = (algorithm: "hamerly" | "lloyd") => {
        const log: number[] = [];
        const inertias: (number | undefined)[] = [];
        const r = runTrialFast(
          x,
          {
            initial,
            maxIterations: 50,
            tolerance: 0,
            onIteration: (e) => {
              log.push(e.moved, e.centreShift, e.relocated);
              inertias.push(e.inertia);
            },
          },
          // The JavaScript passes, whose reuse this is: a WebAssembly pass may search every row instead
          // (hamerly.ts, wasmPass), and then knows that pass's inertia too.
          { algorithm, shardRows: 16, threads, kernels: "js" },
        );
        return { r, log, inertias };
      };
      const h = trace("hamerly");
      const l = trace("lloyd");
      assert.ok(h.r.iterations > 3);
      assert.deepEqual(h.log, l.log);
      // Plain Lloyd knows every pass's inertia; Hamerly only its first pass's (the bounded ones skip rows).
      assert.ok(l.inertias.every((v) => v !== undefined));
      assert.equal(h.inertias[0], l.inertias[0]);
      assert.ok(h.inertias.slice(1).every((v) => v === undefined));
      assert.deepEqual(h.r.centres.data, l.r.centres.data);
      assert.equal(h.r.inertia, l.r.inertia);
      assert.deepEqual(h.r.sizes, l.r.sizes);
    });
  }
});
