/**
 * The runtime answers the invocations that arrive in one event-loop turn as a batch (src/api/runtime.ts).
 * These tests send pipelined requests in one TCP write, so the server reads them together, and check what
 * batching must not change: each request gets its own answer, in request order, with a bad signature or a
 * malformed body failing only its own request; and a client that hangs up mid-batch ends nothing else.
 * @module
 */
import assert from "node:assert/strict";
import { connect, type Socket } from "node:net";
import { after, before, test } from "node:test";
import { InvokeEndpointCommand } from "@aws-sdk/client-sagemaker-runtime";
import { sdkSignedHeaders } from "../../bench/serve/sdk-headers.js";
import {
  censusModels,
  deployWithSdk,
  pipelineContainers,
  startTestServer,
  type TestServer,
  toCsv,
} from "./helpers.js";

let t: TestServer;
let rows: string[] = [];
before(async () => {
  const m = await censusModels();
  rows = toCsv(m.raw, 8).split("\n");
  t = await startTestServer();
  await deployWithSdk(t.sm, "census", { Containers: pipelineContainers(m) });
});
after(async () => {
  await t?.close();
});

/** One raw HTTP/1.1 InvokeEndpoint request, signed as the SDK signs it (optionally with a broken signature). */
async function rawRequest(body: string, breakSignature = false): Promise<string> {
  const headers = await sdkSignedHeaders({
    endpoint: t.server.url,
    accessKeyId: t.server.credentials!.accessKeyId,
    secretAccessKey: t.server.credentials!.secretAccessKey,
    body,
  });
  if (breakSignature) {
    const auth = headers["authorization"]!;
    headers["authorization"] = auth.slice(0, -1) + (auth.endsWith("0") ? "1" : "0");
  }
  const lines = Object.entries(headers).map(([k, v]) => `${k}: ${v}`);
  return `POST /endpoints/census/invocations HTTP/1.1\r\n${lines.join("\r\n")}\r\n\r\n${body}`;
}

interface RawResponse {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: string;
}

/** Reads `count` HTTP/1.1 responses (Content-Length framed) from the socket. */
function readResponses(socket: Socket, count: number): Promise<RawResponse[]> {
  return new Promise((resolve, reject) => {
    let data = "";
    const out: RawResponse[] = [];
    socket.setEncoding("latin1");
    socket.on("error", reject);
    socket.on("close", () =>
      reject(new Error(`connection closed after ${out.length} of ${count} responses`)),
    );
    socket.on("data", (chunk: string) => {
      data += chunk;
      for (;;) {
        const headEnd = data.indexOf("\r\n\r\n");
        if (headEnd < 0) return;
        const [statusLine, ...headerLines] = data.slice(0, headEnd).split("\r\n");
        const headers = Object.fromEntries(
          headerLines.map((l) => [
            l.slice(0, l.indexOf(":")).toLowerCase(),
            l.slice(l.indexOf(":") + 1).trim(),
          ]),
        );
        const length = Number(headers["content-length"]);
        if (data.length < headEnd + 4 + length) return;
        out.push({
          status: Number(statusLine!.split(" ")[1]),
          headers,
          body: data.slice(headEnd + 4, headEnd + 4 + length),
        });
        data = data.slice(headEnd + 4 + length);
        if (out.length === count) {
          socket.removeAllListeners("close");
          resolve(out);
          return;
        }
      }
    });
  });
}

async function invokeOne(body: string): Promise<string> {
  const r = await t.rt.send(
    new InvokeEndpointCommand({ EndpointName: "census", ContentType: "text/csv", Body: Buffer.from(body) }),
  );
  return Buffer.from(r.Body!).toString("latin1");
}

/** Sends the requests in one TCP write on a new connection and reads their responses (10 s at most). */
async function exchange(requests: readonly string[]): Promise<RawResponse[]> {
  const socket = connect(t.server.port, "127.0.0.1");
  socket.setTimeout(10_000, () => socket.destroy());
  try {
    await new Promise<void>((resolve) => socket.once("connect", () => resolve()));
    const reading = readResponses(socket, requests.length);
    socket.write(requests.join(""));
    return await reading;
  } finally {
    socket.destroy();
  }
}

test("requests read together are answered in order, each on its own, and failures stay their own", async () => {
  const bodies = [...rows.slice(0, 3), rows[3]!, rows[4]!, "1,2,not-a-number", rows[6]!, rows[7]!];
  const broken = 3;
  const requests = await Promise.all(bodies.map((b, i) => rawRequest(b, i === broken)));
  const responses = await exchange(requests);

  assert.deepEqual(
    responses.map((r) => r.status),
    [200, 200, 200, 403, 200, 424, 200, 200],
  );
  const mismatch = JSON.parse(responses[broken]!.body) as { __type: string; message: string };
  assert.equal(mismatch.__type, "InvalidSignatureException");
  assert.match(mismatch.message, /signature we calculated does not match/);
  assert.equal(responses[5]!.headers["x-amzn-errortype"], "ModelError");
  assert.match(JSON.parse(responses[5]!.body).OriginalMessage, /not-a-number/);
  for (const [i, r] of responses.entries()) {
    if (r.status !== 200) continue;
    // The same bytes as the same row invoked alone through the SDK.
    assert.equal(r.body, await invokeOne(bodies[i]!), `response ${i}`);
    assert.equal(r.headers["content-type"], "application/json");
  }
  const ids = responses.map((r) => r.headers["x-amzn-requestid"]);
  assert.equal(new Set(ids).size, ids.length, "one request id per response");
});

test("a client that hangs up with requests in flight ends nothing else", async () => {
  const requests = await Promise.all(rows.map((b) => rawRequest(b)));
  for (let round = 0; round < 20; round++) {
    const socket = connect(t.server.port, "127.0.0.1");
    await new Promise<void>((resolve) => socket.once("connect", () => resolve()));
    socket.write(requests.join(""));
    // Destroyed at once: the server reads the requests, then finds the socket gone when it answers.
    socket.destroy();
  }
  const responses = await exchange(requests);
  assert.deepEqual(
    responses.map((r) => r.status),
    rows.map(() => 200),
  );
  for (const [i, r] of responses.entries()) assert.equal(r.body, await invokeOne(rows[i]!), `response ${i}`);
});
