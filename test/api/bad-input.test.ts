/**
 * Bad input is answered in the AWS shape and survived: malformed CSV / JSON / protobuf, wrong feature
 * counts, empty and oversized bodies, unknown endpoints and models, bad or missing signatures, stale
 * requests, an unimplemented action, an endpoint whose artifact is missing (Failed with a reason), the
 * container contract's raw statuses, and a fast-check fuzz loop of random bodies and headers after which the
 * server still answers correctly.
 * @module
 */
import assert from "node:assert/strict";
import { request as httpRequest } from "node:http";
import { after, before, test } from "node:test";
import {
  CreateEndpointCommand,
  CreateEndpointConfigCommand,
  CreateModelCommand,
  DescribeEndpointCommand,
  DescribeModelCommand,
  DescribeTransformJobCommand,
  ListNotebookInstancesCommand,
} from "@aws-sdk/client-sagemaker";
import { InvokeEndpointCommand } from "@aws-sdk/client-sagemaker-runtime";
import fc from "fast-check";
import {
  type CensusModels,
  censusModels,
  clients,
  deployWithSdk,
  PCA_IMAGE,
  pipelineContainers,
  startTestServer,
  type TestServer,
  toCsv,
} from "./helpers.js";

let t: TestServer;
let m: CensusModels;
let containerPort = 0;
before(async () => {
  m = await censusModels();
  const probe = await startTestServer({ noAuth: true });
  containerPort = probe.server.port + 1;
  await probe.close();
  t = await startTestServer({ containerPort });
  await deployWithSdk(t.sm, "census", { Containers: pipelineContainers(m) });
});
after(async () => {
  await t?.close();
});

const invoke = (body: string | Uint8Array, contentType = "text/csv", extra: object = {}) =>
  t.rt.send(
    new InvokeEndpointCommand({
      EndpointName: "census",
      ContentType: contentType,
      Body: typeof body === "string" ? Buffer.from(body) : body,
      ...extra,
    }),
  );

async function modelError(
  body: string | Uint8Array,
  contentType: string,
  status: number,
  pattern: RegExp,
  extra: object = {},
) {
  await assert.rejects(invoke(body, contentType, extra), (e: Error & Record<string, unknown>) => {
    assert.equal(e.name, "ModelError");
    assert.equal((e.$metadata as { httpStatusCode: number }).httpStatusCode, 424);
    assert.equal(e["OriginalStatusCode"], status);
    assert.match(String(e["OriginalMessage"]), pattern);
    return true;
  });
}

const row = () => toCsv(m.raw, 1);

test("malformed payloads answer ModelError with the container's 400 and say what is wrong", async () => {
  await modelError("1,2,abc", "text/csv", 400, /line 1, field 3 is "abc", not a number/);
  await modelError(`${row()}\n1,2`, "text/csv", 400, /Row 2 has 2 values; the model expects 34 features/);
  await modelError("{not json", "application/json", 400, /not valid JSON/);
  await modelError('{"rows": []}', "application/json", 400, /expected \{"instances"/);
  await modelError(
    '{"instances": [{"features": [1, 2, 3]}]}',
    "application/json",
    400,
    /Row 1 has 3 values; the model expects 34/,
  );
  await modelError(
    `${JSON.stringify({ features: row().split(",").map(Number) })}\n{`,
    "application/jsonlines",
    400,
    /line 2 is not valid JSON/,
  );
  await modelError(
    new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8, 9]),
    "application/x-recordio-protobuf",
    400,
    /RecordIO/,
  );
  await modelError(" ", "text/csv", 400, /not a number|no rows/);
  await modelError(
    row(),
    "application/octet-stream",
    415,
    /Content-Type "application\/octet-stream" is not supported/,
  );
  await modelError(row(), "text/csv", 406, /Accept "image\/png" is not supported/, { Accept: "image/png" });
});

test("empty and oversized bodies, unknown names, unimplemented actions", async () => {
  await assert.rejects(
    invoke(""),
    (e: Error & Record<string, unknown>) =>
      e.name === "ModelError" && /empty/.test(String(e["OriginalMessage"])),
  );
  await assert.rejects(
    invoke(Buffer.alloc(6_291_457, 49)),
    (e: Error & { $metadata: { httpStatusCode: number } }) => {
      assert.equal(e.$metadata.httpStatusCode, 413);
      return true;
    },
  );
  // Chunked, with no Content-Length to refuse up front: the limit holds while the body is read.
  const chunkedStatus = await new Promise<number>((resolve, reject) => {
    const req = httpRequest(
      {
        host: "127.0.0.1",
        port: t.server.port,
        method: "POST",
        path: "/endpoints/census/invocations",
        headers: { "content-type": "text/csv" },
      },
      (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      },
    );
    req.on("error", (e: NodeJS.ErrnoException) =>
      e.code === "EPIPE" || e.code === "ECONNRESET" ? undefined : reject(e),
    );
    // A connection closed with no answer fails the test (after an answer this changes nothing).
    req.on("close", () => reject(new Error("the connection closed without an answer")));
    for (let i = 0; i < 7; i++) req.write(Buffer.alloc(1_000_000, 49));
    req.end();
  });
  assert.equal(chunkedStatus, 413);
  await assert.rejects(
    t.rt.send(
      new InvokeEndpointCommand({ EndpointName: "nope", ContentType: "text/csv", Body: Buffer.from(row()) }),
    ),
    {
      name: "ValidationError",
      message: /Could not find endpoint ".*endpoint\/nope"/,
    },
  );
  await assert.rejects(t.sm.send(new DescribeModelCommand({ ModelName: "nope" })), {
    name: "ValidationException",
    message: /Could not find model/,
  });
  await assert.rejects(t.sm.send(new DescribeTransformJobCommand({ TransformJobName: "nope" })), {
    name: "ResourceNotFound",
  });
  await assert.rejects(t.sm.send(new ListNotebookInstancesCommand({})), {
    name: "UnknownOperationException",
    message: /does not implement the SageMaker action ListNotebookInstances/,
  });
  await assert.rejects(
    t.sm.send(
      new CreateModelCommand({
        ModelName: "bad",
        PrimaryContainer: { Image: "my/xgboost:1", ModelDataUrl: "x" },
      }),
    ),
    {
      name: "ValidationException",
      message: /not an image Strata serves/,
    },
  );
});

test("unsigned, wrongly signed, unknown-key and stale requests get 403 in the AWS shape", async () => {
  const unsigned = await fetch(`${t.server.url}/endpoints/census/invocations`, {
    method: "POST",
    body: row(),
    headers: { "content-type": "text/csv" },
  });
  assert.equal(unsigned.status, 403);
  assert.equal(((await unsigned.json()) as { __type: string }).__type, "MissingAuthenticationTokenException");
  const creds = t.server.credentials!;
  const wrong = clients(t.server.url, { ...creds, secretAccessKey: "wrong" });
  await assert.rejects(
    wrong.rt.send(
      new InvokeEndpointCommand({
        EndpointName: "census",
        ContentType: "text/csv",
        Body: Buffer.from(row()),
      }),
    ),
    {
      name: "InvalidSignatureException",
    },
  );
  await assert.rejects(
    wrong.sm.send(new DescribeEndpointCommand({ EndpointName: "census" })),
    (e: Error & { $metadata: { httpStatusCode: number } }) => {
      assert.equal(e.name, "InvalidSignatureException");
      assert.equal(e.$metadata.httpStatusCode, 403);
      return true;
    },
  );
  const unknown = clients(t.server.url, { accessKeyId: "AKIDUNKNOWN", secretAccessKey: "x" });
  await assert.rejects(unknown.sm.send(new DescribeEndpointCommand({ EndpointName: "census" })), {
    name: "UnrecognizedClientException",
  });
  const stale = clients(t.server.url, creds, { systemClockOffset: -20 * 60 * 1000 });
  await assert.rejects(stale.sm.send(new DescribeEndpointCommand({ EndpointName: "census" })), {
    name: "InvalidSignatureException",
    message: /Signature expired/,
  });
  for (const c of [wrong, unknown, stale]) {
    c.sm.destroy();
    c.rt.destroy();
  }
});

test("an endpoint whose artifact is missing ends Failed with the reason", async () => {
  await t.sm.send(
    new CreateModelCommand({
      ModelName: "ghost",
      PrimaryContainer: { Image: PCA_IMAGE, ModelDataUrl: `${m.dir}/missing/model.tar.gz` },
    }),
  );
  await t.sm.send(
    new CreateEndpointConfigCommand({
      EndpointConfigName: "ghost",
      ProductionVariants: [{ VariantName: "v", ModelName: "ghost" }],
    }),
  );
  await t.sm.send(new CreateEndpointCommand({ EndpointName: "ghost", EndpointConfigName: "ghost" }));
  const d = await t.sm.send(new DescribeEndpointCommand({ EndpointName: "ghost" }));
  assert.equal(d.EndpointStatus, "Failed");
  assert.match(d.FailureReason ?? "", /Could not load container 1 \(pca\) of model "ghost".*missing/);
  await assert.rejects(
    t.rt.send(
      new InvokeEndpointCommand({ EndpointName: "ghost", ContentType: "text/csv", Body: Buffer.from("1") }),
    ),
    {
      name: "ValidationError",
      message: /is Failed/,
    },
  );
});

test("the container contract answers /ping and /invocations on the endpoint's own port", async () => {
  await t.server.containers!.settled();
  const base = t.server.containers!.url("census")!;
  assert.equal(base, `http://127.0.0.1:${containerPort}`);
  const ping = await fetch(`${base}/ping`);
  assert.equal(ping.status, 200);
  assert.equal(await ping.text(), "");
  const ok = await fetch(`${base}/invocations`, {
    method: "POST",
    body: row(),
    headers: { "content-type": "text/csv", accept: "text/csv" },
  });
  assert.equal(ok.status, 200);
  assert.match(await ok.text(), /^\d\.0,\d+\.\d+/);
  const bad = await fetch(`${base}/invocations`, {
    method: "POST",
    body: "x",
    headers: { "content-type": "text/csv" },
  });
  assert.equal(bad.status, 400);
  assert.match(await bad.text(), /unable to evaluate payload provided/);
  const unsupported = await fetch(`${base}/invocations`, {
    method: "POST",
    body: "x",
    headers: { "content-type": "image/png" },
  });
  assert.equal(unsupported.status, 415);
});

test("after random bodies and headers the server still answers correctly", async () => {
  const expected = Buffer.from((await invoke(row())).Body!).toString();
  const types = [
    "text/csv",
    "application/json",
    "application/jsonlines",
    "application/x-recordio-protobuf",
    "text/csv; label_size=0",
  ];
  await fc.assert(
    fc.asyncProperty(
      fc.oneof(
        fc.uint8Array({ minLength: 1, maxLength: 300 }),
        fc.string({ minLength: 1, maxLength: 200 }).map((s) => Buffer.from(s)),
        fc.constant(Buffer.from(`${row()}\n`)),
      ),
      fc.oneof(
        fc.constantFrom(...types),
        fc.string({ minLength: 1, maxLength: 30 }).filter((s) => /^[\x21-\x7e]+$/.test(s)),
      ),
      fc.option(
        fc.oneof(
          fc.constantFrom("application/json", "text/csv", "*/*", "application/x-recordio-protobuf"),
          fc.string({ maxLength: 20 }).filter((s) => /^[\x21-\x7e]+$/.test(s)),
        ),
        { nil: undefined },
      ),
      fc.option(
        fc.string({ maxLength: 40 }).filter((s) => /^[\x20-\x7e]*$/.test(s)),
        { nil: undefined },
      ),
      async (body, contentType, accept, custom) => {
        try {
          await invoke(body, contentType, {
            ...(accept ? { Accept: accept } : {}),
            ...(custom ? { CustomAttributes: custom } : {}),
          });
        } catch (e) {
          const status = (e as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode ?? 0;
          assert.ok(status >= 400 && status < 500, `status ${status}: ${(e as Error).message}`);
        }
      },
    ),
    { numRuns: 300, seed: 4 },
  );
  for (const body of ["\u0000\u0001", "{", "1e999999,", "-", ",,,"]) {
    const r = await fetch(`${t.server.url}/`, {
      method: "POST",
      body,
      headers: { "x-amz-target": "SageMaker.CreateModel" },
    });
    assert.equal(r.status, 403);
  }
  assert.equal(Buffer.from((await invoke(row())).Body!).toString(), expected);
});
