/**
 * The ObjectStore contract: one suite that every store implementation must pass (file, S3 via s3rver, and
 * any later one). Each store's test file calls `objectStoreContract` with a fixture factory; the suite
 * writes only under the fixture's base URI.
 * @module
 */
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import type { ObjectStore } from "../../src/data/sources/object-store.js";
import { type ErrorCode, isStrataError } from "../../src/errors.js";

export interface ObjectStoreFixture {
  readonly store: ObjectStore;
  /** A URI prefix ending in "/" under which the suite may create objects. */
  readonly base: string;
  /** The code a missing object raises (SOURCE_NOT_FOUND on disk, KEY_NOT_FOUND on S3). */
  readonly missingObjectCode: ErrorCode;
  /** A URI inside a container (bucket) that does not exist, when the store has containers. */
  readonly missingContainerUri?: string;
  /** Bytes for the large-object test (above the store's multipart threshold, where it has one). */
  readonly largeBytes: number;
  /** How many multipart uploads the store has started, when it has them (the large put must start one). */
  readonly multipartUploads?: () => number;
  readonly teardown?: () => Promise<void>;
}

async function rejectsWith(p: Promise<unknown>, code: ErrorCode, mentions: string[]): Promise<void> {
  await assert.rejects(p, (e: unknown) => {
    assert.ok(isStrataError(e), `expected a StrataError, got ${String(e)}`);
    assert.equal(e.code, code, e.message);
    for (const m of mentions) assert.ok(e.message.includes(m), `message should mention ${m}: ${e.message}`);
    return true;
  });
}

/** Registers the contract tests for one store. */
export function objectStoreContract(name: string, setup: () => Promise<ObjectStoreFixture>): void {
  describe(`ObjectStore contract: ${name}`, () => {
    let fx: ObjectStoreFixture;
    let scratch: string;
    before(async () => {
      fx = await setup();
      scratch = await mkdtemp(join(tmpdir(), "strata-contract-"));
    });
    after(async () => {
      await fx.teardown?.();
      await rm(scratch, { recursive: true, force: true });
    });

    test("put bytes, then stat and getBytes return them", async () => {
      const uri = `${fx.base}round/hello.txt`;
      const put = await fx.store.put(uri, new TextEncoder().encode("hello strata"));
      assert.equal(put.size, 12);
      const info = await fx.store.stat(uri);
      assert.equal(info.uri, uri);
      assert.equal(info.size, 12);
      assert.ok(typeof info.etag === "string" && info.etag.length > 0, "etag is a non-empty string");
      assert.ok(info.lastModified instanceof Date && !Number.isNaN(info.lastModified.getTime()));
      assert.equal(new TextDecoder().decode(await fx.store.getBytes(uri)), "hello strata");
    });

    test("put from a local file, getToFile writes it atomically (no temp files left)", async () => {
      const src = join(scratch, "src.bin");
      const bytes = randomBytes(4096);
      await writeFile(src, bytes);
      const uri = `${fx.base}files/data.bin`;
      await fx.store.put(uri, { file: src });
      const out = join(scratch, "nested", "dir", "out.bin");
      const info = await fx.store.getToFile(uri, out);
      assert.equal(info.size, bytes.length);
      assert.deepEqual(await readFile(out), bytes);
      assert.deepEqual(await readdir(join(scratch, "nested", "dir")), ["out.bin"]);
    });

    test("overwriting an object changes its etag", async () => {
      const uri = `${fx.base}versions/v.txt`;
      const a = await fx.store.put(uri, new TextEncoder().encode("version one"));
      const b = await fx.store.put(uri, new TextEncoder().encode("version two"));
      assert.notEqual(a.etag, b.etag);
      assert.equal(new TextDecoder().decode(await fx.store.getBytes(uri)), "version two");
    });

    test("a large object round-trips (multipart where the store has it)", async () => {
      const uri = `${fx.base}large/blob.bin`;
      const bytes = randomBytes(fx.largeBytes);
      const before = fx.multipartUploads?.() ?? 0;
      const info = await fx.store.put(uri, bytes);
      assert.equal(info.size, bytes.length);
      if (fx.multipartUploads) assert.equal(fx.multipartUploads() - before, 1, "one multipart upload");
      const out = join(scratch, "large.bin");
      await fx.store.getToFile(uri, out);
      assert.ok((await readFile(out)).equals(bytes));
    });

    test("list returns every object under a prefix, sorted, and nothing else", async () => {
      for (const k of ["list/a/2.txt", "list/a/1.txt", "list/a/sub/3.txt", "list/ab.txt", "list/b/1.txt"]) {
        await fx.store.put(`${fx.base}${k}`, new TextEncoder().encode(k));
      }
      const underA = (await fx.store.list(`${fx.base}list/a/`)).map((e) => e.uri);
      assert.deepEqual(underA, [
        `${fx.base}list/a/1.txt`,
        `${fx.base}list/a/2.txt`,
        `${fx.base}list/a/sub/3.txt`,
      ]);
      const startsA = (await fx.store.list(`${fx.base}list/a`)).map((e) => e.uri);
      assert.deepEqual(startsA, [...underA, `${fx.base}list/ab.txt`]);
      const sizes = (await fx.store.list(`${fx.base}list/b/`)).map((e) => e.size);
      assert.deepEqual(sizes, ["list/b/1.txt".length]);
      assert.deepEqual(await fx.store.list(`${fx.base}list/none/`), []);
    });

    test("delete removes an object; deleting again is not an error", async () => {
      const uri = `${fx.base}del/x.txt`;
      await fx.store.put(uri, new TextEncoder().encode("x"));
      await fx.store.delete(uri);
      await rejectsWith(fx.store.stat(uri), fx.missingObjectCode, ["x.txt"]);
      await fx.store.delete(uri);
    });

    test("a missing object raises the store's not-found code naming it", async () => {
      const uri = `${fx.base}missing/nothing-here.csv`;
      await rejectsWith(fx.store.stat(uri), fx.missingObjectCode, ["nothing-here.csv"]);
      await rejectsWith(fx.store.getBytes(uri), fx.missingObjectCode, ["nothing-here.csv"]);
      await rejectsWith(fx.store.getToFile(uri, join(scratch, "never.csv")), fx.missingObjectCode, [
        "nothing-here.csv",
      ]);
      await assert.rejects(readFile(join(scratch, "never.csv")));
    });

    test("a missing container raises BUCKET_NOT_FOUND naming it", async (t) => {
      const uri = fx.missingContainerUri;
      if (uri === undefined) {
        t.skip("this store has no containers");
        return;
      }
      const bucket = /^s3:\/\/([^/]+)/.exec(uri)?.[1] ?? uri;
      await rejectsWith(fx.store.stat(uri), "BUCKET_NOT_FOUND", [bucket]);
      await rejectsWith(fx.store.getBytes(uri), "BUCKET_NOT_FOUND", [bucket]);
      await rejectsWith(fx.store.put(uri, new Uint8Array(1)), "BUCKET_NOT_FOUND", [bucket]);
      await rejectsWith(fx.store.list(uri), "BUCKET_NOT_FOUND", [bucket]);
    });
  });
}
