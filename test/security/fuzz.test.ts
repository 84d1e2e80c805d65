/**
 * Issue 12, a fuzz run (fast-check, seeded) over the control plane: thousands of SigV4-signed requests to
 * every SageMaker and CloudWatch Logs action with arbitrary JSON bodies, and CreateTrainingJob /
 * CreateTransformJob / CreateModel requests whose URI fields come from a list of hostile values and random
 * strings. Every answer is a 2xx or a 4xx in AWS's error shape (never a 5xx, never a hang); nothing is
 * written outside the server's roots; afterwards the server answers a normal request and its memory is back
 * near where it started.
 * @module
 */
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import fc from "fast-check";
import { ACTIONS } from "../../src/api/control-plane.js";
import { LOGS_ACTIONS } from "../../src/api/logs/actions.js";
import { signedCall, startTestServer, type TestServer } from "../api/helpers.js";
import { tempDir } from "../helpers/cli.js";

let t: TestServer;
const probe = join(tempDir("strata-fuzz-outside-"), "probe");

function gc(): void {
  setFlagsFromString("--expose-gc");
  (runInNewContext("gc") as () => void)();
}

function send(target: string, body: string): Promise<{ status: number; text: string }> {
  return signedCall(t.server, target, body);
}

function assertAwsShaped(r: { status: number; text: string }, what: string): void {
  assert.ok(r.status < 500, `${what}: ${r.status} ${r.text.slice(0, 300)}`);
  if (r.status >= 400) {
    const body = JSON.parse(r.text) as { __type?: unknown; message?: unknown };
    assert.equal(typeof body.__type, "string", `${what}: ${r.text.slice(0, 300)}`);
    assert.equal(typeof body.message, "string");
  }
}

before(async () => {
  // Requests the fuzz gets accepted (an s3:// URI) make the server's S3 client connect: keep it on loopback
  // (a closed port) with static credentials, so nothing looks for AWS or the instance-metadata service.
  Object.assign(process.env, {
    AWS_ENDPOINT_URL_S3: "http://127.0.0.1:9",
    AWS_ACCESS_KEY_ID: "FUZZ",
    AWS_SECRET_ACCESS_KEY: "FUZZ",
    AWS_REGION: "us-east-1",
    AWS_EC2_METADATA_DISABLED: "true",
  });
  // Only $STRATA_HOME is allowed: every hostile path below is outside it.
  t = await startTestServer({ access: {} });
  // A model the fuzzed transforms name, so that they reach the checks of their input and output.
  const model = await send(
    "SageMaker.CreateModel",
    JSON.stringify({
      ModelName: "fuzz-model",
      PrimaryContainer: { Image: "pca", ModelDataUrl: "s3://fuzz/model.tar.gz" },
    }),
  );
  assert.equal(model.status, 200, model.text);
});
after(() => t?.close());

const hostileUri = fc.oneof(
  fc.constantFrom(
    "/etc/passwd",
    "file:///etc/shadow",
    "/proc/self/environ",
    "/dev/zero",
    probe,
    `file://${probe}`,
    "relative/dir",
    "../../../../etc",
    "http://127.0.0.1:1/x",
    "http://169.254.169.254/latest/meta-data/",
    "https://[::1]/x",
    "gopher://127.0.0.1/",
    "s3://",
    "s3:///key",
    "s3://bucket",
    "",
    " ",
    "\u0000",
    "x".repeat(5000),
  ),
  fc.string({ maxLength: 60 }),
  fc.webUrl(),
);

const jsonValue = fc.jsonValue({ maxDepth: 4 });

test("4,000 arbitrary bodies to every action: 2xx or an AWS-shaped 4xx, never 5xx", async () => {
  gc();
  const before = process.memoryUsage().rss;
  const targets = [
    ...Object.keys(ACTIONS).map((a) => `SageMaker.${a}`),
    ...Object.keys(LOGS_ACTIONS).map((a) => `Logs_20140328.${a}`),
    "SageMaker.NoSuchAction",
  ];
  await fc.assert(
    fc.asyncProperty(fc.constantFrom(...targets), jsonValue, async (target, body) => {
      const r = await send(target, JSON.stringify(body));
      assertAwsShaped(r, target);
    }),
    { numRuns: 3000, seed: 12 },
  );
  await fc.assert(
    fc.asyncProperty(
      fc.constantFrom("CreateTrainingJob", "CreateTransformJob", "CreateModel"),
      hostileUri,
      hostileUri,
      fc.stringMatching(/^[a-z][a-z0-9-]{0,20}$/),
      async (action, input, output, name) => {
        const bodies: Record<string, unknown> = {
          CreateTrainingJob: {
            TrainingJobName: `fz-${name}`,
            AlgorithmSpecification: { TrainingImage: "pca" },
            HyperParameters: { num_components: "1" },
            InputDataConfig: [{ ChannelName: "train", DataSource: { S3DataSource: { S3Uri: input } } }],
            OutputDataConfig: { S3OutputPath: output },
          },
          CreateTransformJob: {
            TransformJobName: `fz-${name}`,
            ModelName: "fuzz-model",
            TransformInput: { DataSource: { S3DataSource: { S3DataType: "S3Prefix", S3Uri: input } } },
            TransformOutput: { S3OutputPath: output },
          },
          CreateModel: {
            ModelName: `fz-${name}`,
            PrimaryContainer: { Image: "pca", ModelDataUrl: input },
          },
        };
        const r = await send(`SageMaker.${action}`, JSON.stringify(bodies[action]));
        assertAwsShaped(
          r,
          `${action} ${JSON.stringify(input).slice(0, 80)} -> ${JSON.stringify(output).slice(0, 80)}`,
        );
        // A local path outside $STRATA_HOME is never accepted for reading or writing.
        const s3 = (uri: string) => /^s3:\/\//.test(uri);
        if (r.status === 200 && (!s3(input) || (action !== "CreateModel" && !s3(output))))
          assert.fail(`${action} accepted ${JSON.stringify(input)} -> ${JSON.stringify(output)}`);
      },
    ),
    { numRuns: 1000, seed: 13 },
  );
  assert.equal(existsSync(probe), false, "nothing was written outside the roots");
  const ok = await send("SageMaker.ListModels", "{}");
  assert.equal(ok.status, 200, ok.text);
  gc();
  const grown = (process.memoryUsage().rss - before) / 2 ** 20;
  assert.ok(grown < 200, `RSS grew by ${grown.toFixed(0)} MB over the fuzz run`);
});
