/**
 * What crosses a cluster's Redis: values round-trip bit for bit through V8 serialization in base64 (property
 * test, seeded); algorithm refs travel as module paths and resolve only to the modules that hold the
 * contract's algorithms (a task naming any other module is refused before anything is imported); a Redis URL
 * is parsed or refused naming the flag, its password never echoed; an unreachable Redis is named at once.
 * @module
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import fc from "fast-check";
import { redactedUrl, redisOptions } from "../../src/cluster/redis-url.js";
import { decodeValue, encodeValue, localRef, portableRef } from "../../src/cluster/shard-codec.js";
import { LLOYD_ROUNDS_REF } from "../../src/kmeans/lloyd-rounds.js";
import { RANDOMIZED_PCA_REF } from "../../src/pca/randomized.js";
import { MIN_MAX_STATS_REF } from "../../src/preprocess/scaler-stats.js";
import { runCli } from "../helpers/cli.js";
import { freePort } from "../helpers/redis.js";

describe("shard codec", () => {
  test("states and partials (typed arrays in nested objects) come back bit for bit", () => {
    fc.assert(
      fc.property(
        fc.array(fc.double(), { maxLength: 64 }),
        fc.array(fc.integer(), { maxLength: 16 }),
        fc.string(),
        (values, counts, name) => {
          const value = {
            centres: Float64Array.from(values),
            sizes: Int32Array.from(counts),
            name,
            nested: [{ n: counts.length }],
          };
          const back = decodeValue<typeof value>(encodeValue(value));
          // Bit for bit: the bytes of the doubles (NaN payloads and -0 included).
          const bytes = (a: Float64Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength);
          assert.ok(bytes(back.centres).equals(bytes(value.centres)));
          assert.deepEqual(back.sizes, value.sizes);
          assert.equal(back.name, name);
          assert.deepEqual(back.nested, value.nested);
        },
      ),
      { seed: 16, numRuns: 200 },
    );
  });

  test("algorithm refs travel as module paths and resolve to the same module here", () => {
    for (const ref of [MIN_MAX_STATS_REF, LLOYD_ROUNDS_REF, RANDOMIZED_PCA_REF]) {
      const portable = portableRef(ref);
      assert.doesNotMatch(portable.path, /^\/|\.(ts|js)$|file:/);
      assert.deepEqual(localRef(portable), ref);
    }
  });

  test("a task naming a module that holds no algorithm of the contract is refused", () => {
    for (const path of [
      "cli/main",
      "parallel/worker-entry",
      "../../etc/passwd",
      "pca/pca-rounds/../../cli/main",
    ])
      assert.throws(
        () => localRef({ path, name: "main" }),
        (e: Error & { code?: string }) =>
          e.code === "INVALID_ARGUMENT" && e.message.includes("not a module of Strata"),
      );
  });
});

describe("a cluster's Redis URL", () => {
  test("redis:// and rediss:// with user, password and db; anything else refused naming the flag, password hidden", () => {
    assert.deepEqual(redisOptions("redis://u:p%40ss@10.0.0.5:6380/2", "--redis"), {
      host: "10.0.0.5",
      port: 6380,
      db: 2,
      username: "u",
      password: "p@ss",
      maxRetriesPerRequest: null,
    });
    assert.deepEqual(redisOptions("rediss://h", "--cluster").tls, { servername: "h" });
    assert.throws(
      () => redisOptions("http://:secret@h:1", "--cluster"),
      (e: Error & { code?: string }) =>
        e.code === "INVALID_ARGUMENT" && e.message.startsWith("--cluster ") && !e.message.includes("secret"),
    );
    assert.equal(redactedUrl("redis://:secret@h:1"), "redis://:***@h:1");
  });

  test("strata workers on a port where no Redis listens fails at once, naming the cluster", async () => {
    const port = await freePort();
    const r = await runCli(["workers", "--redis", `redis://:hunter2@127.0.0.1:${port}`]);
    assert.equal(r.code, 1, r.stderr);
    assert.ok(
      r.stderr.includes(`Cannot reach the cluster's Redis at redis://:***@127.0.0.1:${port}`),
      r.stderr,
    );
    assert.doesNotMatch(r.stderr, /hunter2/);
  });
});
