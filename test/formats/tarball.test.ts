import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, test } from "node:test";
import { gunzipSync, gzipSync } from "node:zlib";
import fc from "fast-check";
import { extract, type Header, pack } from "tar-stream";

type Headers = Partial<Header> & { name: string };

import { packTarGz, readModelAlgoFile, unpackTarGz } from "../../src/formats/tarball.js";
import { sagemakerKMeansArtifactDir } from "../helpers/census.js";
import { rejectsStrataError } from "./bytes.js";

/** A tar.gz written by tar-stream directly, bypassing packTarGz's name checks (hostile archives). */
async function rawTarGz(entries: { header: Headers; body?: string }[]): Promise<Uint8Array> {
  const p = pack();
  const chunks: Buffer[] = [];
  const done = (async () => {
    for await (const c of p) chunks.push(c as Buffer);
  })();
  for (const { header, body } of entries) p.entry(header, body ?? "");
  p.finalize();
  await done;
  return gzipSync(Buffer.concat(chunks));
}

async function headers(tarGz: Uint8Array): Promise<Headers[]> {
  const ex = extract();
  ex.end(gunzipSync(tarGz));
  const out: Headers[] = [];
  for await (const entry of ex) {
    out.push(entry.header);
    entry.resume();
  }
  return out;
}

describe("model.tar.gz", () => {
  test("the real SageMaker artifact holds model_algo-1 only", async () => {
    const entries = await unpackTarGz(readFileSync(join(sagemakerKMeansArtifactDir(), "model.tar.gz")));
    assert.deepEqual(
      entries.map((e) => [e.name, e.bytes.length]),
      [["model_algo-1", 296]],
    );
  });

  test("packs files at the root with uid/gid 0, mode 0644 and a fixed mtime, reproducibly", async () => {
    const entries = [
      { name: "model_algo-1", bytes: Uint8Array.from([1, 2, 3]) },
      { name: "state_5f0c", bytes: new Uint8Array(0) },
    ];
    const a = await packTarGz(entries);
    assert.deepEqual(a, await packTarGz(entries), "same input, same bytes");
    const hs = await headers(a);
    assert.deepEqual(
      hs.map((h) => [h.name, h.uid, h.gid, h.mode, h.mtime?.getTime(), h.type, h.size]),
      [
        ["model_algo-1", 0, 0, 0o644, 0, "file", 3],
        ["state_5f0c", 0, 0, 0o644, 0, "file", 0],
      ],
    );
    const when = new Date("2021-04-16T16:52:37Z");
    assert.equal(
      (await headers(await packTarGz(entries, { mtime: when })))[0]!.mtime?.getTime(),
      when.getTime(),
    );
    assert.deepEqual(await unpackTarGz(a), entries);
  });

  test("random file sets round-trip", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.uniqueArray(
          fc.record({
            name: fc
              .stringMatching(/^[a-z0-9_.-]{1,40}$/)
              .filter((n) => n !== "." && n !== ".." && !n.startsWith("./")),
            bytes: fc.uint8Array({ maxLength: 2000 }),
          }),
          { selector: (e) => e.name, maxLength: 4 },
        ),
        async (entries) => {
          const plain = entries.map((e) => ({ ...e }));
          assert.deepEqual(await unpackTarGz(await packTarGz(plain)), plain);
        },
      ),
      { numRuns: 40 },
    );
  });

  test("small and large archives (compressed on this thread and off it) are zlib's level 9 of their tar", async () => {
    for (const size of [100, 200_000]) {
      // Bytes that compress, so the tar past 64 KiB stays past it.
      const bytes = Uint8Array.from({ length: size }, (_, i) => (i * 7919) % 251);
      const packed = await packTarGz([{ name: "model_algo-1", bytes }]);
      const tar = gunzipSync(packed);
      assert.ok(size < 1000 ? tar.length <= 64 * 1024 : tar.length > 64 * 1024, `tar of ${tar.length} bytes`);
      assert.deepEqual(packed, new Uint8Array(gzipSync(tar, { level: 9 })), `${size} bytes`);
    }
  });

  test("readModelAlgoFile finds model_algo-1 or says what the archive holds", async () => {
    const tgz = await packTarGz([{ name: "state_1", bytes: new Uint8Array(1) }]);
    await rejectsStrataError(
      readModelAlgoFile(tgz),
      "ARTIFACT_INVALID",
      /model.tar.gz has entries \[state_1\]; expected model_algo-1\./,
    );
    assert.deepEqual(await readModelAlgoFile(tgz, { name: "state_1" }), new Uint8Array(1));
  });

  test("strips ./ prefixes and skips directory entries (tar -C dir .)", async () => {
    const tgz = await rawTarGz([
      { header: { name: "./", type: "directory" } },
      { header: { name: "./model_algo-1" }, body: "xy" },
    ]);
    assert.deepEqual(await unpackTarGz(tgz), [
      { name: "model_algo-1", bytes: Uint8Array.from([0x78, 0x79]) },
    ]);
  });
});

describe("hostile or broken archives raise FORMAT_ERROR", () => {
  test("not gzip, corrupt gzip, gzip of something that is not tar", async () => {
    await rejectsStrataError(
      unpackTarGz(Uint8Array.from([0x50, 0x4b, 3, 4])),
      "FORMAT_ERROR",
      /not gzip data: found 50 4b at offset 0; expected 1f 8b\./,
    );
    const tgz = await packTarGz([{ name: "a", bytes: new Uint8Array(100) }]);
    await rejectsStrataError(
      unpackTarGz(tgz.subarray(0, tgz.length - 10)),
      "FORMAT_ERROR",
      /corrupt gzip data/,
    );
    await rejectsStrataError(
      unpackTarGz(gzipSync(Buffer.alloc(1024, 7))),
      "FORMAT_ERROR",
      /corrupt tar data \(Invalid tar header/,
    );
    await rejectsStrataError(unpackTarGz(new Uint8Array(0)), "FORMAT_ERROR", /found nothing/);
  });

  test("path traversal, absolute names, links and duplicates", async () => {
    for (const name of ["../x", "a/../../x", "/etc/passwd", "C:\\x"]) {
      await rejectsStrataError(
        unpackTarGz(await rawTarGz([{ header: { name } }])),
        "FORMAT_ERROR",
        /is absolute or leaves the archive root/,
      );
    }
    const link = await rawTarGz([
      { header: { name: "model_algo-1", type: "symlink", linkname: "/etc/passwd" } },
    ]);
    await rejectsStrataError(unpackTarGz(link), "FORMAT_ERROR", /is a symlink; expected regular files only/);
    const dup = await rawTarGz([
      { header: { name: "a" }, body: "1" },
      { header: { name: "./a" }, body: "2" },
    ]);
    await rejectsStrataError(unpackTarGz(dup), "FORMAT_ERROR", /is empty or a duplicate/);
    await rejectsStrataError(packTarGz([{ name: "../x", bytes: new Uint8Array(0) }]), "INVALID_ARGUMENT");
  });

  test("entry, total and decompressed size limits (a gzip bomb stops at the limit)", async () => {
    const tgz = await packTarGz([
      { name: "a", bytes: new Uint8Array(3000) },
      { name: "b", bytes: new Uint8Array(3000) },
    ]);
    await rejectsStrataError(
      unpackTarGz(tgz, { maxEntryBytes: 2999 }),
      "FORMAT_ERROR",
      /entry "a" of 3000 bytes exceeds/,
    );
    await rejectsStrataError(
      unpackTarGz(tgz, { maxTotalBytes: 5000 }),
      "FORMAT_ERROR",
      /entry "b" of 3000 bytes exceeds/,
    );
    await rejectsStrataError(unpackTarGz(tgz, { maxEntries: 1 }), "FORMAT_ERROR", /more than 1 entries/);
    const bomb = gzipSync(Buffer.alloc(64 * 1024 * 1024));
    assert.ok(bomb.length < 100_000);
    await rejectsStrataError(
      unpackTarGz(bomb, { maxTotalBytes: 1024 * 1024, maxEntries: 10 }),
      "FORMAT_ERROR",
      /decompresses to more than/,
    );
  });
});
