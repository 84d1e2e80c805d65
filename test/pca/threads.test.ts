/**
 * Threaded PCA statistics against single-threaded and against the one-pass `accumulate`: fixed row shards
 * merged with Chan et al.'s pairwise update in shard order give the same bits for any thread count, and
 * agree with one pass over all rows within 1e-12 (relative to the scatter's scale).
 * @module
 */
import assert from "node:assert/strict";
import { after, describe, test } from "node:test";
import { PARALLEL_MIN_VALUES } from "../../src/contract/choose-executor.js";
import { matrix } from "../../src/linalg/matrix.js";
import { createRng } from "../../src/linalg/rng.js";
import { shutdownPool } from "../../src/parallel/pool.js";
import { accumulate, emptyStats } from "../../src/pca/partial-stats.js";
import { PCA } from "../../src/pca/pca.js";
import { shardedStats } from "../../src/pca/scatter-shards.js";
import { expectClose } from "../helpers/expect-close.js";

after(() => shutdownPool());

function correlated(n: number, d: number, seed: number) {
  const rng = createRng(seed);
  const x = matrix(n, d);
  for (let i = 0; i < n; i++) {
    const z = rng.nextGaussian();
    for (let j = 0; j < d; j++) x.data[i * d + j] = 10 + j + z * (j + 1) + rng.nextGaussian();
  }
  return x;
}

describe("threaded PCA", () => {
  test("shard statistics are identical for 1, 2 and 3 threads and match one pass within 1e-12", () => {
    const x = correlated(7000, 9, 1);
    const runs = [1, 2, 3].map((threads) => shardedStats(x, { threads, shardRows: 600 }));
    assert.deepEqual(runs[1], runs[0]);
    assert.deepEqual(runs[2], runs[0]);
    const once = accumulate(emptyStats(9), x);
    assert.equal(runs[0]!.count, once.count);
    expectClose(runs[0]!.mean, once.mean, { rtol: 1e-12, atol: 1e-12 });
    const scale = Math.max(...once.scatter.map(Math.abs));
    expectClose(runs[0]!.scatter, once.scatter, { rtol: 1e-12, atol: 1e-12 * scale });
  });

  test("PCA.fit above the threading threshold: 2 threads within 1e-12 of 1 thread", () => {
    const d = 12;
    const x = correlated(Math.ceil(PARALLEL_MIN_VALUES / d) + 500, d, 2);
    const [one, two] = [1, 2].map((threads) => new PCA({ numComponents: 4 }).fit(x, { threads }));
    expectClose(two!.components.data, one!.components.data, { rtol: 1e-12, atol: 1e-12 });
    expectClose(two!.singularValues, one!.singularValues, { rtol: 1e-12, atol: 0 });
    expectClose(two!.mean, one!.mean, { rtol: 1e-12, atol: 0 });
  });

  test("one shard is bit-identical to accumulate(emptyStats(d), x)", () => {
    const x = correlated(300, 5, 3);
    assert.deepEqual(shardedStats(x, { threads: 2 }), accumulate(emptyStats(5), x));
  });
});
