/**
 * Issue 12, strict numbers: invocation payloads follow one grammar (finite decimals) in every content type,
 * and an answer never carries Infinity or NaN, which strict JSON parsers refuse. `1e400` (Infinity after
 * JSON.parse), a NaN float in a RecordIO record and inputs so large that a distance overflows each get a
 * ModelError with the container's 400 naming the row, not a 200 with `Infinity` in the body.
 * @module
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { DescribeEndpointCommand } from "@aws-sdk/client-sagemaker";
import { InvokeEndpointCommand } from "@aws-sdk/client-sagemaker-runtime";
import { encodeDenseRows } from "../../src/formats/dense-rows.js";
import { matrix } from "../../src/linalg/matrix.js";
import {
  censusModels,
  deployWithSdk,
  KMEANS_IMAGE,
  pollUntil,
  startTestServer,
  type TestServer,
} from "../api/helpers.js";

let t: TestServer;

before(async () => {
  t = await startTestServer();
  const models = await censusModels();
  await deployWithSdk(t.sm, "km", {
    PrimaryContainer: { Image: KMEANS_IMAGE, ModelDataUrl: models.kmeansUri },
  });
  await pollUntil(async () => {
    const d = await t.sm.send(new DescribeEndpointCommand({ EndpointName: "km" }));
    return d.EndpointStatus === "InService" ? true : undefined;
  });
});
after(() => t?.close());

async function invoke(
  body: Uint8Array | string,
  contentType: string,
): Promise<{ status: number; text: string }> {
  try {
    const r = await t.rt.send(
      new InvokeEndpointCommand({
        EndpointName: "km",
        ContentType: contentType,
        Accept: "application/json",
        Body: body,
      }),
    );
    return { status: 200, text: new TextDecoder().decode(r.Body) };
  } catch (e) {
    const err = e as Error & { $metadata?: { httpStatusCode?: number }; OriginalStatusCode?: number };
    return {
      status: err.$metadata?.httpStatusCode ?? 0,
      text: `${err.name}: ${err.message} (${err.OriginalStatusCode})`,
    };
  }
}

test("finite inputs are answered with finite JSON", async () => {
  const r = await invoke("1e30,0,0,0,0", "text/csv");
  assert.equal(r.status, 200, r.text);
  assert.ok(!/Infinity|NaN/.test(r.text), r.text);
  assert.ok(Number.isFinite(JSON.parse(r.text).predictions[0].distance_to_cluster));
});

test("1e400 in JSON, Infinity and 0x1F in CSV, NaN in RecordIO: ModelError 400 naming the row", async () => {
  const cases: [Uint8Array | string, string, RegExp][] = [
    [
      '{"instances": [{"features": [0, 0, 0, 0, 0]}, {"features": [1e400, 0, 0, 0, 0]}]}',
      "application/json",
      /instance 1, value 0 is beyond the range of a double/,
    ],
    ["0,0,0,0,Infinity", "text/csv", /field 5 is "Infinity", not a number/],
    ["0x1F,0,0,0,0", "text/csv", /field 1 is "0x1F", not a number/],
    [
      encodeDenseRows(matrix(2, 5, Float64Array.of(0, 0, 0, 0, 0, 0, Number.NaN, 0, 0, 0)), {
        dtype: "float32",
      }),
      "application/x-recordio-protobuf",
      /record 2 has a value that is not finite/,
    ],
  ];
  for (const [body, type, pattern] of cases) {
    const r = await invoke(body, type);
    assert.equal(r.status, 424, r.text);
    assert.match(r.text, /^ModelError: /);
    assert.match(r.text, pattern);
    assert.match(r.text, /\(400\)$/);
  }
});

test("inputs whose answer overflows (a double's squared distance, or a float32's range) get an error, not Infinity", async () => {
  for (const row of ["1e200,1e200,1e200,1e200,1e200", "0,0,0,0,0\n1e39,0,0,0,0"]) {
    const r = await invoke(row, "text/csv");
    assert.equal(r.status, 424, r.text);
    assert.match(r.text, /the answer for row \d has a value that is not finite \(the inputs are too large\)/);
  }
});
