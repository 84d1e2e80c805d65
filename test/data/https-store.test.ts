/**
 * The read-only HTTP(S) store against an in-process node:http server: HEAD gives size and ETag, a table
 * loads through the cache (downloaded once while the ETag holds), a 404 is SOURCE_NOT_FOUND, and writes are
 * refused as UNSUPPORTED_SOURCE.
 * @module
 */
import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { fetchToCache } from "../../src/data/cache.js";
import { loadTable } from "../../src/data/load.js";
import { HttpsStore } from "../../src/data/sources/https.js";
import { isStrataError } from "../../src/errors.js";

const BODY = "State,County,Pop\r\nOhio,Adams,10\r\nOhio,Allen,\r\n";

describe("HttpsStore", () => {
  let server: Server;
  let base: string;
  let home: string;
  let gets = 0;
  before(async () => {
    home = await mkdtemp(join(tmpdir(), "strata-home-"));
    server = createServer((req, res) => {
      if (req.url !== "/data/counties.csv") {
        res.writeHead(404).end();
        return;
      }
      if (req.method === "GET") gets++;
      res.writeHead(200, {
        "content-type": "text/csv",
        "content-length": Buffer.byteLength(BODY),
        etag: '"v1"',
      });
      res.end(req.method === "HEAD" ? undefined : BODY);
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(async () => {
    await new Promise((r) => server.close(r));
    await rm(home, { recursive: true, force: true });
  });

  test("stat reports size and ETag; a missing URL is SOURCE_NOT_FOUND naming it", async () => {
    const store = new HttpsStore();
    const info = await store.stat(`${base}/data/counties.csv`);
    assert.deepEqual([info.size, info.etag], [Buffer.byteLength(BODY), '"v1"']);
    await assert.rejects(
      store.stat(`${base}/nope.csv`),
      (e: unknown) => isStrataError(e, "SOURCE_NOT_FOUND") && e.message.includes("/nope.csv"),
    );
  });

  test("loadTable reads through the cache and downloads once while the ETag holds", async () => {
    const uri = `${base}/data/counties.csv`;
    const frame = await loadTable(uri, { home });
    assert.deepEqual(frame.stringColumn("County"), ["Adams", "Allen"]);
    assert.deepEqual([...frame.column("Pop")], [10, Number.NaN]);
    const again = await fetchToCache(uri, { home });
    assert.equal(again.status, "cached");
    assert.equal(gets, 1);
  });

  test("writes, listing and deletes are UNSUPPORTED_SOURCE", async () => {
    const store = new HttpsStore();
    const uri = `${base}/data/x.csv`;
    for (const p of [store.put(uri), store.list(uri), store.delete(uri)]) {
      await assert.rejects(
        p,
        (e: unknown) => isStrataError(e, "UNSUPPORTED_SOURCE") && e.message.includes("read-only"),
      );
    }
  });
});
