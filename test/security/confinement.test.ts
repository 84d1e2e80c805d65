/**
 * Issue 12, what the server may touch: every case the review found, replayed through the real AWS SDK
 * against `strata serve` with one data root. Local reads outside `$STRATA_HOME` and the data roots are
 * refused when the request is created, naming the field: absolute paths, `file://`, `/proc`, `..`, a symlink
 * that leads out. What is only known when the job runs (a symlinked object under a prefix, a manifest entry,
 * a FIFO) fails the job without reading it. Writes outside the artifacts and output roots are refused and
 * create nothing. http(s) sources are refused unless the operator opts in, and even then never to loopback,
 * link-local or private addresses; a local HTTP server records that it was never called. No FailureReason
 * carries a file's contents.
 * @module
 */
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, symlinkSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import {
  CreateModelCommand,
  CreateTrainingJobCommand,
  type CreateTrainingJobCommandInput,
  CreateTransformJobCommand,
  DescribeTrainingJobCommand,
  type SageMakerClient,
} from "@aws-sdk/client-sagemaker";
import { isPublicAddress } from "../../src/data/sources/access.js";
import { pollUntil, startTestServer, type TestServer } from "../api/helpers.js";
import { tempDir } from "../helpers/cli.js";

const SECRET = "root:x:0:0:SECRET-LINE-THAT-MUST-NOT-LEAK";

let t: TestServer;
let home: string;
let dataRoot: string;
let outside: string;
let recorder: Server;
let hits = 0;
let recorderUrl = "";

function trainingRequest(
  uri: string,
  extra: Partial<CreateTrainingJobCommandInput> = {},
  dataType = "S3Prefix",
) {
  return new CreateTrainingJobCommand({
    AlgorithmSpecification: { TrainingImage: "pca", TrainingInputMode: "File" },
    RoleArn: "arn:aws:iam::000000000000:role/x",
    HyperParameters: { num_components: "1" },
    InputDataConfig: [
      {
        ChannelName: "train",
        ContentType: "text/csv",
        DataSource: { S3DataSource: { S3DataType: dataType as "S3Prefix", S3Uri: uri } },
      },
    ],
    ResourceConfig: { InstanceType: "ml.m5.large", InstanceCount: 1, VolumeSizeInGB: 1 },
    StoppingCondition: { MaxRuntimeInSeconds: 600 },
    OutputDataConfig: { S3OutputPath: join(home, "artifacts") },
    ...extra,
  } as CreateTrainingJobCommandInput);
}

async function refused(sm: SageMakerClient, command: object, field: RegExp) {
  await assert.rejects(sm.send(command as never), (e: Error) => {
    assert.equal(e.name, "ValidationException", e.message);
    assert.match(e.message, field);
    assert.match(e.message, /is not allowed/);
    assert.ok(!e.message.includes("SECRET-LINE"), e.message);
    return true;
  });
}

async function failedReason(sm: SageMakerClient, name: string): Promise<string> {
  return pollUntil(async () => {
    const d = await sm.send(new DescribeTrainingJobCommand({ TrainingJobName: name }));
    return d.TrainingJobStatus === "InProgress" ? undefined : `${d.TrainingJobStatus}: ${d.FailureReason}`;
  });
}

before(async () => {
  home = tempDir("strata-confined-home-");
  dataRoot = tempDir("strata-data-root-");
  outside = tempDir("strata-outside-");
  writeFileSync(join(outside, "secret.csv"), `${SECRET}\n`);
  writeFileSync(join(dataRoot, "ok.csv"), "1,2\n3,4\n5,7\n");
  symlinkSync(join(outside, "secret.csv"), join(dataRoot, "link.csv"));
  mkdirSync(join(dataRoot, "parts"));
  writeFileSync(join(dataRoot, "parts", "a.csv"), "1,2\n3,4\n");
  symlinkSync(join(outside, "secret.csv"), join(dataRoot, "parts", "b.csv"));
  writeFileSync(
    join(dataRoot, "evil.manifest"),
    JSON.stringify([{ prefix: `file://${outside}/` }, "secret.csv"]),
  );
  writeFileSync(join(dataRoot, "cells.csv"), "1,2\n3,AKIA-CELL-THAT-MUST-NOT-LEAK\n");
  execFileSync("mkfifo", [join(dataRoot, "fifo.csv")]);
  recorder = createServer((_req, res) => {
    hits++;
    res.end("1,2\n");
  });
  await new Promise<void>((resolve) => recorder.listen(0, "127.0.0.1", resolve));
  recorderUrl = `http://127.0.0.1:${(recorder.address() as { port: number }).port}`;
  t = await startTestServer({ home, access: { dataRoots: [dataRoot] } });
});

after(async () => {
  await t?.close();
  await new Promise((resolve) => recorder?.close(resolve));
});

describe("reads", () => {
  const field = /InputDataConfig\[0\]\.DataSource\.S3DataSource\.S3Uri/;

  test("paths outside the roots are refused at CreateTrainingJob, naming the field, and no job exists", async () => {
    for (const uri of [
      "/etc/passwd",
      "file:///etc/passwd",
      "/proc/self/environ",
      "/dev/zero",
      join(outside, "secret.csv"),
      `${home}/../${outside.split("/").pop()}/secret.csv`,
      join(dataRoot, "link.csv"),
    ]) {
      await refused(t.sm, trainingRequest(uri, { TrainingJobName: "nope" }), field);
    }
    await assert.rejects(
      t.sm.send(new DescribeTrainingJobCommand({ TrainingJobName: "nope" })),
      (e: Error) => e.name === "ResourceNotFound",
    );
  });

  test("a file under a data root is read", async () => {
    await t.sm.send(trainingRequest(join(dataRoot, "ok.csv"), { TrainingJobName: "inside" }));
    assert.equal(await failedReason(t.sm, "inside"), "Completed: undefined");
  });

  test("a symlink under a prefix, a manifest entry outside and a FIFO fail the job without being read", async () => {
    await t.sm.send(trainingRequest(`${join(dataRoot, "parts")}/`, { TrainingJobName: "symlinked-part" }));
    const part = await failedReason(t.sm, "symlinked-part");
    assert.match(
      part,
      /^Failed: ClientError: The object ".*parts\/b\.csv" is not allowed: it resolves outside /,
    );
    await t.sm.send(
      trainingRequest(
        join(dataRoot, "evil.manifest"),
        { TrainingJobName: "manifest-escape" },
        "ManifestFile",
      ),
    );
    const manifest = await failedReason(t.sm, "manifest-escape");
    assert.match(manifest, /^Failed: ClientError: The object "file:\/\/.*secret\.csv" is not allowed/);
    await t.sm.send(trainingRequest(join(dataRoot, "fifo.csv"), { TrainingJobName: "fifo" }));
    const fifo = await failedReason(t.sm, "fifo");
    assert.match(fifo, /^Failed: ClientError: /);
    for (const reason of [part, manifest, fifo]) assert.ok(!reason.includes("SECRET-LINE"), reason);
  });

  test("a bad cell fails the job naming its line and column, not its contents", async () => {
    await t.sm.send(trainingRequest(join(dataRoot, "cells.csv"), { TrainingJobName: "cells" }));
    const reason = await failedReason(t.sm, "cells");
    assert.match(reason, /line 2, column 2 is not a finite number/);
    assert.ok(!reason.includes("AKIA-CELL"), reason);
  });
});

describe("writes", () => {
  test("outputs outside the artifacts and output roots are refused and create nothing", async () => {
    const probe = join(outside, "strata-probe");
    for (const out of [
      probe,
      "relative/dir",
      `${home}/artifacts/../../${outside.split("/").pop()}/strata-probe`,
    ]) {
      await refused(
        t.sm,
        trainingRequest(join(dataRoot, "ok.csv"), {
          TrainingJobName: "out",
          OutputDataConfig: { S3OutputPath: out },
        }),
        /OutputDataConfig\.S3OutputPath/,
      );
    }
    assert.equal(existsSync(probe), false);
    assert.equal(existsSync(join(process.cwd(), "relative")), false);
  });

  test("CreateTransformJob: inputs and outputs follow the same rules", async () => {
    const transform = (input: string, output: string) =>
      new CreateTransformJobCommand({
        TransformJobName: "tj",
        ModelName: "m",
        TransformInput: {
          DataSource: { S3DataSource: { S3DataType: "S3Prefix", S3Uri: input } },
          ContentType: "text/csv",
        },
        TransformOutput: { S3OutputPath: output },
        TransformResources: { InstanceType: "ml.m5.large", InstanceCount: 1 },
      });
    await t.sm.send(
      new CreateModelCommand({
        ModelName: "m",
        ExecutionRoleArn: "arn:aws:iam::000000000000:role/x",
        PrimaryContainer: { Image: "pca", ModelDataUrl: join(home, "artifacts", "none.tar.gz") },
      }),
    );
    await refused(
      t.sm,
      transform("/etc/passwd", join(home, "artifacts", "t")),
      /TransformInput\.DataSource\.S3DataSource\.S3Uri/,
    );
    await refused(
      t.sm,
      transform(join(dataRoot, "ok.csv"), "/etc/strata-probe"),
      /TransformOutput\.S3OutputPath/,
    );
    assert.equal(existsSync("/etc/strata-probe"), false);
  });
});

describe("server-side fetches", () => {
  test("CreateModel: a local file outside the roots, gopher:, and http(s) without the opt-in are refused; nothing is fetched", async () => {
    const model = (url: string) =>
      new CreateModelCommand({
        ModelName: "fetch",
        ExecutionRoleArn: "arn:aws:iam::000000000000:role/x",
        PrimaryContainer: { Image: "pca", ModelDataUrl: url },
      });
    await refused(t.sm, model("/etc/passwd"), /PrimaryContainer\.ModelDataUrl/);
    await refused(t.sm, model("gopher://127.0.0.1/x"), /PrimaryContainer\.ModelDataUrl/);
    await refused(t.sm, model(`${recorderUrl}/model.tar.gz`), /--allow-http-sources/);
    await refused(t.sm, model("http://169.254.169.254/latest/meta-data/"), /PrimaryContainer\.ModelDataUrl/);
    await refused(t.sm, trainingRequest(`${recorderUrl}/data.csv`), /--allow-http-sources/);
    assert.equal(hits, 0);
  });

  test("with --allow-http-sources, loopback, link-local and private addresses are still refused after DNS", async () => {
    const open = await startTestServer({ home: tempDir("strata-http-home-"), access: { allowHttp: true } });
    try {
      for (const url of [
        `${recorderUrl}/data.csv`,
        `http://localhost:${recorderUrl.split(":").pop()}/data.csv`,
        "http://169.254.169.254/latest/meta-data/",
        "http://10.0.0.1/x.csv",
        "http://[::1]/x.csv",
        "http://[::ffff:127.0.0.1]/x.csv",
      ])
        await refused(open.sm, trainingRequest(url), /resolves to .*loopback, link-local or private/);
      assert.equal(hits, 0);
    } finally {
      await open.close();
    }
  });

  test("isPublicAddress: public unicast only", () => {
    for (const a of ["8.8.8.8", "1.1.1.1", "2606:4700:4700::1111"]) assert.equal(isPublicAddress(a), true, a);
    for (const a of [
      "127.0.0.1",
      "10.1.2.3",
      "172.31.255.255",
      "192.168.0.1",
      "169.254.169.254",
      "100.64.0.1",
      "0.0.0.0",
      "224.0.0.1",
      "::1",
      "::",
      "fe80::1",
      "fd00::1",
      "::ffff:10.0.0.1",
      "not an address",
    ])
      assert.equal(isPublicAddress(a), false, a);
  });
});
