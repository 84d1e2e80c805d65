/**
 * The WebAssembly row loops (wasm-kernels.ts, wasm-workspace.ts) against the JavaScript ones and plain
 * Lloyd: the same centres, inertia, iterations and sizes, bit for bit — on random data with ties and odd
 * shard sizes (fast-check), across thread counts, and at scales where float32 bounds stop fitting. The
 * k-means++ pass (init/wasm-seed.ts) against plus-plus-shards.ts' JavaScript pass: the same D(x)² and
 * potentials, bit for bit, and so the same seeds.
 * @module
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import fc from "fast-check";
import { runTrialFast } from "../../src/kmeans/engine.js";
import { initKMeansPlusPlus } from "../../src/kmeans/init/kmeans-plus-plus.js";
import { seedShard } from "../../src/kmeans/init/plus-plus-shards.js";
import { WasmSeedPasses } from "../../src/kmeans/init/wasm-seed.js";
import { runTrial } from "../../src/kmeans/trial.js";
import { type Matrix, matrix } from "../../src/linalg/matrix.js";
import { createRng } from "../../src/linalg/rng.js";

const RUNS = { numRuns: 60, seed: 20261202 };

const value = fc.oneof(
  fc.integer({ min: -12, max: 12 }).map((v) => v / 4),
  fc.double({ min: -50, max: 50, noNaN: true }),
);

const dataset = fc
  .record({ n: fc.integer({ min: 2, max: 70 }), d: fc.integer({ min: 1, max: 6 }) })
  .chain(({ n, d }) =>
    fc.record({
      x: fc
        .array(value, { minLength: n * d, maxLength: n * d })
        .map((v) => matrix(n, d, Float64Array.from(v))),
      k: fc.integer({ min: 2, max: Math.min(n, 7) }),
      seed: fc.nat(),
      shardRows: fc.integer({ min: 1, max: 17 }),
    }),
  );

function blobs(n: number, d: number, seed: number, scale = 1): Matrix {
  const rng = createRng(seed);
  const x = matrix(n, d);
  for (let i = 0; i < n; i++) {
    const blob = i % 7;
    for (let t = 0; t < d; t++) x.data[i * d + t] = scale * (rng.nextGaussian() + 3 * ((blob * (t + 1)) % 5));
  }
  return x;
}

function assertSame(a: ReturnType<typeof runTrialFast>, b: ReturnType<typeof runTrialFast>): void {
  assert.deepEqual(Array.from(a.centres.data), Array.from(b.centres.data));
  assert.ok(Object.is(a.inertia, b.inertia), `inertia ${a.inertia} vs ${b.inertia}`);
  assert.equal(a.iterations, b.iterations);
  assert.deepEqual(a.sizes, b.sizes);
}

describe("WebAssembly row loops give the JavaScript loops' answer, bit for bit", () => {
  test("k-means++ pass: the same D(x)² and shard potentials as the JavaScript pass, weighted or not (fast-check)", () => {
    fc.assert(
      fc.property(dataset, fc.boolean(), fc.nat(), fc.nat(), ({ x, shardRows }, weighted, a, b) => {
        const n = x.rows;
        const weights = weighted
          ? Float64Array.from({ length: n }, (_, i) => 0.25 + ((i * 7) % 5))
          : undefined;
        const wasm = WasmSeedPasses.create(x, weights)!;
        const numShards = Math.ceil(n / shardRows);
        const [closest, , scratch] = wasm.rows;
        const jsClosest = new Float64Array(n);
        const jsScratch = new Float64Array(n);
        const jsPot = new Float64Array(numShards);
        const pot = new Float64Array(numShards);
        for (const [candidate, first] of [
          [a % n, true],
          [b % n, false],
        ] as const) {
          wasm.pass(candidate, first, closest, scratch, pot, shardRows);
          const args = { data: x.data, rows: n, cols: x.cols, shardRows, candidate, first, weights };
          for (let s = 0; s < numShards; s++)
            seedShard({ ...args, closest: jsClosest, scratch: jsScratch, potentials: jsPot }, s);
          assert.deepEqual(Array.from(scratch), Array.from(jsScratch));
          assert.ok(
            jsPot.every((p, s) => Object.is(p, pot[s])),
            `potentials ${jsPot} vs ${pot}`,
          );
          closest.set(scratch);
          jsClosest.set(jsScratch);
        }
      }),
      RUNS,
    );
  });

  test("k-means++ seeds: the same rows drawn with either pass, weighted or not (fast-check)", () => {
    fc.assert(
      fc.property(dataset, fc.boolean(), ({ x, k, seed, shardRows }, weighted) => {
        const weights = weighted ? Float64Array.from({ length: x.rows }, (_, i) => 1 + (i % 3)) : undefined;
        const seeds = (kernels: "js" | "wasm") =>
          Array.from(initKMeansPlusPlus(x, k, createRng(seed), { kernels, shardRows, weights }).rows);
        assert.deepEqual(seeds("wasm"), seeds("js"));
      }),
      RUNS,
    );
  });

  test("random data, odd shard sizes: wasm Hamerly = JS Hamerly = JS plain Lloyd (fast-check)", () => {
    fc.assert(
      fc.property(dataset, ({ x, k, seed, shardRows }) => {
        const { centres: initial } = initKMeansPlusPlus(x, k, createRng(seed));
        const options = { initial, maxIterations: 40, tolerance: 0 };
        const wasm = runTrialFast(x, options, { kernels: "wasm", shardRows });
        const js = runTrialFast(x, options, { kernels: "js", shardRows });
        const plain = runTrialFast(x, options, { kernels: "js", algorithm: "lloyd", shardRows });
        const wasmPlain = runTrialFast(x, options, { kernels: "wasm", algorithm: "lloyd", shardRows });
        assertSame(wasm, js);
        assertSame(wasm, plain);
        assertSame(wasmPlain, plain);
      }),
      RUNS,
    );
  });

  test("one shard: wasm equals trial.ts's plain runTrial (fast-check)", () => {
    fc.assert(
      fc.property(dataset, ({ x, k, seed }) => {
        const { centres: initial } = initKMeansPlusPlus(x, k, createRng(seed));
        const options = { initial, maxIterations: 40, tolerance: 0 };
        const fast = runTrialFast(x, options, { kernels: "wasm" });
        const plain = runTrial(x, options);
        assert.deepEqual(Array.from(fast.centres.data), Array.from(plain.centres.data));
        assert.ok(Object.is(fast.inertia, plain.inertia));
        assert.equal(fast.iterations, plain.iterations);
      }),
      RUNS,
    );
  });

  for (const threads of [1, 2]) {
    test(`20,001 overlapping rows, 5 dims, k = 7, ${threads} thread(s): the same model in both languages`, () => {
      const x = blobs(20_001, 5, 7);
      const initial = matrix(7, 5, x.data.slice(0, 35));
      const options = { initial, maxIterations: 60, tolerance: 0 };
      const engine = { threads, shardRows: 1024 };
      const wasm = runTrialFast(x, options, { ...engine, kernels: "wasm" });
      const js = runTrialFast(x, options, { ...engine, kernels: "js" });
      const plain = runTrialFast(x, options, { ...engine, kernels: "js", algorithm: "lloyd" });
      assert.ok(wasm.iterations > 5, `${wasm.iterations} iterations`);
      assertSame(wasm, js);
      assertSame(wasm, plain);
    });
  }

  test("k = 3, then 5, then 3 again on the same data (the cached workspace is laid out per k): plain Lloyd's answer each time", () => {
    const x = blobs(3000, 4, 9);
    for (const k of [3, 5, 3]) {
      const initial = matrix(k, 4, x.data.slice(0, 4 * k));
      const options = { initial, maxIterations: 30, tolerance: 0 };
      assertSame(
        runTrialFast(x, options, { kernels: "wasm", shardRows: 500 }),
        runTrialFast(x, options, { kernels: "js", shardRows: 500, algorithm: "lloyd" }),
      );
    }
  });

  test("a starting centre far outside the data (1e100): bounds off, still plain Lloyd's answer", () => {
    // Distances to it exceed float32's range, so a float32 lower bound would become +Infinity and the
    // rows near where that (empty, relocated) centre lands would never be searched again.
    const x = blobs(2000, 3, 6);
    const initial = matrix(2, 3, x.data.slice(0, 6));
    initial.data[3] = 1e100;
    const options = { initial, maxIterations: 40, tolerance: 0 };
    const plain = runTrialFast(x, options, { kernels: "js", algorithm: "lloyd", shardRows: 300 });
    for (const kernels of ["wasm", "js"] as const) {
      assertSame(runTrialFast(x, options, { kernels, shardRows: 300 }), plain);
    }
  });

  for (const [label, scale] of [
    ["huge values (float32 bounds would overflow: plain Lloyd runs)", 1e36],
    ["tiny values (bounds below float32's normal range)", 1e-41],
  ] as const) {
    test(`${label}: still plain Lloyd's answer`, () => {
      const x = blobs(2000, 3, 5, scale);
      const initial = matrix(4, 3, x.data.slice(0, 12));
      const options = { initial, maxIterations: 40, tolerance: 0 };
      const plain = runTrialFast(x, options, { kernels: "js", algorithm: "lloyd", shardRows: 300 });
      for (const kernels of ["wasm", "js"] as const) {
        assertSame(runTrialFast(x, options, { kernels, shardRows: 300 }), plain);
      }
    });
  }
});
