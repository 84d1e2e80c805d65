/**
 * Issue 13: a batch transform is one round of the algorithm contract whose shards are its input objects, on
 * the contract's worker-thread executor. Objects run side by side up to MaxConcurrentTransforms with the same
 * outputs as one at a time, and an object that fails fails the job naming it (in object order), while the
 * others stop.
 * @module
 */
import assert from "node:assert/strict";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import {
  CreateModelCommand,
  CreateTransformJobCommand,
  DescribeTransformJobCommand,
  type DescribeTransformJobCommandOutput,
  StopTransformJobCommand,
} from "@aws-sdk/client-sagemaker";
import { matrix } from "../../src/linalg/matrix.js";
import { defaultThreads } from "../../src/parallel/pool.js";
import {
  type CensusModels,
  censusModels,
  PCA_IMAGE,
  pollUntil,
  startTestServer,
  type TestServer,
  toCsv,
} from "../api/helpers.js";
import { tempDir } from "../helpers/cli.js";

let t: TestServer;
let dir: string;
let models: CensusModels;
const OBJECTS = ["part-a.csv", "part-b.csv", "part-c.csv", "part-d.csv"];

before(async () => {
  t = await startTestServer();
  dir = tempDir("strata-transform-objects-");
  models = await censusModels();
  await t.sm.send(
    new CreateModelCommand({
      ModelName: "objects-pca",
      ExecutionRoleArn: "arn:aws:iam::000000000000:role/x",
      PrimaryContainer: { Image: PCA_IMAGE, ModelDataUrl: models.pcaUri },
    }),
  );
  // The scaled census in four objects of uneven sizes.
  mkdirSync(join(dir, "in"));
  const cuts = [0, 700, 1900, 2000, models.scaled.rows];
  const d = models.scaled.cols;
  OBJECTS.forEach((file, i) => {
    const rows = models.scaled.data.slice(cuts[i]! * d, cuts[i + 1]! * d);
    writeFileSync(join(dir, "in", file), toCsv(matrix(cuts[i + 1]! - cuts[i]!, d, rows)));
  });
});
after(() => t?.close());

async function transform(
  name: string,
  input: string,
  concurrent: number,
): Promise<DescribeTransformJobCommandOutput> {
  await t.sm.send(
    new CreateTransformJobCommand({
      TransformJobName: name,
      ModelName: "objects-pca",
      MaxConcurrentTransforms: concurrent,
      TransformInput: {
        DataSource: { S3DataSource: { S3DataType: "S3Prefix", S3Uri: input } },
        ContentType: "text/csv",
        SplitType: "Line",
      },
      TransformOutput: { S3OutputPath: join(dir, name), Accept: "text/csv", AssembleWith: "Line" },
      TransformResources: { InstanceType: "ml.m5.large", InstanceCount: 1 },
    }),
  );
  return pollUntil(async () => {
    const d = await t.sm.send(new DescribeTransformJobCommand({ TransformJobName: name }));
    return d.TransformJobStatus === "InProgress" || d.TransformJobStatus === "Stopping" ? undefined : d;
  }, 60_000);
}

const messages = (job: string) =>
  t.server.hosting.logs.events("transform-job", [job], { limit: 1000 }).map((e) => e.message);

describe("batch transform objects as contract shards", () => {
  test("four objects on 2 worker threads write what one thread writes, each object's projections in its rows' order", async () => {
    const one = await transform("one-at-a-time", join(dir, "in"), 1);
    const two = await transform("side-by-side", join(dir, "in"), 2);
    assert.equal(one.TransformJobStatus, "Completed", one.FailureReason);
    assert.equal(two.TransformJobStatus, "Completed", two.FailureReason);
    assert.ok(messages("one-at-a-time").includes("Transforming 4 objects on 1 worker thread."));
    // MaxConcurrentTransforms 2, capped at the machine's cores.
    const threads = Math.min(2, defaultThreads());
    assert.ok(
      messages("side-by-side").includes(
        `Transforming 4 objects on ${threads} worker thread${threads === 1 ? "" : "s"}.`,
      ),
      messages("side-by-side").join("\n"),
    );
    const projections = models.pca.transform(models.scaled);
    let row = 0;
    for (const file of OBJECTS) {
      const a = readFileSync(join(dir, "one-at-a-time", `${file}.out`), "utf8");
      const b = readFileSync(join(dir, "side-by-side", `${file}.out`), "utf8");
      assert.equal(b, a, file);
      for (const line of a.trimEnd().split("\n")) {
        // SageMaker's order: ascending, so the last value is the model's first component.
        const values = line.split(",").map(Number).reverse();
        const expected = projections.data.slice(row * projections.cols, (row + 1) * projections.cols);
        assert.equal(values.length, expected.length);
        assert.ok(
          values.every((v, j) => Math.abs(v - expected[j]!) <= 1e-5 * (1 + Math.abs(expected[j]!))),
          `${file}: row ${row}`,
        );
        row++;
      }
    }
    assert.equal(row, models.scaled.rows);
  });

  test("StopTransformJob stops the objects between batches: Stopped, and every output written is whole", async () => {
    // 30 objects of 4 census copies each (~30 ms each on one thread): the stop arrives long before the last.
    const input = join(dir, "many");
    mkdirSync(input);
    const d = models.scaled.cols;
    const body = toCsv(models.scaled).repeat(4);
    const names = Array.from({ length: 30 }, (_, i) => `obj-${String(i).padStart(2, "0")}.csv`);
    for (const name of names) writeFileSync(join(input, name), body);
    const created = transform("stopped-early", input, 1);
    // CreateTransformJob answers after up to 2 s; the job is recorded at once, so stop it as soon as it shows.
    await pollUntil(async () => {
      try {
        const job = await t.sm.send(new DescribeTransformJobCommand({ TransformJobName: "stopped-early" }));
        return job.TransformJobStatus === "InProgress" ? job : undefined;
      } catch {
        return undefined;
      }
    });
    await t.sm.send(new StopTransformJobCommand({ TransformJobName: "stopped-early" }));
    const job = await created;
    assert.equal(job.TransformJobStatus, "Stopped", job.FailureReason);
    const written = names.filter((name) => existsSync(join(dir, "stopped-early", `${name}.out`)));
    assert.ok(written.length < names.length, `${written.length} of ${names.length} objects were written`);
    for (const name of written) {
      const lines = readFileSync(join(dir, "stopped-early", `${name}.out`), "utf8")
        .trimEnd()
        .split("\n");
      assert.equal(lines.length, 4 * models.scaled.rows, name);
      assert.equal(lines[0]!.split(",").length, d - 1, name);
    }
  });

  test("an object that fails fails the job naming it, and writes nothing for it", async () => {
    const input = join(dir, "bad-in");
    mkdirSync(input);
    const d = models.scaled.cols;
    const good = toCsv(matrix(50, d, models.scaled.data.slice(0, 50 * d)));
    writeFileSync(join(input, "1-good.csv"), good);
    writeFileSync(join(input, "2-bad.csv"), `${good}${Array.from({ length: d }, () => "x").join(",")}\n`);
    writeFileSync(join(input, "3-good.csv"), good);
    const job = await transform("one-bad-object", input, 2);
    assert.equal(job.TransformJobStatus, "Failed");
    assert.match(job.FailureReason ?? "", /^ClientError: .*2-bad\.csv: /);
    assert.ok(!existsSync(join(dir, "one-bad-object", "2-bad.csv.out")));
    assert.ok(
      messages("one-bad-object").some((m) => m.startsWith("Transform job Failed: ClientError:")),
      messages("one-bad-object").join("\n"),
    );
  });
});
