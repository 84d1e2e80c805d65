/**
 * Large partials around Redis (src/cluster/partial-store.ts): written and read back bit for bit, deleted once
 * read; a result that names another file, or bytes that are not the ones written, is refused and nothing is
 * read or deleted there; the location given on the command line is checked.
 * @module
 */
import assert from "node:assert/strict";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { partialsLocation, readSpilled, spillPartial } from "../../src/cluster/partial-store.js";
import { serverAccessRules, UNRESTRICTED } from "../../src/data/sources/access.js";
import { isStrataError } from "../../src/errors.js";
import { tempDir } from "../helpers/cli.js";

const spill = (prefix: string) => ({ prefix, minBytes: 1 });

test("a spilled partial comes back bit for bit and is deleted once read", async () => {
  const dir = `${tempDir("strata-partials-")}/`;
  const bytes = Uint8Array.from({ length: 5000 }, (_, i) => (i * 31) % 256);
  const ref = await spillPartial(bytes, spill(dir), "fit-r1-s0", 2, UNRESTRICTED);
  assert.equal(ref.uri, `${dir}fit-r1-s0-a2.partial`);
  assert.equal(ref.bytes, 5000);
  assert.deepEqual(new Uint8Array(await readSpilled(ref, dir, "fit-r1-s0", 2)), bytes);
  assert.equal(existsSync(ref.uri), false);
});

test("a result naming a file elsewhere, or another task's, is refused: that file is neither read nor deleted", async () => {
  const dir = `${tempDir("strata-partials-")}/`;
  const victim = join(tempDir("strata-elsewhere-"), "precious.txt");
  writeFileSync(victim, "keep me");
  for (const [uri, task] of [
    [victim, "fit-r1-s0"],
    [`${dir}../precious.txt`, "fit-r1-s0"],
    [`${dir}fit-r1-s1-a1.partial`, "fit-r1-s0"],
  ] as const) {
    await assert.rejects(
      readSpilled({ uri, bytes: 7, sha256: "0".repeat(64) }, dir, task, 1),
      (e: unknown) =>
        isStrataError(e, "TRAINING_JOB_FAILED") &&
        /not under the cluster's partials location/.test((e as Error).message),
    );
  }
  assert.equal(readFileSync(victim, "utf8"), "keep me");
});

test("bytes that are not the ones written (size or SHA-256) are refused", async () => {
  const dir = `${tempDir("strata-partials-")}/`;
  const ref = await spillPartial(new Uint8Array([1, 2, 3, 4]), spill(dir), "t", 1, UNRESTRICTED);
  writeFileSync(ref.uri, new Uint8Array([1, 2, 3, 5]));
  await assert.rejects(readSpilled(ref, dir, "t", 1), /is not the one its worker wrote/);
});

test("a worker writes partials only where its rules let it write", async () => {
  const home = tempDir("strata-worker-home-");
  const outside = `${tempDir("strata-outside-")}/`;
  const rules = await serverAccessRules(home);
  await assert.rejects(spillPartial(new Uint8Array(10), spill(outside), "t", 1, rules), (e: unknown) =>
    isStrataError(e, "LOCATION_NOT_ALLOWED"),
  );
  mkdirSync(join(home, "artifacts"), { recursive: true });
  const inside = `${join(home, "artifacts", "partials")}/`;
  assert.equal((await spillPartial(new Uint8Array(10), spill(inside), "t", 1, rules)).bytes, 10);
});

test("--cluster-partials: s3:// prefixes and directories, made to end in /; http(s) refused naming the flag", () => {
  assert.equal(
    partialsLocation("s3://bucket/strata/partials", "--cluster-partials"),
    "s3://bucket/strata/partials/",
  );
  assert.equal(partialsLocation("/mnt/shared/partials", "--cluster-partials"), "/mnt/shared/partials/");
  assert.equal(partialsLocation("file:///mnt/shared/p/", "--cluster-partials"), "/mnt/shared/p/");
  assert.throws(
    () => partialsLocation("https://example.com/p/", "--cluster-partials"),
    (e: unknown) =>
      isStrataError(e, "INVALID_ARGUMENT") && /^--cluster-partials "https:/.test((e as Error).message),
  );
});

test("a task id that is a path, not a name, is refused: nothing is written outside the prefix", async () => {
  const dir = `${tempDir("strata-partials-")}/`;
  for (const id of ["../../escape", "a/b", "..", ".hidden/../x"])
    await assert.rejects(spillPartial(new Uint8Array(4), spill(dir), id, 1, UNRESTRICTED), (e: unknown) =>
      isStrataError(e, "INVALID_ARGUMENT"),
    );
  assert.equal(existsSync(join(dir, "..", "escape-a1.partial")), false);
});
