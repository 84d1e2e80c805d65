/**
 * Input objects as SageMaker reads them, on local paths and `file://` URIs (the S3 side runs against s3rver in
 * test/api/python-sdk-notebook.test.ts): S3Prefix lists every file under the prefix in key order, a prefix
 * equal to one file is that file, Strata's temp files are never inputs; ManifestFile reads record_set's
 * manifest; malformed manifests are named without quoting them; S3DataType is parsed with SageMaker's names.
 * @module
 */
import assert from "node:assert/strict";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, test } from "node:test";
import { pathToFileURL } from "node:url";
import { TEMP_MARKER } from "../../src/data/sources/atomic-file.js";
import { listInputObjects, parseS3DataType } from "../../src/data/sources/input-objects.js";
import { isStrataError } from "../../src/errors.js";
import { tempDir } from "../helpers/cli.js";

function tree(): string {
  const dir = tempDir("strata-inputs-");
  mkdirSync(join(dir, "batch", "nested"), { recursive: true });
  writeFileSync(join(dir, "batch", "part-1.csv"), "1\n");
  writeFileSync(join(dir, "batch", "part-0.csv"), "0\n");
  writeFileSync(join(dir, "batch", "nested", "part-2.csv"), "2\n");
  writeFileSync(join(dir, "batch", `part-3.csv${TEMP_MARKER}123`), "partial");
  writeFileSync(join(dir, "batchmates.csv"), "x\n");
  writeFileSync(join(dir, "one.csv"), "1\n");
  writeFileSync(join(dir, "one.csv.bak"), "old\n");
  return dir;
}

describe("S3Prefix on local paths", () => {
  test("a folder prefix: every file under it in key order, keys relative to it; temp files skipped", async () => {
    const dir = tree();
    const objects = await listInputObjects(`${join(dir, "batch")}/`, "S3Prefix");
    assert.deepEqual(
      objects.map((o) => o.relativeKey),
      ["nested/part-2.csv", "part-0.csv", "part-1.csv"],
    );
    assert.deepEqual(
      objects.map((o) => o.size),
      [2, 2, 2],
    );
  });

  test("without the slash a prefix is a string prefix, as on S3: batchmates.csv is under batch too", async () => {
    const dir = tree();
    const objects = await listInputObjects(join(dir, "batch"), "S3Prefix");
    assert.deepEqual(
      objects.map((o) => o.relativeKey),
      ["nested/part-2.csv", "part-0.csv", "part-1.csv", "batchmates.csv"],
    );
  });

  test("a prefix equal to one file is that file, even when others start with it", async () => {
    const dir = tree();
    const objects = await listInputObjects(join(dir, "one.csv"), "S3Prefix");
    assert.deepEqual(
      objects.map((o) => [o.relativeKey, o.size]),
      [["one.csv", 2]],
    );
    const asUri = await listInputObjects(pathToFileURL(join(dir, "one.csv")).href, "S3Prefix");
    assert.equal(asUri.length, 1);
    assert.ok(asUri[0]!.uri.startsWith("file://"));
  });

  test("a prefix with nothing under it fails naming it", async () => {
    const dir = tree();
    await assert.rejects(listInputObjects(join(dir, "nothing"), "S3Prefix"), (e: unknown) => {
      assert.ok(isStrataError(e, "SOURCE_NOT_FOUND"));
      assert.match(
        e.message,
        /^File not found: .*nothing \(no file has that path, and none is under it as a prefix\)\.$/,
      );
      return true;
    });
  });
});

describe("ManifestFile", () => {
  test("record_set's manifest: the prefix joined with each key, in manifest order", async () => {
    const dir = tree();
    const manifest = join(dir, ".amazon.manifest");
    const prefix = `${pathToFileURL(join(dir, "batch")).href}/`;
    writeFileSync(manifest, JSON.stringify([{ prefix }, "part-1.csv", "part-0.csv", "nested/part-2.csv"]));
    const objects = await listInputObjects(manifest, "ManifestFile");
    assert.deepEqual(
      objects.map((o) => o.uri),
      [`${prefix}part-1.csv`, `${prefix}part-0.csv`, `${prefix}nested/part-2.csv`],
    );
    assert.deepEqual(
      objects.map((o) => o.relativeKey),
      ["part-1.csv", "part-0.csv", "nested/part-2.csv"],
    );
  });

  const cases: [string, string, RegExp][] = [
    ["not JSON", "aws_secret_access_key = LEAK", /is not valid JSON/],
    ["not a list", '{"prefix": "/tmp/"}', /must be a JSON list/],
    ["no prefix first", '["a.csv"]', /must start with \{"prefix": "<uri>"\}/],
    ["no keys", '[{"prefix": "/tmp/"}]', /lists no objects after its prefix/],
    ["a key that is not a string", '[{"prefix": "/tmp/"}, 3]', /entry 2 is not a key/],
  ];
  for (const [what, body, message] of cases) {
    test(`a manifest with ${what} is MANIFEST_INVALID, its bytes never quoted`, async () => {
      const file = join(tempDir("strata-manifest-"), "m.manifest");
      writeFileSync(file, body);
      await assert.rejects(listInputObjects(file, "ManifestFile"), (e: unknown) => {
        assert.ok(isStrataError(e, "MANIFEST_INVALID"), String(e));
        assert.match(e.message, message);
        assert.ok(e.message.startsWith(`The manifest ${file} `));
        assert.ok(!e.message.includes("LEAK"));
        return true;
      });
    });
  }

  test("a manifest naming a missing file fails naming that file", async () => {
    const dir = tree();
    const manifest = join(dir, "m.manifest");
    writeFileSync(manifest, JSON.stringify([{ prefix: `${dir}/batch/` }, "gone.csv"]));
    await assert.rejects(listInputObjects(manifest, "ManifestFile"), (e: unknown) => {
      assert.ok(isStrataError(e, "SOURCE_NOT_FOUND"));
      assert.match(e.message, /batch\/gone\.csv/);
      return true;
    });
  });
});

test("S3DataType: S3Prefix by default, ManifestFile; others named as unsupported or unknown", () => {
  assert.equal(parseS3DataType(undefined), "S3Prefix");
  assert.equal(parseS3DataType("ManifestFile"), "ManifestFile");
  assert.deepEqual(parseS3DataType("AugmentedManifestFile"), {
    problem: '"AugmentedManifestFile" is not supported by Strata: expected one of S3Prefix, ManifestFile.',
  });
  assert.deepEqual(parseS3DataType("S3prefix"), {
    problem: '"S3prefix" is not an S3DataType: expected one of S3Prefix, ManifestFile.',
  });
});
