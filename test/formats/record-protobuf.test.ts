import assert from "node:assert/strict";
import { describe, test } from "node:test";
import fc from "fast-check";
import {
  decodeRecord,
  encodeRecord,
  type RecordMessage,
  type Value,
} from "../../src/formats/record-protobuf.js";
import { decodeRecordIO, encodeRecordIO } from "../../src/formats/recordio.js";
import { assertStrataError, hexBytes, toHex } from "./bytes.js";

const f32 = (values: number[], keys: number[] = [], shape: number[] = []): Value => ({
  kind: "float32",
  values: Float32Array.from(values),
  keys,
  shape,
});
const rec = (features: [string, Value][], label: [string, Value][] = []): RecordMessage => ({
  features: new Map(features),
  label: new Map(label),
});

describe("the spec's worked examples (§3.4, §4.5) are byte-identical", () => {
  test("dense float32 row [1.5, 16.0]: the exact 32 bytes", () => {
    const bytes = encodeRecordIO([encodeRecord(rec([["values", f32([1.5, 16])]]))]);
    const spec = `0a 23 d7 ce  18 00 00 00  0a 16  0a 06 "values"  12 0c  12 0a  0a 08  00 00 c0 3f  00 00 80 41`;
    assert.equal(toHex(bytes), toHex(hexBytes(spec)));
  });

  test("sparse float32 row, D = 10, {3: 1.0, 7: 4.0}: 31-byte payload plus 1 padding byte", () => {
    const record = rec([["values", f32([1, 4], [3, 7], [10])]]);
    const spec = `0a 23 d7 ce  1f 00 00 00  0a 1d  0a 06 "values"  12 13  12 11
      0a 08 00 00 80 3f 00 00 80 40   12 02 03 07   1a 01 0a   00`;
    const bytes = encodeRecordIO([encodeRecord(record)]);
    assert.equal(toHex(bytes), toHex(hexBytes(spec)));
    assert.deepEqual(decodeRecord(decodeRecordIO(bytes)[0]!), record);
  });

  test("a label scalar 1.0f adds the listed 20 bytes", () => {
    const withLabel = encodeRecord(rec([["values", f32([1.5, 16])]], [["values", f32([1])]]));
    const label = `12 12 0a 06 "values" 12 08 12 06 0a 04 00 00 80 3f`;
    assert.equal(toHex(withLabel.subarray(24)), toHex(hexBytes(label)));
  });

  test("PCA projection [0.5, -1.25] and K-Means (3, 0.27046188712120056) response payloads", () => {
    const pca = encodeRecord(rec([], [["projection", f32([0.5, -1.25])]]));
    assert.equal(
      toHex(pca),
      toHex(hexBytes(`12 1a  0a 0a "projection"  12 0c  12 0a  0a 08  00 00 00 3f  00 00 a0 bf`)),
    );
    const km = encodeRecord(
      rec(
        [],
        [
          ["closest_cluster", f32([3])],
          ["distance_to_cluster", f32([0.27046188712120056])],
        ],
      ),
    );
    const spec = `12 1b  0a 0f "closest_cluster"  12 08  12 06  0a 04  00 00 40 40
                  12 1f  0a 13 "distance_to_cluster"  12 08  12 06  0a 04  fb 79 8a 3e`;
    assert.equal(toHex(km), toHex(hexBytes(spec)));
    assert.equal(km.length, 62);
  });

  test("float64 rows use tag 1a, int32 rows tag 3a with 10-byte negative varints", () => {
    const f64 = encodeRecord(
      rec([["values", { kind: "float64", values: Float64Array.from([1]), keys: [], shape: [] }]]),
    );
    assert.equal(
      toHex(f64),
      toHex(hexBytes(`0a 16 0a 06 "values" 12 0c 1a 0a 0a 08 00 00 00 00 00 00 f0 3f`)),
    );
    const i32: Value = { kind: "int32", values: Int32Array.from([-1, 300]), keys: [], shape: [] };
    const bytes = encodeRecord(rec([["values", i32]]));
    assert.equal(
      toHex(bytes.subarray(10)),
      toHex(hexBytes("12 10 3a 0e 0a 0c ff ff ff ff ff ff ff ff ff 01 ac 02")),
    );
    assert.deepEqual(decodeRecord(bytes), rec([["values", i32]]));
  });
});

describe("decoding follows protobuf rules", () => {
  test("unpacked repeated values, keys and shape are accepted and concatenate with packed ones", () => {
    // float32_tensor { values: 1.0 (unpacked, tag 0d), values packed [2.0], keys 3 (tag 10), shape packed [10] }
    const tensor = "0d 00 00 80 3f  0a 04 00 00 00 40  10 03 10 04  1a 01 0a";
    const bytes = hexBytes(`0a 23 0a 06 "values" 12 19 12 17 ${tensor} 0d 00 00 40 40`);
    assert.deepEqual(decodeRecord(bytes), rec([["values", f32([1, 2, 3], [3, 4], [10])]]));
  });

  test("unknown fields of every wire type are skipped; strings are read", () => {
    const unknown = "30 96 01  39 0102030405060708  45 01020304  52 02 aa bb  5b 08 01 5c";
    const bytes = hexBytes(`${unknown} 1a 02 "u1" 22 01 "m" 2a 02 "{}"`);
    assert.deepEqual(decodeRecord(bytes), { ...rec([]), uid: "u1", metadata: "m", configuration: "{}" });
  });

  test("a repeated Value member merges; a different oneof member replaces; the last map key wins", () => {
    const entry = (value: string) => {
      const v = hexBytes(value);
      const hex = (n: number) => n.toString(16).padStart(2, "0");
      return `0a ${hex(v.length + 10)} 0a 06 "values" 12 ${hex(v.length)} ${value}`;
    };
    const merged = decodeRecord(hexBytes(entry("12 06 0a 04 00 00 80 3f  12 06 0a 04 00 00 00 40")));
    assert.deepEqual(merged.features.get("values"), f32([1, 2]));
    const replaced = decodeRecord(hexBytes(entry("12 06 0a 04 00 00 80 3f  1a 00")));
    assert.deepEqual(replaced.features.get("values"), {
      kind: "float64",
      values: new Float64Array(0),
      keys: [],
      shape: [],
    });
    const last = decodeRecord(hexBytes(`${entry("12 00")} ${entry("4a 00")}`));
    assert.deepEqual([...last.features], [["values", { kind: "bytes", values: [] }]]);
    assert.deepEqual(decodeRecord(hexBytes("0a 00")).features.get(""), { kind: "none" });
  });

  test("malformed input raises FORMAT_ERROR naming the offset", () => {
    assertStrataError(
      () => decodeRecord(hexBytes("08 01")),
      "FORMAT_ERROR",
      /Record field 1 has wire type 0 at offset 0; expected 2/,
    );
    assertStrataError(
      () => decodeRecord(hexBytes("0a 05 0a")),
      "FORMAT_ERROR",
      /features entry at offset 1 claims 5 bytes; only 1 remain/,
    );
    assertStrataError(
      () => decodeRecord(hexBytes("30 ff ff ff ff ff ff ff ff ff ff 01")),
      "FORMAT_ERROR",
      /longer than 10 bytes/,
    );
    assertStrataError(() => decodeRecord(hexBytes("30 ff")), "FORMAT_ERROR", /truncated varint/);
    assertStrataError(
      () => decodeRecord(hexBytes("1a 02 c3 28")),
      "FORMAT_ERROR",
      /Record.uid at offset 1 is not valid UTF-8/,
    );
    assertStrataError(() => decodeRecord(hexBytes("00")), "FORMAT_ERROR", /invalid field number 0/);
    assertStrataError(() => decodeRecord(hexBytes("37")), "FORMAT_ERROR", /wire type 7/);
    assertStrataError(
      () => decodeRecord(hexBytes("0a 0d 12 0b 12 09 0a 07 00 00 80 3f 00 00 80")),
      "FORMAT_ERROR",
      /has 7 bytes; expected a multiple of 4/,
    );
    const bigKey = hexBytes("0a 10 12 0e 12 0c 12 0a ff ff ff ff ff ff ff ff ff 01");
    assertStrataError(
      () => decodeRecord(bigKey),
      "FORMAT_ERROR",
      /Float32Tensor.keys at offset 8 exceeds 2\^53 - 1/,
    );
    assertStrataError(() => decodeRecord(hexBytes("5b 08 01")), "FORMAT_ERROR", /unterminated group/);
  });
});

describe("properties", () => {
  const keys = fc.array(fc.nat({ max: Number.MAX_SAFE_INTEGER }), { maxLength: 4 });
  // fc.record builds null-prototype objects; spread them so deepEqual compares like with like.
  const value: fc.Arbitrary<Value> = fc
    .oneof(
      fc.record({
        kind: fc.constant("float32" as const),
        values: fc.array(fc.float()).map((v) => Float32Array.from(v)),
        keys,
        shape: keys,
      }),
      fc.record({
        kind: fc.constant("float64" as const),
        values: fc.array(fc.double()).map((v) => Float64Array.from(v)),
        keys,
        shape: keys,
      }),
      fc.record({
        kind: fc.constant("int32" as const),
        values: fc.array(fc.integer()).map((v) => Int32Array.from(v)),
        keys,
        shape: keys,
      }),
      fc.record(
        {
          kind: fc.constant("bytes" as const),
          values: fc.array(fc.uint8Array({ maxLength: 8 }), { maxLength: 3 }),
          contentType: fc.string(),
        },
        { requiredKeys: ["kind", "values"] },
      ),
      fc.constant({ kind: "none" as const }),
    )
    .map((v) => ({ ...v }));
  const map = fc.uniqueArray(fc.tuple(fc.string({ unit: "grapheme", maxLength: 8 }), value), {
    selector: ([k]) => k,
    maxLength: 3,
  });
  const record: fc.Arbitrary<RecordMessage> = fc
    .record(
      {
        features: map,
        label: map,
        uid: fc.string({ unit: "grapheme" }),
        metadata: fc.string(),
        configuration: fc.string(),
      },
      { requiredKeys: ["features", "label"] },
    )
    .map((r) => ({ ...r, features: new Map(r.features), label: new Map(r.label) }));

  test("random Records round-trip through encodeRecord/decodeRecord", () => {
    fc.assert(
      fc.property(record, (r) => {
        assert.deepEqual(decodeRecord(encodeRecord(r)), r);
      }),
      { numRuns: 500 },
    );
  });
});
