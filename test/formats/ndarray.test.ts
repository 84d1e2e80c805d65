import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, test } from "node:test";
import fc from "fast-check";
import { decodeNDArrayFile, encodeNDArrayFile, type NDArray } from "../../src/formats/ndarray.js";
import {
  decodeKMeansArtifactFile,
  decodePCAArtifactFile,
  encodeKMeansArtifactFile,
  encodePCAArtifactFile,
} from "../../src/formats/ndarray-models.js";
import { readModelAlgoFile } from "../../src/formats/tarball.js";
import { fromRows } from "../../src/linalg/matrix.js";
import { sagemakerKMeansArtifactDir } from "../helpers/census.js";
import { expectClose } from "../helpers/expect-close.js";
import { assertStrataError, concatBytes, hexBytes, toHex } from "./bytes.js";

const f32 = (shape: number[], values: number[]): NDArray => ({
  shape,
  dtype: "float32",
  data: Float32Array.from(values),
  storage: "default",
});
const u64 = (n: number) => hexBytes(Buffer.from(new BigUint64Array([BigInt(n)]).buffer).toString("hex"));
const HEADER = (n: number) => concatBytes(u64(0x112), u64(0), u64(n));

describe("the real SageMaker K-Means artifact (kmeans-8x7)", () => {
  const dir = sagemakerKMeansArtifactDir();
  const expected = JSON.parse(readFileSync(join(dir, "expected.json"), "utf8")) as {
    shape: number[];
    centroids: number[][];
  };

  test("unpacks, decodes as a list of one float32 [8, 7] array equal to expected.json", async () => {
    const bytes = await readModelAlgoFile(readFileSync(join(dir, "model.tar.gz")));
    assert.equal(bytes.length, 24 + (24 + 8 * 2 + 4 * 56) + 8, "size formula of spec §5.4");
    const file = decodeNDArrayFile(bytes);
    assert.equal(file.names, null, "zero names: mx.nd.load returns a list");
    assert.equal(file.arrays.length, 1);
    assert.deepEqual(file.arrays[0]!.shape, expected.shape);
    assert.equal(file.arrays[0]!.dtype, "float32");
    // expected.json is rounded to 6 decimals, so 5e-7 would do; 1e-6 leaves room for its rounding mode.
    expectClose(file.arrays[0]!.data as Float32Array, expected.centroids.flat(), { atol: 1e-6 }, "centroids");
    const km = decodeKMeansArtifactFile(bytes);
    assert.deepEqual([km.k, km.dim], [8, 7]);
    assert.deepEqual(
      encodeKMeansArtifactFile({ rows: 8, cols: 7, data: km.centroids }),
      bytes,
      "our writer = SageMaker's bytes",
    );
  });
});

describe("byte layout (spec §5.3, §5.4)", () => {
  test("the K-Means worked example is the 96 bytes listed in the spec", () => {
    const bytes = encodeKMeansArtifactFile(
      fromRows([
        [0.5, 1, -1],
        [2, 0, 0.25],
      ]),
    );
    const spec = hexBytes(`12 01 00 00 00 00 00 00  00 00 00 00 00 00 00 00  01 00 00 00 00 00 00 00
      c9 fa 93 f9  00 00 00 00  02 00 00 00  02 00 00 00 00 00 00 00  03 00 00 00 00 00 00 00
      01 00 00 00 00 00 00 00  00 00 00 00
      00 00 00 3f 00 00 80 3f 00 00 80 bf  00 00 00 40 00 00 00 00 00 00 80 3e
      00 00 00 00 00 00 00 00`);
    assert.equal(toHex(bytes), toHex(spec));
    assert.equal(bytes.length, 96);
  });

  test("a PCA file walks offset by offset against the layout", () => {
    const s = [3, 1.5];
    const v = [0.25, -0.5, 1, 2, -4, 8];
    const mean = [0.125, 0.75, -1];
    const bytes = encodePCAArtifactFile({ s, v: { rows: 3, cols: 2, data: v }, mean });
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    let at = 0;
    const next = (size: 4 | 8) => {
      const value = size === 4 ? view.getUint32(at, true) : Number(view.getBigUint64(at, true));
      at += size;
      return value;
    };
    assert.equal(next(8), 0x112, "list magic");
    assert.equal(next(8), 0, "reserved");
    assert.equal(next(8), 3, "array count");
    for (const [shape, values] of [
      [[2], s],
      [[3, 2], v],
      [[1, 3], mean],
    ] as const) {
      const start = at;
      assert.equal(toHex(bytes.subarray(at, at + 4)), "c9 fa 93 f9", "V2 magic");
      at += 4;
      assert.equal(next(4), 0, "storage type");
      assert.equal(next(4), shape.length, "ndim");
      for (const d of shape) assert.equal(next(8), d, "dim (i64)");
      assert.deepEqual([next(4), next(4)], [1, 0], "ctx cpu(0)");
      assert.equal(next(4), 0, "dtype float32");
      for (const x of values) {
        assert.equal(view.getFloat32(at, true), x);
        at += 4;
      }
      assert.equal(at - start, 24 + 8 * shape.length + 4 * values.length, "24 + 8·ndim + 4·prod(dims)");
    }
    assert.equal(next(8), 3, "name count");
    for (const name of ["s", "v", "mean"]) {
      assert.equal(next(8), name.length);
      assert.equal(Buffer.from(bytes.subarray(at, at + name.length)).toString(), name);
      at += name.length;
    }
    assert.equal(at, bytes.length, "every byte accounted for");
    const back = decodePCAArtifactFile(bytes);
    assert.deepEqual([back.v.rows, back.v.cols], [3, 2]);
    assert.deepEqual([...back.s, ...back.v.data, ...back.mean], [...s, ...v, ...mean]);
  });
});

describe("reading older and unusual layouts", () => {
  const ctxFlag = hexBytes("01000000 00000000 00000000");
  const data = hexBytes("0000803f 00000040");

  test("V1 (no storage type) and pre-V1 (u32 ndim and dims) arrays", () => {
    const v1 = concatBytes(HEADER(1), hexBytes("c8 fa 93 f9  01000000"), u64(2), ctxFlag, data, u64(0));
    const v0 = concatBytes(HEADER(1), hexBytes("01000000 02000000"), ctxFlag, data, u64(0));
    for (const bytes of [v1, v0]) {
      const { arrays, names } = decodeNDArrayFile(bytes);
      assert.equal(names, null);
      assert.deepEqual(arrays[0]!.shape, [2]);
      assert.deepEqual(arrays[0]!.data, Float32Array.from([1, 2]));
    }
  });

  test("V3 scalars and none arrays; V2 none arrays round-trip", () => {
    const v3 = concatBytes(
      HEADER(2),
      hexBytes("ca fa 93 f9 00000000 00000000"),
      ctxFlag,
      hexBytes("0000803f"),
    );
    const v3none = hexBytes("ca fa 93 f9 00000000 ffffffff");
    const file = decodeNDArrayFile(concatBytes(v3, v3none, u64(0)));
    assert.deepEqual(file.arrays[0]!.shape, []);
    assert.deepEqual(file.arrays[0]!.data, Float32Array.from([1]));
    assert.equal(file.arrays[1]!.data.length, 0);
    const none: NDArray = { shape: [], dtype: "float32", data: new Float32Array(0), storage: "default" };
    const bytes = encodeNDArrayFile({ arrays: [none, f32([1], [5])], names: ["a", "b"] });
    assert.equal(bytes.length, 24 + 12 + (24 + 8 + 4) + 8 + 9 + 9);
    assert.deepEqual(decodeNDArrayFile(bytes), { arrays: [none, f32([1], [5])], names: ["a", "b"] });
  });

  test("every dtype round-trips; float16 and bfloat16 widen to float32", () => {
    const arrays: NDArray[] = [
      { shape: [2], dtype: "float64", data: Float64Array.from([Math.PI, -0]), storage: "default" },
      {
        shape: [4],
        dtype: "float16",
        data: Float32Array.from([1, 65504, 2 ** -24, Number.NEGATIVE_INFINITY]),
        storage: "default",
      },
      { shape: [2], dtype: "bfloat16", data: Float32Array.from([1.5, -(2 ** 100)]), storage: "default" },
      { shape: [2], dtype: "uint8", data: Uint8Array.from([0, 255]), storage: "default" },
      { shape: [2], dtype: "bool", data: Uint8Array.from([0, 1]), storage: "default" },
      { shape: [1], dtype: "int8", data: Int8Array.from([-128]), storage: "default" },
      { shape: [1], dtype: "int16", data: Int16Array.from([-300]), storage: "default" },
      { shape: [1], dtype: "uint16", data: Uint16Array.from([65535]), storage: "default" },
      { shape: [1, 1], dtype: "int32", data: Int32Array.from([-7]), storage: "default" },
      { shape: [1], dtype: "uint32", data: Uint32Array.from([2 ** 32 - 1]), storage: "default" },
      { shape: [1], dtype: "int64", data: BigInt64Array.from([-(2n ** 63n)]), storage: "default" },
      { shape: [1], dtype: "uint64", data: BigUint64Array.from([2n ** 64n - 1n]), storage: "default" },
    ];
    const bytes = encodeNDArrayFile({ arrays, names: null });
    assert.deepEqual(decodeNDArrayFile(bytes).arrays, arrays);
    const half = 24 + (24 + 8 + 16) + (24 + 8); // header, the float64 array, the float16 array's header
    assert.equal(toHex(bytes.subarray(half, half + 8)), "00 3c ff 7b 01 00 00 fc", "float16 bit patterns");
  });

  test("float16 narrowing rounds to nearest even and overflows to infinity", () => {
    const a: NDArray = {
      shape: [4],
      dtype: "float16",
      data: Float32Array.from([1 + 2 ** -11, 1 + 3 * 2 ** -11, 65520, 3 * 2 ** -26]),
      storage: "default",
    };
    const back = decodeNDArrayFile(encodeNDArrayFile({ arrays: [a], names: null })).arrays[0]!.data;
    assert.deepEqual(Array.from(back as Float32Array), [1, 1 + 2 ** -9, Number.POSITIVE_INFINITY, 2 ** -24]);
  });
});

describe("errors", () => {
  const valid = encodeKMeansArtifactFile(fromRows([[1, 2]]));

  test("bad header magic, name counts, trailing bytes, sparse storage, unknown dtype", () => {
    const bad = valid.slice();
    bad[0] = 0x13;
    assertStrataError(
      () => decodeNDArrayFile(bad),
      "FORMAT_ERROR",
      "NDArray file: bad header magic 0x113 at offset 0; expected 0x112.",
    );
    const twoNames = concatBytes(valid.subarray(0, valid.length - 8), u64(2));
    assertStrataError(
      () => decodeNDArrayFile(twoNames),
      "FORMAT_ERROR",
      /name count 2 at offset \d+; expected 0 or 1/,
    );
    assertStrataError(
      () => decodeNDArrayFile(concatBytes(valid, hexBytes("00"))),
      "FORMAT_ERROR",
      /1 trailing bytes at offset 80/,
    );
    const sparse = valid.slice();
    sparse[28] = 1;
    assertStrataError(
      () => decodeNDArrayFile(sparse),
      "FORMAT_ERROR",
      /sparse \(row_sparse\/csr\) NDArrays are not supported/,
    );
    const flag = valid.slice();
    flag[60] = 13;
    assertStrataError(() => decodeNDArrayFile(flag), "FORMAT_ERROR", /unknown dtype flag 13 at offset 60/);
  });

  test("truncation names the offset; a huge shape errors before allocating", () => {
    assertStrataError(
      () => decodeNDArrayFile(valid.subarray(0, 68)),
      "FORMAT_ERROR",
      /truncated at offset 64: array 0 data/,
    );
    const huge = concatBytes(
      HEADER(1),
      hexBytes("c9 fa 93 f9 00000000 02000000"),
      u64(1e9),
      u64(1e6),
      hexBytes("01000000 00000000 00000000"),
    );
    assertStrataError(() => decodeNDArrayFile(huge), "FORMAT_ERROR", /needs \d+ bytes; 0 remain/);
    const lyingCount = concatBytes(u64(0x112), u64(0), u64(2 ** 52));
    assertStrataError(() => decodeNDArrayFile(lyingCount), "FORMAT_ERROR", /truncated/);
  });

  test("the model decoders reject files of the other algorithm with ARTIFACT_INVALID", () => {
    const ab = encodeNDArrayFile({ arrays: [f32([1], [1]), f32([1], [2])], names: ["a", "b"] });
    assertStrataError(
      () => decodePCAArtifactFile(ab),
      "ARTIFACT_INVALID",
      "PCA model_algo-1 has arrays [a, b]; expected s, v, mean.",
    );
    const pca = encodePCAArtifactFile({ s: [1], v: { rows: 2, cols: 1, data: [1, 0] }, mean: [0, 0] });
    assertStrataError(
      () => decodeKMeansArtifactFile(pca),
      "ARTIFACT_INVALID",
      /K-Means model_algo-1 has arrays \[s, v, mean\]/,
    );
    assertStrataError(() => decodePCAArtifactFile(valid), "ARTIFACT_INVALID", /has a list of 1 arrays/);
    const badShape = encodeNDArrayFile({
      arrays: [f32([1], [1]), f32([2], [1, 0]), f32([1, 2], [0, 0])],
      names: ["s", "v", "mean"],
    });
    assertStrataError(
      () => decodePCAArtifactFile(badShape),
      "ARTIFACT_INVALID",
      /expected s \[C\], v \[D, C\], mean \[1, D\]/,
    );
  });
});

describe("properties", () => {
  const f32Value = fc.float({ noDefaultInfinity: false, noNaN: false });
  const shape = fc.array(fc.integer({ min: 0, max: 4 }), { minLength: 1, maxLength: 3 });

  test("random float32/float64 arrays with names or without round-trip exactly", () => {
    const arrayArb = fc.tuple(shape, fc.boolean()).chain(([dims, double]) => {
      const n = dims.reduce((p, d) => p * d, 1);
      const values = double
        ? fc.array(fc.double(), { minLength: n, maxLength: n })
        : fc.array(f32Value, { minLength: n, maxLength: n });
      return values.map(
        (v): NDArray => ({
          shape: dims,
          dtype: double ? "float64" : "float32",
          data: double ? Float64Array.from(v) : Float32Array.from(v),
          storage: "default",
        }),
      );
    });
    fc.assert(
      fc.property(fc.array(arrayArb, { maxLength: 4 }), fc.boolean(), (arrays, named) => {
        const file = { arrays, names: named && arrays.length > 0 ? arrays.map((_, i) => `a${i}é`) : null };
        assert.deepEqual(decodeNDArrayFile(encodeNDArrayFile(file)), file);
      }),
      { numRuns: 300 },
    );
  });
});
