/**
 * Issue 12, SigV4 as AWS enforces it, over HTTP against `strata serve`: a signature whose SignedHeaders leave
 * out `host` or `x-amz-target` is refused (the action could be swapped under a captured signature), and so is
 * `X-Amz-Content-Sha256: UNSIGNED-PAYLOAD` (the body could be swapped); a signed X-Amz-Target changed after
 * signing fails the signature. The same request signed in full is answered.
 * @module
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { SignatureV4 } from "@smithy/signature-v4";
import { startTestServer, type TestServer } from "../api/helpers.js";
import { Sha256 } from "../helpers/sha256.js";

let t: TestServer;
before(async () => {
  t = await startTestServer();
});
after(() => t?.close());

async function call(
  headers: Record<string, string>,
  options: { unsignable?: string[]; tamper?: (h: Record<string, string>) => void } = {},
): Promise<{ status: number; type: string; message: string }> {
  const url = new URL(t.server.url);
  const signer = new SignatureV4({
    service: "sagemaker",
    region: "us-east-1",
    credentials: t.server.credentials!,
    sha256: Sha256,
  });
  const body = "{}";
  const signed = await signer.sign(
    {
      method: "POST",
      protocol: "http:",
      hostname: url.hostname,
      port: Number(url.port),
      path: "/",
      headers: { host: url.host, "content-type": "application/x-amz-json-1.1", ...headers },
      body,
    },
    options.unsignable ? { unsignableHeaders: new Set(options.unsignable) } : {},
  );
  const sent = { ...(signed.headers as Record<string, string>) };
  options.tamper?.(sent);
  const r = await fetch(`${t.server.url}/`, { method: "POST", headers: sent, body });
  const parsed = JSON.parse(await r.text()) as { __type?: string; message?: string };
  return { status: r.status, type: parsed.__type ?? "", message: parsed.message ?? "" };
}

test("signed in full, a request is answered", async () => {
  const r = await call({ "x-amz-target": "SageMaker.ListModels" });
  assert.equal(r.status, 200, r.message);
});

test("SignedHeaders without host, or without x-amz-target, are refused", async () => {
  const noHost = await call({ "x-amz-target": "SageMaker.ListModels" }, { unsignable: ["host"] });
  assert.equal(noHost.status, 403);
  assert.equal(noHost.type, "InvalidSignatureException");
  assert.match(noHost.message, /'Host' or ':authority' must be a 'SignedHeader'/);
  const noTarget = await call({ "x-amz-target": "SageMaker.ListModels" }, { unsignable: ["x-amz-target"] });
  assert.equal(noTarget.status, 403);
  assert.match(noTarget.message, /not signed: x-amz-target/);
});

test("an X-Amz-Target swapped after signing fails the signature", async () => {
  const swapped = await call(
    { "x-amz-target": "SageMaker.ListModels" },
    {
      tamper: (h) => {
        for (const k of Object.keys(h))
          if (k.toLowerCase() === "x-amz-target") h[k] = "SageMaker.DeleteModel";
      },
    },
  );
  assert.equal(swapped.status, 403);
  assert.equal(swapped.type, "InvalidSignatureException");
});

test("UNSIGNED-PAYLOAD is refused even when it is what was signed", async () => {
  const r = await call({
    "x-amz-target": "SageMaker.ListModels",
    "x-amz-content-sha256": "UNSIGNED-PAYLOAD",
  });
  assert.equal(r.status, 403);
  assert.match(r.message, /UNSIGNED-PAYLOAD is not accepted/);
});
