/**
 * Issue 12, the transport: what `strata serve` does with clients that misbehave below the API. Slow bodies
 * and slow headers are cut off by the request and header timeouts (an AWS-shaped 408, the connection closed)
 * instead of being held forever; oversized headers and bytes that are not HTTP get AWS-shaped answers rather
 * than fastify's; with `--no-auth` a Host that is not a loopback name is refused (DNS rebinding); container
 * ports listen on loopback whatever `--host` is; the registry file is readable by its owner only.
 * @module
 */
import assert from "node:assert/strict";
import { statSync } from "node:fs";
import { connect, createServer, type Socket } from "node:net";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import { startServer } from "../../src/api/server.js";
import { openRegistryDb } from "../../src/registry/db.js";
import { censusModels, deployWithSdk, PCA_IMAGE, startTestServer } from "../api/helpers.js";
import { tempDir } from "../helpers/cli.js";

/** Sends raw bytes, optionally trickling `tail` a byte at a time; resolves with all the server wrote once it closes. */
function rawExchange(
  port: number,
  head: string,
  trickle: { tail: string; everyMs: number } | null = null,
): Promise<{ text: string; closedByServer: boolean }> {
  return new Promise((resolve, reject) => {
    const socket: Socket = connect(port, "127.0.0.1");
    let text = "";
    let timer: NodeJS.Timeout | undefined;
    let sent = 0;
    socket.setEncoding("latin1");
    socket.on("data", (d) => {
      text += d;
    });
    socket.on("error", (e) => {
      if ((e as NodeJS.ErrnoException).code !== "ECONNRESET" && (e as NodeJS.ErrnoException).code !== "EPIPE")
        reject(e);
    });
    socket.on("close", () => {
      clearInterval(timer);
      resolve({ text, closedByServer: trickle === null || sent < trickle.tail.length });
    });
    socket.write(head);
    if (trickle !== null)
      timer = setInterval(() => {
        if (sent < trickle.tail.length && socket.writable) socket.write(trickle.tail[sent++]!);
      }, trickle.everyMs);
  });
}

function statusOf(text: string): number {
  return Number(/^HTTP\/1\.1 (\d{3})/.exec(text)?.[1] ?? 0);
}

function awsBody(text: string): { __type: string; message: string } {
  return JSON.parse(text.slice(text.indexOf("\r\n\r\n") + 4)) as { __type: string; message: string };
}

describe("timeouts and transport errors", async () => {
  const server = await startServer({
    port: 0,
    home: tempDir("strata-transport-"),
    log: () => undefined,
    connectionLimits: { requestTimeoutMs: 1000, headersTimeoutMs: 600, idleTimeoutMs: 5000 },
  });
  after(() => server.close());

  test("40 connections trickling a body a byte every 200 ms each get 408 RequestTimeoutException and are closed", async () => {
    const body = '{"TrainingJobName":"slow-body-attack-with-a-long-name"}';
    const head = `POST / HTTP/1.1\r\nHost: 127.0.0.1:${server.port}\r\nContent-Type: application/x-amz-json-1.1\r\nX-Amz-Target: SageMaker.ListTrainingJobs\r\nContent-Length: ${body.length}\r\n\r\n`;
    const results = await Promise.all(
      Array.from({ length: 40 }, () => rawExchange(server.port, head, { tail: body, everyMs: 200 })),
    );
    for (const r of results) {
      assert.ok(r.closedByServer, "the server closed the connection before the body was complete");
      assert.equal(statusOf(r.text), 408, r.text);
      assert.equal(awsBody(r.text).__type, "RequestTimeoutException");
    }
  });

  test("headers trickled slower than the header timeout are cut off too", async () => {
    const r = await rawExchange(server.port, "POST / HTTP/1.1\r\n", {
      tail: "X-Slow: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\r\n",
      everyMs: 100,
    });
    assert.ok(r.closedByServer);
    assert.equal(statusOf(r.text), 408, r.text);
  });

  test("oversized headers get 431 and bytes that are not HTTP get 400, both in AWS's shape", async () => {
    const big = await rawExchange(
      server.port,
      `GET /ping HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: ${"a".repeat(20_000)}\r\n\r\n`,
    );
    assert.equal(statusOf(big.text), 431, big.text.slice(0, 200));
    assert.equal(awsBody(big.text).__type, "RequestHeaderFieldsTooLarge");
    const junk = await rawExchange(server.port, "\u0000\u0001 NOT HTTP AT ALL\r\n\r\n");
    assert.equal(statusOf(junk.text), 400, junk.text);
    assert.equal(awsBody(junk.text).__type, "MalformedHttpRequestException");
    assert.match(junk.text, /x-amzn-ErrorType: MalformedHttpRequestException/);
  });

  test("after all that, a normal request is answered", async () => {
    const r = await fetch(`${server.url}/ping`);
    assert.equal(r.status, 200);
  });
});

describe("--no-auth answers loopback Host names only (DNS rebinding)", async () => {
  const server = await startServer({
    port: 0,
    home: tempDir("strata-noauth-"),
    noAuth: true,
    log: () => undefined,
  });
  after(() => server.close());
  const list = (host: string) =>
    rawExchange(
      server.port,
      `POST / HTTP/1.1\r\nHost: ${host}\r\nContent-Type: application/x-amz-json-1.1\r\nX-Amz-Target: SageMaker.ListModels\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}`,
    );

  test("a rebinding name gets 403 AccessDeniedException naming the Host; loopback names are served", async () => {
    const evil = await list(`attacker.example:${server.port}`);
    assert.equal(statusOf(evil.text), 403, evil.text);
    const body = awsBody(evil.text);
    assert.equal(body.__type, "AccessDeniedException");
    assert.match(body.message, /Host "attacker\.example:\d+" is not a loopback name/);
    for (const host of [`127.0.0.1:${server.port}`, `localhost:${server.port}`, "[::1]", "127.0.0.2"]) {
      const ok = await list(host);
      assert.equal(statusOf(ok.text), 200, `${host}: ${ok.text}`);
    }
    const invoke = await rawExchange(
      server.port,
      `POST /endpoints/x/invocations HTTP/1.1\r\nHost: rebind.example\r\nContent-Type: text/csv\r\nContent-Length: 1\r\nConnection: close\r\n\r\n1`,
    );
    assert.equal(statusOf(invoke.text), 403);
  });
});

test("container ports listen on loopback even when the server is told to listen on every address", async () => {
  const free = await new Promise<number>((resolve) => {
    const probe = createServer().listen(0, "127.0.0.1", () => {
      const port = (probe.address() as { port: number }).port;
      probe.close(() => resolve(port));
    });
  });
  const t = await startTestServer({ host: "0.0.0.0", containerPort: free });
  try {
    const models = await censusModels();
    await deployWithSdk(t.sm, "exposed", {
      PrimaryContainer: { Image: PCA_IMAGE, ModelDataUrl: models.pcaUri },
    });
    await t.server.containers!.settled();
    const url = t.server.containers!.url("exposed");
    assert.ok(url !== undefined, "the endpoint's container port is open");
    assert.match(url, /^http:\/\/127\.0\.0\.1:\d+$/);
    const ping = await fetch(`${url}/ping`);
    assert.equal(ping.status, 200);
  } finally {
    await t.close();
  }
});

test("the registry and its WAL are readable by their owner only (0600)", () => {
  const home = tempDir("strata-mode-");
  const db = openRegistryDb({ home });
  db.prepare("SELECT count(*) FROM training_jobs").get();
  for (const file of ["strata.db", "strata.db-wal"]) {
    const mode = statSync(join(home, file)).mode & 0o777;
    assert.equal(mode, 0o600, `${file} is ${mode.toString(8)}`);
  }
  db.close();
});

test("a port in use is a named error, and generated credentials are printed before it", async () => {
  const first = await startServer({ port: 0, home: tempDir("strata-port-a-"), log: () => undefined });
  try {
    const lines: string[] = [];
    await assert.rejects(
      startServer({ port: first.port, home: tempDir("strata-port-b-"), log: (l) => lines.push(l) }),
      (e: Error) => /Port \d+ on 127\.0\.0\.1 is in use: .* choose another with --port\./.test(e.message),
    );
    assert.match(
      lines.join("\n"),
      /generated credentials in .*credentials\.json:\n {2}AWS_ACCESS_KEY_ID=STRK/,
    );
  } finally {
    await first.close();
  }
});

test("a container port another process holds is skipped, not swallowed: the endpoint gets the next one", async () => {
  const holder = createServer();
  const held = await new Promise<number>((resolve) =>
    holder.listen(0, "127.0.0.1", () => resolve((holder.address() as { port: number }).port)),
  );
  const t = await startTestServer({ containerPort: held });
  try {
    const models = await censusModels();
    await deployWithSdk(t.sm, "skips", {
      PrimaryContainer: { Image: PCA_IMAGE, ModelDataUrl: models.pcaUri },
    });
    await t.server.containers!.settled();
    const url = t.server.containers!.url("skips");
    assert.ok(url !== undefined, "the endpoint's container port is open");
    assert.notEqual(Number(new URL(url).port), held);
    assert.equal((await fetch(`${url}/ping`)).status, 200);
  } finally {
    await t.close();
    holder.close();
  }
});
