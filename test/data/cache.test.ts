/**
 * The download cache against a real s3rver: the first fetch downloads, a second with the same ETag only
 * asks for the ETag, a changed object is downloaded again (and the old copy removed), and an unreachable
 * remote falls back to the cached copy with a warning. Local paths resolve to themselves.
 * @module
 */
import assert from "node:assert/strict";
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { after, before, describe, test } from "node:test";
import { cacheDir, fetchToCache } from "../../src/data/cache.js";
import type { ObjectInfo, ObjectStore, PutBody } from "../../src/data/sources/object-store.js";
import { S3Store } from "../../src/data/sources/s3.js";
import { isStrataError } from "../../src/errors.js";
import { MemoryLogger } from "../../src/util/logger.js";
import { type RunningS3rver, startS3rver } from "./s3rver-helper.js";

/** Wraps a store and counts its calls, so a test can see that no GET happened. */
class CountingStore implements ObjectStore {
  readonly scheme: string;
  stats = 0;
  gets = 0;
  constructor(private readonly inner: ObjectStore) {
    this.scheme = inner.scheme;
  }
  stat(uri: string): Promise<ObjectInfo> {
    this.stats++;
    return this.inner.stat(uri);
  }
  getBytes(uri: string): Promise<Uint8Array> {
    this.gets++;
    return this.inner.getBytes(uri);
  }
  getToFile(uri: string, path: string): Promise<ObjectInfo> {
    this.gets++;
    return this.inner.getToFile(uri, path);
  }
  put(uri: string, body: PutBody): Promise<ObjectInfo> {
    return this.inner.put(uri, body);
  }
  list(prefix: string): Promise<ObjectInfo[]> {
    return this.inner.list(prefix);
  }
  delete(uri: string): Promise<void> {
    return this.inner.delete(uri);
  }
}

describe("fetchToCache", () => {
  let server: RunningS3rver;
  let home: string;
  const uri = "s3://strata-cache/datasets/Census Data.csv";
  before(async () => {
    server = await startS3rver(["strata-cache"]);
    home = await mkdtemp(join(tmpdir(), "strata-home-"));
  });
  after(async () => {
    await server.stop();
    await rm(home, { recursive: true, force: true });
  });

  test("downloads once, reuses the copy while the ETag matches, re-downloads when it changes", async () => {
    const s3 = new S3Store({ env: server.env });
    await s3.put(uri, new TextEncoder().encode("a,b\n1,2\n"));
    const store = new CountingStore(s3);

    const first = await fetchToCache(uri, { store, home });
    assert.equal(first.status, "downloaded");
    assert.equal(store.gets, 1);
    assert.equal(await readFile(first.path, "utf8"), "a,b\n1,2\n");
    assert.ok(first.path.startsWith(cacheDir(home)));
    assert.match(basename(first.path), /^Census_Data-[0-9a-f]{12}-[0-9a-f]{12}\.csv$/);

    const second = await fetchToCache(uri, { store, home });
    assert.deepEqual([second.status, second.path, store.gets, store.stats], ["cached", first.path, 1, 2]);

    await s3.put(uri, new TextEncoder().encode("a,b\n3,4\n5,6\n"));
    const third = await fetchToCache(uri, { store, home });
    assert.equal(third.status, "downloaded");
    assert.equal(store.gets, 2);
    assert.notEqual(third.path, first.path);
    assert.equal(await readFile(third.path, "utf8"), "a,b\n3,4\n5,6\n");
    assert.deepEqual(
      await readdir(cacheDir(home)),
      [basename(third.path)],
      "old version removed, no temp files",
    );
  });

  test("an unreachable remote falls back to the cached copy and logs a warning", async () => {
    const s3 = new S3Store({ env: server.env });
    await s3.put(uri, new TextEncoder().encode("a,b\n7,8\n"));
    const fresh = await fetchToCache(uri, { store: s3, home });
    const logger = new MemoryLogger();
    const offline = new S3Store({ endpoint: "http://127.0.0.1:1", credentials: "anonymous", maxAttempts: 1 });
    const stale = await fetchToCache(uri, { store: offline, home, logger });
    assert.deepEqual([stale.status, stale.path], ["stale", fresh.path]);
    assert.equal(logger.events.length, 1);
    assert.equal(logger.events[0]!.level, "warn");
    assert.match(logger.events[0]!.message, /Could not reach .*Census Data\.csv; using the copy cached at/);
  });

  test("an unreachable remote with nothing cached fails with SOURCE_UNREACHABLE", async () => {
    const offline = new S3Store({ endpoint: "http://127.0.0.1:1", credentials: "anonymous", maxAttempts: 1 });
    await assert.rejects(fetchToCache("s3://strata-cache/never-fetched.csv", { store: offline, home }), (e) =>
      isStrataError(e, "SOURCE_UNREACHABLE"),
    );
  });

  test("a missing key is KEY_NOT_FOUND, not a stale copy", async () => {
    await assert.rejects(
      fetchToCache("s3://strata-cache/absent.csv", { s3: { env: server.env }, home }),
      (e) => isStrataError(e, "KEY_NOT_FOUND") && e.message.includes("absent.csv"),
    );
  });

  test("local paths resolve to themselves; a missing one names its absolute path", async () => {
    const dir = await mkdtemp(join(tmpdir(), "strata-local-"));
    try {
      const r = await fetchToCache(join(dir, ".."), { home }).catch((e: unknown) => e);
      assert.ok(isStrataError(r, "SOURCE_NOT_FOUND"), "a directory is not a data file");
      await assert.rejects(fetchToCache("no/such/file.csv", { home }), (e) => {
        assert.ok(isStrataError(e, "SOURCE_NOT_FOUND"));
        assert.ok(e.message.includes(join(process.cwd(), "no/such/file.csv")), e.message);
        return true;
      });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
