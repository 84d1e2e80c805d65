import assert from "node:assert/strict";
import { describe, test } from "node:test";
import fc from "fast-check";
import { decodeDenseRows, encodeDenseRows } from "../../src/formats/dense-rows.js";
import {
  decodeKMeansPredictions,
  decodePCAProjections,
  encodeKMeansPredictions,
  encodePCAProjections,
} from "../../src/formats/inference-records.js";
import { encodeRecord, type RecordMessage, type Value } from "../../src/formats/record-protobuf.js";
import { encodeRecordIO } from "../../src/formats/recordio.js";
import { encodeTensorRows, type TensorSlot } from "../../src/formats/tensor-rows.js";
import { fromRows, type Matrix, matrix } from "../../src/linalg/matrix.js";
import { assertStrataError, hexBytes, toHex } from "./bytes.js";

const tensor = (
  kind: "float32" | "float64",
  values: ArrayLike<number>,
  keys: number[] = [],
  shape: number[] = [],
): Value =>
  kind === "float32"
    ? { kind, values: Float32Array.from(values), keys, shape }
    : { kind, values: Float64Array.from(values), keys, shape };
const frames = (records: RecordMessage[]) => encodeRecordIO(records.map(encodeRecord));
const rec = (features: [string, Value][], label: [string, Value][] = []): RecordMessage => ({
  features: new Map(features),
  label: new Map(label),
});

/** The generic path: one RecordMessage per row through encodeRecord, as write_numpy_to_dense_tensor does. */
function genericDenseRows(m: Matrix, dtype: "float32" | "float64", labels?: Float64Array): Uint8Array {
  const records: RecordMessage[] = [];
  for (let i = 0; i < m.rows; i++) {
    const row = m.data.subarray(i * m.cols, (i + 1) * m.cols);
    records.push(
      rec([["values", tensor(dtype, row)]], labels ? [["values", tensor(dtype, [labels[i]!])]] : []),
    );
  }
  return frames(records);
}

describe("encodeDenseRows (write_numpy_to_dense_tensor)", () => {
  test("the dense [1.5, 16.0] row is the spec's exact 32 bytes; a label adds the listed bytes", () => {
    const spec = `0a 23 d7 ce  18 00 00 00  0a 16  0a 06 "values"  12 0c  12 0a  0a 08  00 00 c0 3f  00 00 80 41`;
    assert.equal(toHex(encodeDenseRows(fromRows([[1.5, 16]]), { dtype: "float32" })), toHex(hexBytes(spec)));
    const labelled = encodeDenseRows(fromRows([[1.5, 16]]), {
      dtype: "float32",
      labels: Float64Array.from([1]),
    });
    const label = `12 12 0a 06 "values" 12 08 12 06 0a 04 00 00 80 3f`;
    assert.equal(toHex(labelled.subarray(32)), toHex(hexBytes(label)));
    assert.equal(labelled.length, 8 + 44);
  });

  test("byte-identical to the generic encodeRecord path for float32 and float64, with and without labels, from any offset", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 5 }),
        fc.integer({ min: 0, max: 40 }),
        fc.boolean(),
        fc.boolean(),
        fc.integer({ min: 0, max: 3 }),
        (rows, cols, f64, withLabels, skip) => {
          // Values in a view that starts `skip` values into its buffer, as a matrix's rows can be.
          const values = Float64Array.from({ length: skip + rows * cols }, (_, i) => (i - skip) * 0.37 - 3);
          const m = matrix(rows, cols, values.subarray(skip));
          const labels = withLabels ? Float64Array.from({ length: rows }, (_, i) => i) : undefined;
          const dtype = f64 ? "float64" : "float32";
          assert.deepEqual(encodeDenseRows(m, { dtype, labels }), genericDenseRows(m, dtype, labels));
        },
      ),
      { numRuns: 100 },
    );
  });

  test("from a typed array the values are the bytes DataView writes from a plain array: any double, float32 or float64", () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ noNaN: true }), { minLength: 0, maxLength: 60 }),
        fc.integer({ min: 1, max: 6 }),
        fc.boolean(),
        (doubles, count, f64) => {
          // Specials first: -0, the infinities, subnormals, and doubles past float32's range and precision.
          const special = [
            -0,
            Number.POSITIVE_INFINITY,
            Number.NEGATIVE_INFINITY,
            5e-324,
            1e-310,
            3.5e38,
            1 + 2 ** -30,
          ];
          const all = [...special, ...doubles];
          const rows = Math.floor(all.length / count);
          const slot = (data: ArrayLike<number>): TensorSlot => ({
            map: "features",
            key: "values",
            dtype: f64 ? "float64" : "float32",
            count,
            data,
            stride: count,
          });
          const typed = encodeTensorRows(rows, [slot(Float64Array.from(all))]);
          assert.deepEqual(typed, encodeTensorRows(rows, [slot(all)]));
        },
      ),
      { numRuns: 200, seed: 18 },
    );
  });
});

describe("decodeDenseRows", () => {
  test("decodes dense and sparse rows (the spec's sparse example scatters to keys 3 and 7)", () => {
    const bytes = frames([
      rec([["values", tensor("float32", [1, 4], [3, 7], [10])]]),
      rec([["values", tensor("float64", [0.5, 0, 0, 0, 0, 0, 0, 0, 0, 2])]]),
    ]);
    const { matrix: m, labels } = decodeDenseRows(bytes, { featureDim: 10 });
    assert.equal(labels, null);
    assert.deepEqual(Array.from(m.data), [0, 0, 0, 1, 0, 0, 0, 4, 0, 0, 0.5, 0, 0, 0, 0, 0, 0, 0, 0, 2]);
    const ints = frames([
      rec([["values", { kind: "int32", values: Int32Array.from([-3, 7]), keys: [], shape: [] }]]),
    ]);
    assert.deepEqual(Array.from(decodeDenseRows(ints).matrix.data), [-3, 7]);
    assert.deepEqual(decodeDenseRows(new Uint8Array(0), { featureDim: 4 }).matrix, matrix(0, 4));
  });

  test("a row of the wrong width raises WIDTH_MISMATCH naming the record, expected and received", () => {
    const bytes = encodeRecordIO([...rowPayloads(fromRows([[1, 2, 3]])), ...rowPayloads(fromRows([[1, 2]]))]);
    assertStrataError(() => decodeDenseRows(bytes), "WIDTH_MISMATCH", "Record 1 has 2 features; expected 3.");
    assertStrataError(
      () => decodeDenseRows(bytes, { featureDim: 2 }),
      "WIDTH_MISMATCH",
      "Record 0 has 3 features; expected 2.",
    );
  });

  test("malformed rows: missing features, sparse without shape or out of range, labels on some rows only", () => {
    assertStrataError(
      () => decodeDenseRows(frames([rec([])])),
      "FORMAT_ERROR",
      /record 0 has no features\["values"\] tensor/,
    );
    const noShape = frames([rec([["values", tensor("float32", [1], [0])]])]);
    assertStrataError(
      () => decodeDenseRows(noShape),
      "FORMAT_ERROR",
      /record 0: sparse features\["values"\] has no shape/,
    );
    const outOfRange = frames([rec([["values", tensor("float32", [1], [4], [4])]])]);
    assertStrataError(
      () => decodeDenseRows(outOfRange),
      "FORMAT_ERROR",
      /key 4 is out of range for shape \[4\]/,
    );
    const huge = frames([rec([["values", tensor("float32", [1], [0], [2 ** 40])]])]);
    assertStrataError(
      () => decodeDenseRows(huge),
      "INPUT_TOO_LARGE",
      /would densify to \d+ values, more than the/,
    );
    const mixed = frames([
      rec([["values", tensor("float32", [1])]], [["values", tensor("float32", [1])]]),
      rec([["values", tensor("float32", [1])]]),
    ]);
    assertStrataError(
      () => decodeDenseRows(mixed),
      "FORMAT_ERROR",
      /record 1 has no label\["values"\]; record 0 has/,
    );
  });

  test("random float32/float64 matrices (NaN, ±Infinity, -0, subnormals) and labels round-trip exactly", () => {
    const special = [
      Number.NaN,
      Number.POSITIVE_INFINITY,
      Number.NEGATIVE_INFINITY,
      -0,
      2 ** -149,
      -(2 ** -126) * 0.5,
    ];
    const f32 = fc.oneof(fc.float(), fc.constantFrom(...special));
    const f64 = fc.oneof(fc.double(), fc.constantFrom(...special, 5e-324));
    const arb = fc
      .tuple(fc.integer({ min: 0, max: 6 }), fc.integer({ min: 1, max: 12 }), fc.boolean())
      .chain(([rows, cols, double]) =>
        fc.record({
          double: fc.constant(double),
          m: fc
            .array(double ? f64 : f32, { minLength: rows * cols, maxLength: rows * cols })
            .map((v) => matrix(rows, cols, Float64Array.from(v))),
          labels: fc.option(
            fc
              .array(double ? f64 : f32, { minLength: rows, maxLength: rows })
              .map((v) => Float64Array.from(v)),
          ),
        }),
      );
    fc.assert(
      fc.property(arb, ({ double, m, labels }) => {
        const bytes = encodeDenseRows(m, {
          dtype: double ? "float64" : "float32",
          labels: labels ?? undefined,
        });
        const back = decodeDenseRows(bytes, { featureDim: m.cols });
        assert.deepEqual(back.matrix, m);
        assert.deepEqual(back.labels, m.rows > 0 ? labels : null);
      }),
      { numRuns: 300 },
    );
  });
  test("the fast layout reader and the general decoder agree (rows with a uid take the general path)", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 5 }),
        fc.integer({ min: 0, max: 9 }),
        fc.boolean(),
        fc.boolean(),
        (rows, cols, f64, withLabels) => {
          const m = matrix(
            rows,
            cols,
            Float64Array.from({ length: rows * cols }, (_, i) => Math.fround(i / 7 - 2)),
          );
          const labels = withLabels ? Float64Array.from({ length: rows }, (_, i) => -i) : undefined;
          const dtype = f64 ? "float64" : "float32";
          const fast = decodeDenseRows(encodeDenseRows(m, { dtype, labels }));
          const records: RecordMessage[] = [];
          for (let i = 0; i < rows; i++) {
            const t = tensor(dtype, m.data.subarray(i * cols, (i + 1) * cols));
            records.push({
              ...rec([["values", t]], labels ? [["values", tensor(dtype, [labels[i]!])]] : []),
              uid: `r${i}`,
            });
          }
          assert.deepEqual(decodeDenseRows(frames(records)), fast);
          assert.deepEqual(fast, { matrix: m, labels: labels ?? null });
        },
      ),
      { numRuns: 100 },
    );
  });
});

describe("inference responses (spec §4.4, §4.5)", () => {
  test("PCA and K-Means encoders write the spec's payload bytes; decoders read them back", () => {
    const pca = encodePCAProjections(fromRows([[0.5, -1.25]]));
    assert.equal(
      toHex(pca.subarray(8)),
      toHex(hexBytes(`12 1a  0a 0a "projection"  12 0c  12 0a  0a 08  00 00 00 3f  00 00 a0 bf`)),
    );
    assert.deepEqual(decodePCAProjections(pca), fromRows([[0.5, -1.25]]));
    const km = encodeKMeansPredictions({ closestCluster: [3], distanceToCluster: [0.27046188712120056] });
    const spec = `0a 23 d7 ce 3e 00 00 00
      12 1b  0a 0f "closest_cluster"      12 08  12 06  0a 04  00 00 40 40
      12 1f  0a 13 "distance_to_cluster"  12 08  12 06  0a 04  fb 79 8a 3e  00 00`;
    assert.equal(toHex(km), toHex(hexBytes(spec)));
    assert.deepEqual(decodeKMeansPredictions(km), {
      closestCluster: Float64Array.from([3]),
      distanceToCluster: Float64Array.from([Math.fround(0.27046188712120056)]),
    });
  });

  test("decoders do not depend on the order of label entries and reject missing labels", () => {
    const reversed = frames([
      rec(
        [],
        [
          ["distance_to_cluster", tensor("float32", [2])],
          ["closest_cluster", tensor("float32", [1])],
        ],
      ),
    ]);
    assert.deepEqual(decodeKMeansPredictions(reversed), {
      closestCluster: Float64Array.from([1]),
      distanceToCluster: Float64Array.from([2]),
    });
    const missing = frames([rec([], [["closest_cluster", tensor("float32", [1])]])]);
    assertStrataError(
      () => decodeKMeansPredictions(missing),
      "FORMAT_ERROR",
      /record 0 has no label\["distance_to_cluster"\] tensor/,
    );
    const ragged = encodeRecordIO([
      ...rowPayloads(fromRows([[1, 2]]), "projection"),
      ...rowPayloads(fromRows([[1]]), "projection"),
    ]);
    assertStrataError(
      () => decodePCAProjections(ragged),
      "FORMAT_ERROR",
      /record 1 has 1 projection values; record 0 has 2/,
    );
  });
});

/** Payloads (unframed) of one Record per row, under features["values"] or label[labelKey]. */
function rowPayloads(m: Matrix, labelKey?: string): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (let i = 0; i < m.rows; i++) {
    const t = tensor("float32", m.data.subarray(i * m.cols, (i + 1) * m.cols));
    out.push(encodeRecord(labelKey ? rec([], [[labelKey, t]]) : rec([["values", t]])));
  }
  return out;
}
