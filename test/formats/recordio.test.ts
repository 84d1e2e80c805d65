import assert from "node:assert/strict";
import { describe, test } from "node:test";
import fc from "fast-check";
import { decodeRecordIO, encodeRecordIO, iterateRecordIO } from "../../src/formats/recordio.js";
import { assertStrataError, concatBytes, hexBytes, toHex } from "./bytes.js";

const MAGIC = "0a 23 d7 ce";
/** One frame with an explicit cflag, padded like dmlc does. */
function frame(cflag: number, payload: Uint8Array): Uint8Array {
  const header = new DataView(new ArrayBuffer(8));
  header.setUint32(0, 0xced7230a, true);
  header.setUint32(4, ((cflag << 29) | payload.length) >>> 0, true);
  return concatBytes(
    new Uint8Array(header.buffer),
    payload,
    new Uint8Array(((payload.length + 3) & ~3) - payload.length),
  );
}

describe("RecordIO framing (spec §3.3)", () => {
  test("writes magic, length with cflag 0, payload and zero padding to 4 bytes", () => {
    const out = encodeRecordIO([hexBytes("01 02 03 04 05"), new Uint8Array(0), hexBytes("aa bb bb cc")]);
    assert.equal(
      toHex(out),
      toHex(hexBytes(`${MAGIC} 05000000 0102030405 000000  ${MAGIC} 00000000  ${MAGIC} 04000000 aabbbbcc`)),
    );
    assert.deepEqual(decodeRecordIO(out), [
      hexBytes("01 02 03 04 05"),
      new Uint8Array(0),
      hexBytes("aa bb bb cc"),
    ]);
  });

  test("whole payloads are views into the input (no copy)", () => {
    const out = encodeRecordIO([hexBytes("01 02")]);
    const [payload] = [...iterateRecordIO(out)];
    assert.equal(payload!.buffer, out.buffer);
    assert.equal(payload!.byteOffset, 8);
  });

  test("re-joins dmlc multi-part records (cflag 1, 2, 3) with the magic between parts", () => {
    const bytes = concatBytes(
      frame(1, hexBytes("11")),
      frame(2, hexBytes("22 22")),
      frame(3, hexBytes("33")),
      frame(0, hexBytes("44")),
    );
    assert.deepEqual(decodeRecordIO(bytes).map(toHex), [
      toHex(hexBytes(`11 ${MAGIC} 22 22 ${MAGIC} 33`)),
      "44",
    ]);
    const twoParts = concatBytes(frame(1, new Uint8Array(0)), frame(3, new Uint8Array(0)));
    assert.deepEqual(decodeRecordIO(twoParts), [hexBytes(MAGIC)]);
  });

  test("reports bad magic, truncation, bad cflag sequences and short trailing bytes with offsets", () => {
    const good = encodeRecordIO([hexBytes("01 02 03")]);
    const bad = concatBytes(good, hexBytes("0b 23 d7 ce 00000000"));
    assertStrataError(
      () => decodeRecordIO(bad),
      "FORMAT_ERROR",
      "RecordIO: bad magic 0xced7230b at offset 12; expected 0xced7230a.",
    );
    assertStrataError(
      () => decodeRecordIO(good.subarray(0, 10)),
      "FORMAT_ERROR",
      /RecordIO: truncated at offset 8: record at offset 0/,
    );
    assertStrataError(
      () => decodeRecordIO(good.subarray(0, 11)),
      "FORMAT_ERROR",
      /padding of record at offset 0/,
    );
    assertStrataError(
      () => decodeRecordIO(concatBytes(good, hexBytes("0a 23"))),
      "FORMAT_ERROR",
      /2 trailing bytes at offset 12/,
    );
    assertStrataError(
      () => decodeRecordIO(frame(1, hexBytes("11"))),
      "FORMAT_ERROR",
      /multi-part record started at offset 0 is unterminated/,
    );
    assertStrataError(
      () => decodeRecordIO(concatBytes(frame(1, hexBytes("11")), good)),
      "FORMAT_ERROR",
      /unterminated at offset 12/,
    );
    assertStrataError(
      () => decodeRecordIO(frame(3, hexBytes("11"))),
      "FORMAT_ERROR",
      /continuation flag 3 at offset 4 with no first part/,
    );
    assertStrataError(
      () => decodeRecordIO(frame(5, hexBytes("11"))),
      "FORMAT_ERROR",
      /continuation flag 5 at offset 4; expected 0 to 3/,
    );
  });

  test("an empty stream has no records", () => {
    assert.deepEqual(decodeRecordIO(new Uint8Array(0)), []);
    assert.equal(encodeRecordIO([]).length, 0);
  });

  test("random payload lists round-trip, and frames stay 4-aligned", () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ maxLength: 40 }), { maxLength: 12 }), (payloads) => {
        const bytes = encodeRecordIO(payloads);
        assert.equal(bytes.length % 4, 0);
        assert.deepEqual(decodeRecordIO(bytes), payloads);
      }),
      { numRuns: 300 },
    );
  });
});
