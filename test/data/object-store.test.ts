/**
 * Runs the ObjectStore contract against the file store (plain paths and file:// URIs) and against S3Store
 * talking to a real s3rver, configured through the environment the way a user would (AWS_ENDPOINT_URL_S3).
 * @module
 */
import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { pathToFileURL } from "node:url";
import { FileStore } from "../../src/data/sources/file.js";
import { resolveStore, uriScheme } from "../../src/data/sources/resolve.js";
import { S3Store } from "../../src/data/sources/s3.js";
import { resolveS3Config } from "../../src/data/sources/s3-client.js";
import { isStrataError } from "../../src/errors.js";
import { objectStoreContract } from "../contract/object-store.contract.js";
import { type RunningS3rver, startS3rver } from "./s3rver-helper.js";

objectStoreContract("file (plain paths)", async () => {
  const dir = await mkdtemp(join(tmpdir(), "strata-filestore-"));
  return {
    store: new FileStore(),
    base: `${dir}/`,
    missingObjectCode: "SOURCE_NOT_FOUND",
    largeBytes: 3 * 1024 * 1024,
    teardown: () => rm(dir, { recursive: true, force: true }),
  };
});

objectStoreContract("file (file:// URIs)", async () => {
  const dir = await mkdtemp(join(tmpdir(), "strata-filestore-"));
  return {
    store: new FileStore(),
    base: `${pathToFileURL(dir).href}/`,
    missingObjectCode: "SOURCE_NOT_FOUND",
    largeBytes: 1024 * 1024,
    teardown: () => rm(dir, { recursive: true, force: true }),
  };
});

// The store resolveStore hands out for s3:// (it loads the AWS SDK on first use) must behave the same.
objectStoreContract("s3 via resolveStore (s3rver)", async () => {
  const server = await startS3rver(["strata-contract-lazy"]);
  const store = resolveStore("s3://strata-contract-lazy/", {
    s3: { env: server.env, multipartThresholdBytes: 1024 * 1024, partSizeBytes: 5 * 1024 * 1024 },
  });
  assert.equal(store instanceof S3Store, false, "resolveStore gives the lazily loading wrapper");
  return {
    store,
    base: "s3://strata-contract-lazy/suite/",
    missingObjectCode: "KEY_NOT_FOUND",
    missingContainerUri: "s3://no-such-bucket-strata/some/key.csv",
    largeBytes: 11 * 1024 * 1024,
    teardown: () => server.stop(),
  };
});

objectStoreContract("s3 (s3rver)", async () => {
  const server = await startS3rver(["strata-contract"]);
  // A low threshold keeps the multipart test small: 11 MiB in 5 MiB parts is three parts.
  const store = new S3Store({
    env: server.env,
    multipartThresholdBytes: 1024 * 1024,
    partSizeBytes: 5 * 1024 * 1024,
  });
  let multipart = 0;
  store.client.middlewareStack.add(
    (next, context) => async (args) => {
      if (context.commandName === "CreateMultipartUploadCommand") multipart++;
      return next(args);
    },
    { step: "initialize" },
  );
  return {
    store,
    base: "s3://strata-contract/suite/",
    missingObjectCode: "KEY_NOT_FOUND",
    missingContainerUri: "s3://no-such-bucket-strata/some/key.csv",
    largeBytes: 11 * 1024 * 1024,
    multipartUploads: () => multipart,
    teardown: () => server.stop(),
  };
});

describe("S3 client configuration", () => {
  let server: RunningS3rver;
  before(async () => {
    server = await startS3rver(["strata-anon"]);
  });
  after(() => server.stop());

  test("endpoint and region come from the environment; a custom endpoint implies path-style", () => {
    const c = resolveS3Config({
      env: { AWS_ENDPOINT_URL: "http://localhost:9000", AWS_DEFAULT_REGION: "eu-west-1" },
    });
    assert.equal(c.endpoint, "http://localhost:9000");
    assert.equal(c.region, "eu-west-1");
    assert.equal(c.forcePathStyle, true);
    const s3Specific = resolveS3Config({
      env: { AWS_ENDPOINT_URL: "http://a", AWS_ENDPOINT_URL_S3: "http://b" },
    });
    assert.equal(s3Specific.endpoint, "http://b");
    const plain = resolveS3Config({ env: { HOME: "/nonexistent-home" } });
    assert.deepEqual(
      [plain.region, plain.endpoint, plain.forcePathStyle, plain.anonymous],
      ["us-east-1", undefined, false, true],
    );
    assert.equal(
      resolveS3Config({ env: { HOME: "/nonexistent-home", AWS_PROFILE: "dev" } }).anonymous,
      false,
    );
  });

  test("with no credentials configured, requests go unsigned (anonymous) and still work", async () => {
    const signed = new S3Store({ env: server.env });
    await signed.put("s3://strata-anon/public.txt", new TextEncoder().encode("public"));
    const anon = new S3Store({ env: { AWS_ENDPOINT_URL_S3: server.endpoint, HOME: "/nonexistent-home" } });
    assert.equal(anon.config.anonymous, true);
    assert.equal(new TextDecoder().decode(await anon.getBytes("s3://strata-anon/public.txt")), "public");
  });

  test("resolveStore dispatches by scheme and rejects unknown ones", () => {
    assert.equal(resolveStore("data/x.csv").scheme, "file");
    assert.equal(resolveStore("file:///tmp/x.csv").scheme, "file");
    assert.equal(resolveStore("s3://b/k").scheme, "s3");
    assert.equal(resolveStore("https://example.com/x.csv").scheme, "https");
    assert.equal(uriScheme("C:\\data\\x.csv"), "file");
    assert.throws(
      () => resolveStore("gs://bucket/x.csv"),
      (e: unknown) => isStrataError(e, "UNSUPPORTED_SOURCE") && e.message.includes('"gs:"'),
    );
  });
});
