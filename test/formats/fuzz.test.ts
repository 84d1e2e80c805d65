/**
 * Fuzzing every decoder: random bytes, every truncation of valid files, and single-byte mutations must
 * either decode or raise a StrataError with an allowed code: never a RangeError or TypeError, never hang,
 * never return more data than the input can hold.
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { gunzipSync, gzipSync } from "node:zlib";
import fc from "fast-check";
import type { ErrorCode } from "../../src/errors.js";
import { decodeDenseRows, encodeDenseRows } from "../../src/formats/dense-rows.js";
import {
  decodeKMeansPredictions,
  decodePCAProjections,
  encodeKMeansPredictions,
} from "../../src/formats/inference-records.js";
import { decodeNDArrayFile, encodeNDArrayFile } from "../../src/formats/ndarray.js";
import {
  decodeKMeansArtifactFile,
  decodePCAArtifactFile,
  encodePCAArtifactFile,
} from "../../src/formats/ndarray-models.js";
import { decodeRecord, encodeRecord } from "../../src/formats/record-protobuf.js";
import { decodeRecordIO, encodeRecordIO } from "../../src/formats/recordio.js";
import { packTarGz, unpackTarGz } from "../../src/formats/tarball.js";
import { fromRows } from "../../src/linalg/matrix.js";
import { concatBytes, expectOnlyCodes, hexBytes } from "./bytes.js";

type Decoder = { name: string; run: (b: Uint8Array) => unknown; codes: ErrorCode[] };

const ndarrayDecoders: Decoder[] = [
  {
    name: "decodeNDArrayFile",
    run: (b) => {
      const file = decodeNDArrayFile(b);
      const bytes = file.arrays.reduce((n, a) => n + a.data.byteLength, 0);
      assert.ok(bytes <= 2 * b.length, `decoded ${bytes} bytes of data from ${b.length} input bytes`);
    },
    codes: ["FORMAT_ERROR"],
  },
  { name: "decodePCAArtifactFile", run: decodePCAArtifactFile, codes: ["FORMAT_ERROR", "ARTIFACT_INVALID"] },
  {
    name: "decodeKMeansArtifactFile",
    run: decodeKMeansArtifactFile,
    codes: ["FORMAT_ERROR", "ARTIFACT_INVALID"],
  },
];
const streamDecoders: Decoder[] = [
  { name: "decodeRecordIO", run: decodeRecordIO, codes: ["FORMAT_ERROR"] },
  {
    name: "decodeDenseRows",
    run: (b) => decodeDenseRows(b, { maxValues: 1 << 16 }),
    codes: ["FORMAT_ERROR", "WIDTH_MISMATCH"],
  },
  { name: "decodePCAProjections", run: decodePCAProjections, codes: ["FORMAT_ERROR"] },
  { name: "decodeKMeansPredictions", run: decodeKMeansPredictions, codes: ["FORMAT_ERROR"] },
];
const recordDecoders: Decoder[] = [
  {
    name: "decodeRecord",
    run: (b) => {
      const r = decodeRecord(b);
      for (const v of [...r.features.values(), ...r.label.values()]) {
        if (v.kind !== "none" && v.kind !== "bytes") assert.ok(v.values.byteLength <= 4 * b.length);
      }
    },
    codes: ["FORMAT_ERROR"],
  },
];

const pcaFile = encodePCAArtifactFile({
  s: [3, 1.5],
  v: { rows: 3, cols: 2, data: [0.25, -0.5, 1, 2, -4, 8] },
  mean: [0.125, 0.75, -1],
});
const legacyFile = concatBytes(
  hexBytes("12010000 00000000 00000000 00000000 02000000 00000000"),
  hexBytes("01000000 02000000 01000000 00000000 00000000 0000803f 00000040"),
  hexBytes("c8fa93f9 01000000 0100000000000000 01000000 00000000 00000000 0000803f"),
  hexBytes("00000000 00000000"),
);
const f16File = encodeNDArrayFile({
  arrays: [{ shape: [2, 1], dtype: "float16", data: Float32Array.from([1, -2]), storage: "default" }],
  names: ["h"],
});
const denseStream = encodeDenseRows(
  fromRows([
    [1.5, 16, -2],
    [0, 1e-40, 7],
  ]),
  { dtype: "float32", labels: Float64Array.from([1, 0]) },
);
const kmStream = encodeKMeansPredictions({ closestCluster: [3, 1], distanceToCluster: [0.27, 1.5] });
const sparsePayload = hexBytes(
  `0a 1d 0a 06 "values" 12 13 12 11 0a 08 00 00 80 3f 00 00 80 40 12 02 03 07 1a 01 0a`,
);
const richPayload = encodeRecord({
  features: new Map([
    ["values", { kind: "int32", values: Int32Array.from([-1, 5]), keys: [0, 9], shape: [10] }],
  ]),
  label: new Map([["b", { kind: "bytes", values: [Uint8Array.from([1])], contentType: "x/y" }]]),
  uid: "id-é",
  configuration: "{}",
});
const multiPart = hexBytes("0a23d7ce 01000020 11000000  0a23d7ce 02000060 2222 0000  0a23d7ce 00000000");

/** Every truncation, plus flipping each byte four ways (0, 0xff, low bit, high bit). */
function* variants(bytes: Uint8Array): Generator<Uint8Array> {
  for (let n = 0; n < bytes.length; n++) yield bytes.subarray(0, n);
  for (let i = 0; i < bytes.length; i++) {
    for (const f of [() => 0, () => 0xff, (b: number) => b ^ 1, (b: number) => b ^ 0x80]) {
      const m = bytes.slice();
      m[i] = f(m[i]!);
      yield m;
    }
  }
}

function fuzzFamily(decoders: Decoder[], samples: Uint8Array[], prefix: Uint8Array): void {
  for (const d of decoders) {
    test(`${d.name}: truncations and byte flips of valid inputs, random bytes`, () => {
      for (const s of samples) for (const v of variants(s)) expectOnlyCodes(() => d.run(v), d.codes);
      fc.assert(
        fc.property(fc.uint8Array({ maxLength: 256 }), fc.boolean(), (tail, withPrefix) => {
          expectOnlyCodes(() => d.run(withPrefix ? concatBytes(prefix, tail) : tail), d.codes);
        }),
        { numRuns: 1500 },
      );
      fc.assert(
        fc.property(fc.constantFrom(...samples), fc.nat(), fc.integer({ min: 0, max: 255 }), (s, at, b) => {
          const m = s.slice();
          m[at % m.length] = b;
          expectOnlyCodes(() => d.run(m), d.codes);
        }),
        { numRuns: 1000 },
      );
    });
  }
}

describe("fuzz: NDArray files", { timeout: 10_000 }, () => {
  fuzzFamily(
    ndarrayDecoders,
    [pcaFile, legacyFile, f16File],
    hexBytes("12010000 00000000 00000000 00000000 01000000 00000000"),
  );
});

describe("fuzz: RecordIO streams", { timeout: 10_000 }, () => {
  fuzzFamily(
    streamDecoders,
    [denseStream, kmStream, multiPart, encodeRecordIO([sparsePayload, richPayload])],
    hexBytes("0a23d7ce"),
  );
});

describe("fuzz: Record protobuf", { timeout: 10_000 }, () => {
  fuzzFamily(recordDecoders, [sparsePayload, richPayload], hexBytes("0a 1d 0a 06 76 61 6c 75 65 73 12 13"));
});

describe("fuzz: tar.gz", { timeout: 10_000 }, () => {
  test("truncations and mutations of the gzip and of the tar inside only raise FORMAT_ERROR", async () => {
    const tgz = await packTarGz([
      { name: "model_algo-1", bytes: pcaFile },
      { name: "state_x", bytes: Uint8Array.from([1, 2]) },
    ]);
    const tar = gunzipSync(tgz);
    const run = async (b: Uint8Array) => {
      try {
        await unpackTarGz(b, { maxTotalBytes: 1 << 20, maxEntries: 16 });
      } catch (e) {
        expectOnlyCodes(() => {
          throw e;
        }, ["FORMAT_ERROR"]);
      }
    };
    for (let n = 0; n < tgz.length; n += 3) await run(tgz.subarray(0, n));
    for (let n = 0; n < tar.length; n += 97) await run(gzipSync(tar.subarray(0, n)));
    await fc.assert(
      fc.asyncProperty(fc.nat(), fc.integer({ min: 0, max: 255 }), fc.boolean(), async (at, b, inner) => {
        const m = (inner ? tar : tgz).slice();
        m[at % m.length] = b;
        await run(inner ? gzipSync(m) : m);
      }),
      { numRuns: 400 },
    );
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 600 }), async (b) => run(gzipSync(b))),
      { numRuns: 200 },
    );
  });
});
