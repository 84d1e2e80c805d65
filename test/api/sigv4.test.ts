/**
 * The SigV4 verifier against the SDK's own signer (@smithy/signature-v4, the one every AWS SDK v3 client
 * uses): random methods, paths, queries, headers and bodies signed by it verify; the caches (signing key per
 * scope, parsed Authorization per prefix, last X-Amz-Date) give the same answers as a fresh verifier, and
 * never let a request through that a fresh verifier refuses — a wrong secret, an altered body, header or
 * signature stays 403 after the right one has been cached for the same scope.
 * @module
 */
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { test } from "node:test";
import { SignatureV4 } from "@smithy/signature-v4";
import fc from "fast-check";
import { type SignedRequest, SigV4Verifier } from "../../src/api/sigv4.js";
import { isStrataError } from "../../src/errors.js";
import { Sha256 } from "../helpers/sha256.js";

const CREDENTIALS = { accessKeyId: "AKIDSIGV4TEST", secretAccessKey: "test-secret/with+chars" };
const NOW = Date.UTC(2026, 0, 15, 12, 0, 0);

interface Spec {
  readonly method: string;
  readonly path: string;
  readonly query: Record<string, string>;
  readonly headers: Record<string, string>;
  readonly body: Buffer;
  readonly region: string;
  readonly service: string;
  readonly secret?: string;
  readonly date?: Date;
}

/** Signs like the SDK and returns the request as the server sees it (lower-cased headers, raw URL). */
async function signed(spec: Spec): Promise<SignedRequest> {
  const signer = new SignatureV4({
    service: spec.service,
    region: spec.region,
    credentials: { ...CREDENTIALS, secretAccessKey: spec.secret ?? CREDENTIALS.secretAccessKey },
    sha256: Sha256,
  });
  const request = await signer.sign(
    {
      method: spec.method,
      protocol: "http:",
      hostname: "127.0.0.1",
      port: 8080,
      path: spec.path,
      query: spec.query,
      headers: {
        host: "127.0.0.1:8080",
        "content-type": "text/csv",
        "x-amz-content-sha256": createHash("sha256").update(spec.body).digest("hex"),
        ...spec.headers,
      },
      body: spec.body,
    },
    { signingDate: spec.date ?? new Date(NOW) },
  );
  const qs = new URLSearchParams(spec.query).toString();
  return {
    method: spec.method,
    url: `${spec.path}${qs === "" ? "" : `?${qs}`}`,
    headers: Object.fromEntries(Object.entries(request.headers).map(([k, v]) => [k.toLowerCase(), v])),
    body: spec.body,
  };
}

/** The StrataError code `verify` throws, or "ok". */
function outcome(verifier: SigV4Verifier, request: SignedRequest): string {
  try {
    verifier.verify(request, NOW);
    return "ok";
  } catch (e) {
    if (isStrataError(e)) return e.code;
    throw e;
  }
}

const BASE: Spec = {
  method: "POST",
  path: "/endpoints/census/invocations",
  query: {},
  headers: { "x-amz-user-agent": "aws-sdk-js/3", "amz-sdk-invocation-id": "id-1" },
  body: Buffer.from("1,2,3"),
  region: "us-east-1",
  service: "sagemaker",
};

const segment = fc.stringMatching(/^[A-Za-z0-9._~ %!*'()-]{1,12}$/);
const spec = fc.record({
  method: fc.constantFrom("POST", "GET", "PUT"),
  path: fc
    .array(segment, { minLength: 1, maxLength: 4 })
    .map((s) => `/${s.map(encodeURIComponent).join("/")}`),
  query: fc.dictionary(fc.stringMatching(/^[a-z][a-z0-9-]{0,6}$/), fc.string({ maxLength: 8 }), {
    maxKeys: 3,
  }),
  headers: fc.record({
    "x-amz-user-agent": fc.stringMatching(/^[ -~]{1,40}$/).filter((s) => s.trim() !== ""),
    "amz-sdk-invocation-id": fc.uuid(),
    "x-custom": fc.stringMatching(/^[a-z]+( {1,3}[a-z]+){0,3}$/),
  }),
  body: fc.uint8Array({ maxLength: 300 }).map((b) => Buffer.from(b)),
  region: fc.constantFrom("us-east-1", "eu-west-1", "ap-south-1"),
  service: fc.constantFrom("sagemaker", "execute-api"),
});

test("requests signed by the SDK's signer verify, with one long-lived verifier as with fresh ones", async () => {
  const shared = new SigV4Verifier(CREDENTIALS);
  await fc.assert(
    fc.asyncProperty(spec, async (s) => {
      const request = await signed(s);
      assert.equal(outcome(shared, request), "ok");
      assert.equal(outcome(shared, request), "ok"); // again, from the caches
      assert.equal(outcome(new SigV4Verifier(CREDENTIALS), request), "ok");
    }),
    { numRuns: 200, seed: 7 },
  );
});

test("after the right key is cached, wrong secrets, altered bodies, headers and signatures are refused", async () => {
  const verifier = new SigV4Verifier(CREDENTIALS);
  const good = await signed(BASE);
  assert.equal(outcome(verifier, good), "ok"); // caches this scope's key and this Authorization prefix
  const wrongSecret = await signed({ ...BASE, secret: "not-the-secret" });
  assert.equal(outcome(verifier, wrongSecret), "SIGNATURE_MISMATCH");
  assert.equal(outcome(verifier, { ...good, body: Buffer.from("1,2,4") }), "SIGNATURE_MISMATCH");
  // The claimed body hash altered along with the body: the signature no longer matches.
  const body = Buffer.from("9,9,9");
  const claimed = createHash("sha256").update(body).digest("hex");
  assert.equal(
    outcome(verifier, { ...good, body, headers: { ...good.headers, "x-amz-content-sha256": claimed } }),
    "SIGNATURE_MISMATCH",
  );
  assert.equal(
    outcome(verifier, { ...good, headers: { ...good.headers, "amz-sdk-invocation-id": "id-2" } }),
    "SIGNATURE_MISMATCH",
  );
  assert.equal(outcome(verifier, { ...good, url: "/endpoints/other/invocations" }), "SIGNATURE_MISMATCH");
  const auth = good.headers["authorization"] as string;
  const flipped = `${auth.slice(0, -1)}${auth.endsWith("0") ? "1" : "0"}`;
  assert.equal(
    outcome(verifier, { ...good, headers: { ...good.headers, authorization: flipped } }),
    "SIGNATURE_MISMATCH",
  );
  assert.equal(
    outcome(verifier, { ...good, headers: { ...good.headers, authorization: `${auth.slice(0, -1)}` } }),
    "SIGNATURE_MISMATCH",
  );
  // Same scope, another date string in the request than the one signed.
  assert.equal(
    outcome(verifier, { ...good, headers: { ...good.headers, "x-amz-date": "20260115T120001Z" } }),
    "SIGNATURE_MISMATCH",
  );
  const unknown = new SigV4Verifier({ ...CREDENTIALS, accessKeyId: "AKIDOTHER" });
  assert.equal(outcome(unknown, good), "UNRECOGNIZED_CLIENT");
  // A stale request with the same cached prefix (day and scope) is still checked against the clock.
  const stale = await signed({ ...BASE, date: new Date(NOW - 20 * 60 * 1000) });
  assert.equal(outcome(verifier, stale), "SIGNATURE_EXPIRED");
  // And the good one still passes after all of that.
  assert.equal(outcome(verifier, good), "ok");
});

test("the cached signing key gives the signatures of a freshly derived one across days and scopes", async () => {
  const verifier = new SigV4Verifier(CREDENTIALS);
  for (let day = 0; day < 3; day++)
    for (const region of ["us-east-1", "eu-west-1"]) {
      const date = new Date(NOW + day * 86_400_000);
      const request = await signed({ ...BASE, region, date });
      const now = date.getTime();
      assert.doesNotThrow(() => verifier.verify(request, now));
      assert.doesNotThrow(() => new SigV4Verifier(CREDENTIALS).verify(request, now));
      // The other secret, same scope just cached: refused.
      const wrong = await signed({ ...BASE, region, date, secret: "other" });
      assert.throws(() => verifier.verify(wrong, now), { code: "SIGNATURE_MISMATCH" });
    }
});

test("Authorization values in another layout take the general parse and verify the same way", async () => {
  const verifier = new SigV4Verifier(CREDENTIALS);
  const good = await signed(BASE);
  const auth = good.headers["authorization"] as string;
  const fields = Object.fromEntries(
    auth
      .slice("AWS4-HMAC-SHA256 ".length)
      .split(",")
      .map((p) => p.trim().split("=") as [string, string]),
  ) as Record<string, string>;
  for (const layout of [
    `AWS4-HMAC-SHA256 Signature=${fields["Signature"]}, Credential=${fields["Credential"]}, SignedHeaders=${fields["SignedHeaders"]}`,
    `AWS4-HMAC-SHA256 Credential=${fields["Credential"]},SignedHeaders=${fields["SignedHeaders"]},Signature=${fields["Signature"]}`,
    `AWS4-HMAC-SHA256  Credential=${fields["Credential"]} ,  SignedHeaders=${fields["SignedHeaders"]} , Signature=${fields["Signature"]}`,
  ]) {
    const request = { ...good, headers: { ...good.headers, authorization: layout } };
    assert.equal(outcome(verifier, request), "ok", layout);
    const bad = layout.replace(fields["Signature"]!, "0".repeat(64));
    assert.equal(
      outcome(verifier, { ...good, headers: { ...good.headers, authorization: bad } }),
      "SIGNATURE_MISMATCH",
    );
  }
  assert.equal(
    outcome(verifier, { ...good, headers: { ...good.headers, authorization: "" } }),
    "MISSING_AUTHENTICATION",
  );
  assert.equal(
    outcome(verifier, { ...good, headers: { ...good.headers, authorization: "Bearer x" } }),
    "SIGNATURE_MISMATCH",
  );
});

test("issue 12: host must be signed, every x-amz-* header sent must be signed, and UNSIGNED-PAYLOAD is refused", async () => {
  const verifier = new SigV4Verifier(CREDENTIALS);
  const good = await signed(BASE);
  assert.equal(outcome(verifier, good), "ok");

  // A signature over x-amz-date alone: the action header could be swapped under it.
  const onlyDate = await signed(BASE);
  const auth = String(onlyDate.headers["authorization"]).replace(
    /SignedHeaders=[^,]+/,
    "SignedHeaders=x-amz-date",
  );
  assert.throws(
    () => verifier.verify({ ...onlyDate, headers: { ...onlyDate.headers, authorization: auth } }, NOW),
    (e: unknown) =>
      isStrataError(e, "SIGNATURE_MISMATCH") && /'Host' .* must be a 'SignedHeader'/.test(e.message),
  );

  // An x-amz-* header added after signing (or left out of SignedHeaders) is refused by name.
  const added = { ...good, headers: { ...good.headers, "x-amz-target": "SageMaker.DeleteEndpoint" } };
  assert.throws(
    () => verifier.verify(added, NOW),
    (e: unknown) => isStrataError(e, "SIGNATURE_MISMATCH") && /not signed: x-amz-target/.test(e.message),
  );
  // The same header signed is fine.
  assert.equal(
    outcome(verifier, await signed({ ...BASE, headers: { ...BASE.headers, "x-amz-target": "SageMaker.X" } })),
    "ok",
  );

  // UNSIGNED-PAYLOAD, even correctly signed as such, would let a captured request carry another body.
  const unsigned = await signed({
    ...BASE,
    headers: { ...BASE.headers, "x-amz-content-sha256": "UNSIGNED-PAYLOAD" },
  });
  assert.throws(
    () => verifier.verify(unsigned, NOW),
    (e: unknown) =>
      isStrataError(e, "SIGNATURE_MISMATCH") && /UNSIGNED-PAYLOAD is not accepted/.test(e.message),
  );
});
