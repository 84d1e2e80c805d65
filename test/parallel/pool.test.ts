/**
 * The worker pool (src/parallel/pool.ts): shards are all done exactly once, with the same bits whoever takes
 * them; a process that used the pool exits without shutting it down (idle workers are unref'd); and
 * `shutdownPool` stops the workers.
 * @module
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { resolve } from "node:path";
import { describe, test } from "node:test";
import { matrix } from "../../src/linalg/matrix.js";
import { resolveThreads, runSharded, sharedPool, shutdownPool } from "../../src/parallel/pool.js";
import { sharedFloat64 } from "../../src/parallel/shared.js";
import { type ScatterShardArgs, scatterShard } from "../../src/pca/scatter-shards.js";
import { PROJECT_ROOT } from "../helpers/census.js";

/** The kernel as its module names it: the workers import that module and look the name up. */
const SCATTER = {
  module: new URL("../../src/pca/scatter-shards.ts", import.meta.url).href,
  name: "scatterShard",
};

function args(rows: number, d: number, shardRows: number): ScatterShardArgs {
  const data = sharedFloat64(rows * d);
  for (let i = 0; i < data.length; i++) data[i] = Math.sin(i);
  const numShards = Math.ceil(rows / shardRows);
  return { data, rows, cols: d, shardRows, out: sharedFloat64(numShards * (1 + d + d * d)) };
}

describe("worker pool", () => {
  test("every shard is computed once, with the same bits as on the caller alone", async () => {
    const a = args(20_000, 6, 500);
    const b = { ...a, out: sharedFloat64(a.out.length) };
    const numShards = Math.ceil(a.rows / a.shardRows);
    runSharded(SCATTER, scatterShard, a, numShards, 1);
    sharedPool(2);
    await new Promise((r) => setTimeout(r, 100)); // let a worker start, so it takes part
    for (let rep = 0; rep < 5; rep++) {
      b.out.fill(0);
      runSharded(SCATTER, scatterShard, b, numShards, 2);
      assert.deepEqual(b.out, a.out);
    }
    await shutdownPool();
  });

  test("callerWaits: same bits as the caller alone, on a cold pool and on a warm one", async () => {
    await shutdownPool();
    const a = args(20_000, 6, 500);
    const numShards = Math.ceil(a.rows / a.shardRows);
    runSharded(SCATTER, scatterShard, a, numShards, 1);
    const b = { ...a, out: sharedFloat64(a.out.length) };
    // Cold: the workers are still booting, so the caller must take the shards itself (no hang).
    runSharded(SCATTER, scatterShard, b, numShards, 2, { callerWaits: true });
    assert.deepEqual(b.out, a.out);
    const pool = sharedPool(2, { callerWaits: true });
    assert.equal(pool.numWorkers, 2);
    await pool.ready();
    for (let rep = 0; rep < 5; rep++) {
      b.out.fill(0);
      runSharded(SCATTER, scatterShard, b, numShards, 2, { callerWaits: true });
      assert.deepEqual(b.out, a.out);
    }
    await shutdownPool();
  });

  test("resolveThreads rejects 0 and fractions, defaults to a positive count", () => {
    assert.ok(resolveThreads(undefined) >= 1);
    assert.equal(resolveThreads(3), 3);
    assert.throws(() => resolveThreads(0), /threads=0 is invalid/);
    assert.throws(() => resolveThreads(1.5), /threads=1.5 is invalid/);
    assert.equal(matrix(300, 300).data.buffer instanceof SharedArrayBuffer, true);
  });

  test("a process that used the pool exits by itself, and shutdownPool stops it cleanly", () => {
    const script = `
      import { sharedPool, shutdownPool } from "./src/parallel/pool.ts";
      import { PCA } from "./src/pca/pca.ts";
      import { matrix } from "./src/linalg/matrix.ts";
      const x = matrix(70000, 16);
      for (let i = 0; i < x.data.length; i++) x.data[i] = Math.sin(i * 0.37);
      sharedPool(2);
      await new Promise((r) => setTimeout(r, 200));
      new PCA({ numComponents: 2 }).fit(x, { threads: 2 });
      if (process.argv[1] === "close") await shutdownPool();
      console.log("done");`;
    for (const mode of ["leave", "close"]) {
      const r = spawnSync(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script, mode], {
        cwd: resolve(PROJECT_ROOT),
        encoding: "utf8",
        timeout: 60_000,
      });
      assert.equal(r.status, 0, r.stderr);
      assert.match(r.stdout, /done/);
    }
  });
});
