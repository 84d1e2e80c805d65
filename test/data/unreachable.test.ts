/**
 * Offline behaviour: an s3:// or https:// source whose endpoint refuses connections fails fast with
 * SOURCE_UNREACHABLE and tells the user how to use a local file instead.
 * @module
 */
import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { loadTable } from "../../src/data/load.js";
import { isStrataError } from "../../src/errors.js";

describe("unreachable sources", () => {
  let home: string;
  before(async () => {
    home = await mkdtemp(join(tmpdir(), "strata-home-"));
  });
  after(() => rm(home, { recursive: true, force: true }));

  test("s3:// against a refused endpoint: SOURCE_UNREACHABLE, mentioning --data", async () => {
    await assert.rejects(
      loadTable("s3://aws-ml-blog-sagemaker-census-segmentation/Census_Data_for_SageMaker.csv", {
        home,
        // What a user sets for an S3-compatible server; default retries (2 attempts) and timeouts.
        s3: { env: { AWS_ENDPOINT_URL_S3: "http://127.0.0.1:1", HOME: home } },
      }),
      (e: unknown) => {
        assert.ok(isStrataError(e, "SOURCE_UNREACHABLE"), String(e));
        assert.match(e.message, /Could not reach the S3 endpoint http:\/\/127\.0\.0\.1:1/);
        assert.match(e.message, /--data <path>/);
        assert.match(e.message, /STRATA_CENSUS_CSV/);
        assert.equal(e.details["networkError"], "ECONNREFUSED");
        return true;
      },
    );
  });

  test("https:// against a refused port: SOURCE_UNREACHABLE mentioning --data", async () => {
    await assert.rejects(loadTable("http://127.0.0.1:1/data.csv", { home }), (e: unknown) => {
      assert.ok(isStrataError(e, "SOURCE_UNREACHABLE"), String(e));
      assert.match(e.message, /--data/);
      return true;
    });
  });
});
