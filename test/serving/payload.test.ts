/**
 * The invocation codecs: the float32 formatter prints Python's repr of the widened float32 (checked against
 * values printed by real SageMaker endpoints and by properties), the CSV scanner parses exactly what
 * `Number()` parses (property test over random doubles in many spellings) and rejects what it should, and
 * K-Means predictions encode the same whether their cluster's text is cached (indices below 64) or not, and
 * the batch splitter cuts lines and RecordIO frames the way batch transform does.
 * @module
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { encodeDenseRows } from "../../src/formats/dense-rows.js";
import { fromRows } from "../../src/linalg/matrix.js";
import { requestStream } from "../../src/serving/batch-split.js";
import { RowBuffer, scanCsv } from "../../src/serving/payload/csv-scanner.js";
import { formatFloat32, formatPythonFloat } from "../../src/serving/payload/float-format.js";
import { encodeResponse } from "../../src/serving/payload/responses.js";

test("float32 values print as SageMaker's containers print them", () => {
  // Values from real endpoint responses (spec §4.5).
  assert.equal(formatFloat32(7.2033820152282715), "7.2033820152282715");
  assert.equal(formatFloat32(23.40593910217285), "23.40593910217285");
  assert.equal(formatFloat32(0.27046188712120056), "0.27046188712120056");
  assert.equal(formatFloat32(7), "7.0");
  assert.equal(formatFloat32(3), "3.0");
  assert.equal(formatFloat32(0.1), "0.10000000149011612");
  // Python's layout: exponent below 1e-4 and from 1e16, two exponent digits, always a sign.
  assert.equal(formatPythonFloat(0.0001), "0.0001");
  assert.equal(formatPythonFloat(0.00001), "1e-05");
  assert.equal(formatPythonFloat(1.5e-7), "1.5e-07");
  assert.equal(formatPythonFloat(1e16), "1e+16");
  assert.equal(formatPythonFloat(1234567890123456), "1234567890123456.0");
  assert.equal(formatPythonFloat(-0), "-0.0");
  assert.equal(formatPythonFloat(0), "0.0");
  assert.equal(formatPythonFloat(-2.5), "-2.5");
  assert.equal(formatPythonFloat(Number.NaN), "NaN");
  assert.equal(formatPythonFloat(Number.NEGATIVE_INFINITY), "-Infinity");
  assert.equal(formatPythonFloat(1e300), "1e+300");
});

test("formatted float32 values read back exactly and are valid JSON numbers", () => {
  fc.assert(
    fc.property(fc.float({ noNaN: true, noDefaultInfinity: true }), (f) => {
      const s = formatFloat32(f);
      assert.equal(Number(s), Math.fround(f));
      assert.equal(JSON.parse(s), Math.fround(f));
      if (Number.isInteger(f) && Math.abs(f) < 1e16) assert.ok(s.endsWith(".0"));
    }),
    { numRuns: 2000, seed: 1 },
  );
});

test("the CSV scanner parses exactly what Number() parses", () => {
  const spell = fc
    .tuple(
      fc.double({ noNaN: true, noDefaultInfinity: true }),
      fc.constantFrom("plain", "fixed", "exp", "prec"),
    )
    .map(([v, how]) => {
      const text =
        how === "plain"
          ? String(v)
          : how === "fixed"
            ? v.toFixed(Math.min(20, 6))
            : how === "exp"
              ? v.toExponential(8)
              : v.toPrecision(17);
      return text;
    });
  fc.assert(
    fc.property(
      fc.array(fc.array(spell, { minLength: 3, maxLength: 3 }), { minLength: 1, maxLength: 5 }),
      fc.constantFrom("\n", "\r\n"),
      (rows, eol) => {
        const body = Buffer.from(`${rows.map((r) => r.join(",")).join(eol)}${eol}`);
        const out = new RowBuffer(4);
        assert.equal(scanCsv(body, 3, out), rows.length);
        assert.deepEqual(Array.from(out.data.subarray(0, rows.length * 3)), rows.flat().map(Number));
      },
    ),
    { numRuns: 1000, seed: 2 },
  );
  const out = new RowBuffer();
  assert.equal(scanCsv(Buffer.from(" 1.5 ,\t-2e3,+.5\n\n7,8.,9e-1"), 3, out), 2);
  assert.deepEqual(Array.from(out.data.subarray(0, 6)), [1.5, -2000, 0.5, 7, 8, 0.9]);
  for (const [bad, pattern] of [
    ["1,2,", /field 3 is "", not a number/],
    // Issue 12: one grammar, finite decimals only; Number() would take these.
    ["1,2,0x1F", /field 3 is "0x1F", not a number/],
    ["1,2,NaN", /field 3 is "NaN", not a number/],
    ["1,2,nan", /field 3 is "nan", not a number/],
    ["1,2,Infinity", /field 3 is "Infinity", not a number/],
    ["1,2,-Infinity", /field 3 is "-Infinity", not a number/],
    ["1,2,1e400", /field 3 is "1e400", beyond the range of a double/],
    ["1,2,banana", /field 3 is "banana", not a number/],
    ["1,2, 1_000", /field 3/],
    ["1,,3", /field 2/],
    ["1,2,3x", /"3x"/],
    ["1,2,1e", /field 3/],
    ["1,2,3\n4,5", /Row 2 has 2 values; the model expects 3 features/],
    ["\n\n", /no rows/],
  ] as const)
    assert.throws(() => scanCsv(Buffer.from(bad), 3, new RowBuffer()), pattern);
});

test("the scanner's fast path (short plain decimals) parses exactly what Number() parses", () => {
  // Signs, 0–18 integer digits, an optional fraction of 0–18 digits: both sides of the 15-digit fast-path
  // limit, "1." and ".5", "-0", values ending the body with no newline.
  const digits = (max: number) => fc.stringMatching(new RegExp(`^[0-9]{0,${max}}$`));
  const field = fc
    .tuple(fc.constantFrom("", "-", "+"), digits(18), fc.option(digits(18), { nil: undefined }))
    .filter(([, int, frac]) => int.length + (frac?.length ?? 0) > 0)
    .map(([sign, int, frac]) => `${sign}${int}${frac === undefined ? "" : `.${frac}`}`);
  fc.assert(
    fc.property(
      fc.array(fc.array(field, { minLength: 4, maxLength: 4 }), { minLength: 1, maxLength: 6 }),
      fc.constantFrom("\n", "\r\n"),
      fc.boolean(),
      (rows, eol, trailing) => {
        const body = Buffer.from(`${rows.map((r) => r.join(",")).join(eol)}${trailing ? eol : ""}`);
        const out = new RowBuffer(4);
        assert.equal(scanCsv(body, 4, out), rows.length);
        assert.deepEqual(Array.from(out.data.subarray(0, rows.length * 4)), rows.flat().map(Number));
      },
    ),
    { numRuns: 2000, seed: 3 },
  );
  const out = new RowBuffer();
  scanCsv(Buffer.from("-0,123456789012345,1234567890123456,0.1234567890123456789"), 4, out);
  assert.deepEqual(
    Array.from(out.data.subarray(0, 4)),
    [-0, 123456789012345, 1234567890123456, 0.12345678901234568],
  );
  for (const bad of ["1,2,3,-", "1,2,3,.", "1,2,3,+", "1,2,3,1.2.3", "1,2,3,1-2", "1,2,3,\u0000"])
    assert.throws(() => scanCsv(Buffer.from(bad), 4, new RowBuffer()), /field 4/);
  // The same fields before a separator (the scanner's loop without end checks), and ending a row.
  for (const bad of ["-", ".", "+", "1.2.3", "1-2", "\u0000", "", "1e", "--1"]) {
    assert.throws(() => scanCsv(Buffer.from(`${bad},2,3,4`), 4, new RowBuffer()), /line 1, field 1/);
    assert.throws(() => scanCsv(Buffer.from(`1,2,3,${bad}\n5,6,7,8`), 4, new RowBuffer()), /line 1, field 4/);
  }
});

test("K-Means predictions print the same for cached and uncached cluster indices", () => {
  const clusters = Float64Array.of(0, 6, 63, 64, 1000);
  const distances = Float64Array.of(0.28347909450531006, 3, 1e-5, 0.1, 12.5);
  const out = {
    kind: "predictions" as const,
    rows: 5,
    width: 2,
    projections: new Float64Array(0),
    clusters,
    distances,
  };
  const items = Array.from(clusters, (c, r) => ({ c, d: formatFloat32(distances[r]!) }));
  const objects = items.map(({ c, d }) => `{"closest_cluster": ${c}.0, "distance_to_cluster": ${d}}`);
  assert.equal(encodeResponse(out, "application/json"), `{"predictions": [${objects.join(", ")}]}`);
  assert.equal(encodeResponse(out, "application/jsonlines"), objects.join("\n"));
  assert.equal(encodeResponse(out, "text/csv"), items.map(({ c, d }) => `${c}.0,${d}`).join("\n"));
  assert.equal(
    encodeResponse({ ...out, rows: 1 }, "application/json"),
    '{"predictions": [{"closest_cluster": 0.0, "distance_to_cluster": 0.28347909450531006}]}',
  );
});

test("batch transform splits lines and RecordIO frames within MaxPayloadInMB, whatever the blocks they arrive in", async () => {
  const text = (bodies: Uint8Array[]) => bodies.map((b) => Buffer.from(b).toString());
  const lines = Buffer.from("1,2\r\n3,4\n\n5,6\n");
  // Every cut of the object into two blocks gives the same requests.
  for (let cut = 0; cut <= lines.length; cut++) {
    const blocks = [lines.subarray(0, cut), lines.subarray(cut)];
    assert.deepEqual(
      text(await splitAll(blocks, { splitType: "Line", strategy: "SingleRecord", maxPayloadBytes: 100 })),
      ["1,2", "3,4", "5,6"],
    );
    assert.deepEqual(
      text(await splitAll(blocks, { splitType: "Line", strategy: "MultiRecord", maxPayloadBytes: 7 })),
      ["1,2\n3,4", "5,6"],
    );
  }
  await assert.rejects(
    splitAll([lines], { splitType: "Line", strategy: "MultiRecord", maxPayloadBytes: 2 }),
    /Record 1 has 3 bytes, more than MaxPayloadInMB/,
  );
  // A record still open past the limit fails at once, before the object ends (no line break in a gzip bomb).
  await assert.rejects(
    splitAll([Buffer.alloc(50, 48), Buffer.alloc(50, 48)], {
      splitType: "Line",
      strategy: "SingleRecord",
      maxPayloadBytes: 60,
    }),
    /Record 1 has 100 bytes, more than MaxPayloadInMB \(60 bytes\)/,
  );
  const rec = encodeDenseRows(
    fromRows([
      [1, 2],
      [3, 4],
      [5, 6],
    ]),
    { dtype: "float32" },
  );
  for (let cut = 0; cut <= rec.length; cut += 3) {
    const frames = await splitAll([rec.subarray(0, cut), rec.subarray(cut)], {
      splitType: "RecordIO",
      strategy: "SingleRecord",
      maxPayloadBytes: 1000,
    });
    assert.equal(frames.length, 3);
    assert.deepEqual(Buffer.concat(frames), Buffer.from(rec));
  }
  assert.equal(
    (await splitAll([rec], { splitType: "RecordIO", strategy: "MultiRecord", maxPayloadBytes: rec.length }))
      .length,
    1,
  );
  await assert.rejects(
    splitAll([rec.subarray(0, 10)], {
      splitType: "RecordIO",
      strategy: "SingleRecord",
      maxPayloadBytes: 1000,
    }),
    /RecordIO: the frame at offset 0 is truncated/,
  );
});

/** Every request of an object that arrives in these blocks. */
async function splitAll(
  blocks: Uint8Array[],
  options: Parameters<typeof requestStream>[1],
): Promise<Uint8Array[]> {
  const out: Uint8Array[] = [];
  for await (const body of requestStream(blocks, options)) out.push(body);
  return out;
}
