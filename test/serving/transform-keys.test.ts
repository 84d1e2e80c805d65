/**
 * A batch transform writes each object's output under its output prefix only: an object key with `.` or `..`
 * segments (which a cluster task could carry) is refused before anything is read or written.
 * @module
 */
import assert from "node:assert/strict";
import { existsSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { serverAccessRules } from "../../src/data/sources/access.js";
import { isStrataError } from "../../src/errors.js";
import type { CompiledPipeline } from "../../src/serving/pipeline.js";
import type { TransformRunInput } from "../../src/serving/transform-object.js";
import { transformObject } from "../../src/serving/transform-object.js";
import { tempDir } from "../helpers/cli.js";

test("an object key that climbs out of the output prefix is refused, and nothing is written", async () => {
  const home = tempDir("strata-transform-keys-");
  const input = join(home, "in.csv");
  writeFileSync(input, "1,2\n");
  const access = await serverAccessRules(home, { outputRoots: [home] });
  const out = join(home, "out");
  const run = {
    request: {
      TransformInput: { ContentType: "text/csv", SplitType: "Line", CompressionType: "None" },
      TransformOutput: { S3OutputPath: out, Accept: "text/csv", AssembleWith: "Line" },
      BatchStrategy: "MultiRecord",
      MaxPayloadInMB: 6,
    },
    model: {},
    access,
  } as unknown as TransformRunInput;
  for (const relativeKey of ["../escaped", "a/../../escaped", "./x"])
    await assert.rejects(
      transformObject({} as CompiledPipeline, { uri: input, relativeKey }, run, new AbortController().signal),
      (e: unknown) =>
        isStrataError(e, "LOCATION_NOT_ALLOWED") && /leaves the output prefix/.test((e as Error).message),
    );
  assert.equal(existsSync(join(home, "escaped.out")), false);
  assert.equal(existsSync(out), false);
});
