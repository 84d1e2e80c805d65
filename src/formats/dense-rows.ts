/**
 * Matrices to and from `application/x-recordio-protobuf`: one RecordIO-framed `Record` per row, features
 * under `features["values"]`, an optional one-value label under `label["values"]` (spec §3.5). Both
 * directions use the fixed-layout fast path of tensor-rows.ts. Encoding is byte-identical to SageMaker's
 * `write_numpy_to_dense_tensor` (and to `encodeRecord` + `encodeRecordIO`; a test checks both). Decoding
 * reads a row whose bytes are exactly that layout straight into the output matrix; any other row (sparse,
 * int32, other field order, extra fields) goes through the general `decodeRecord`, which also reports
 * malformed bytes, so both paths accept exactly the same inputs.
 * @module
 */
import { StrataError } from "../errors.js";
import { type Matrix, matrix } from "../linalg/matrix.js";
import { formatError } from "./byte-reader.js";
import { decodeRecord, type RecordMessage } from "./record-protobuf.js";
import { iterateRecordIO } from "./recordio.js";
import {
  type DenseDType,
  denseValues,
  encodeTensorRows,
  noTensorError,
  slotPrefix,
  type TensorSlot,
} from "./tensor-rows.js";

/**
 * Encodes each row of `m` as one Record (`features["values"]` dense tensor), exactly the bytes of SageMaker's
 * `write_numpy_to_dense_tensor` for a float32 or float64 array.
 * @param options.dtype tensor type: float32 narrows each value (Math.fround).
 * @param options.labels one label per row, written as `label["values"]` with the same dtype.
 * @throws StrataError INVALID_ARGUMENT when labels.length differs from m.rows.
 * @example
 * const body = encodeDenseRows(fromRows([[1.5, 16]]), { dtype: "float32" });
 */
export function encodeDenseRows(
  m: Matrix,
  options: { dtype: DenseDType; labels?: Float64Array },
): Uint8Array {
  const { dtype, labels } = options;
  const slots: TensorSlot[] = [
    { map: "features", key: "values", dtype, count: m.cols, data: m.data, stride: m.cols },
  ];
  if (labels !== undefined) {
    if (labels.length !== m.rows) {
      throw new StrataError(
        "INVALID_ARGUMENT",
        `${labels.length} labels for ${m.rows} rows; expected one per row.`,
      );
    }
    slots.push({ map: "label", key: "values", dtype, count: 1, data: labels, stride: 1 });
  }
  return encodeTensorRows(m.rows, slots);
}

/** Options of `decodeDenseRows`. */
export interface DecodeDenseRowsOptions {
  /** Expected row width; default: the width of record 0. */
  readonly featureDim?: number;
  /** Largest number of matrix values to allocate (guards sparse shapes); default 2^27. */
  readonly maxValues?: number;
}

/** One exact row layout: features prefix + values, then optionally label prefix + one value. */
interface Layout {
  readonly size: 4 | 8;
  readonly features: Uint8Array;
  readonly label: Uint8Array | null;
  readonly length: number;
}

function layouts(width: number): Layout[] {
  const out: Layout[] = [];
  for (const dtype of ["float32", "float64"] as const) {
    const size = dtype === "float32" ? 4 : 8;
    const slot = { key: "values", dtype, data: [], stride: 0 };
    const features = slotPrefix({ ...slot, map: "features", count: width });
    const label = slotPrefix({ ...slot, map: "label", count: 1 });
    out.push({ size, features, label: null, length: features.length + width * size });
    out.push({ size, features, label, length: features.length + width * size + label.length + size });
  }
  return out;
}

function startsWith(p: Uint8Array, at: number, prefix: Uint8Array): boolean {
  for (let i = 0; i < prefix.length; i++) if (p[at + i] !== prefix[i]) return false;
  return true;
}

/**
 * Decodes a RecordIO-protobuf body into a matrix (one row per Record) and its labels. Dense rows take the
 * tensor as is; sparse rows scatter `values[i]` to index `keys[i]` of a zero row of `prod(shape)` values.
 * float32, float64 and int32 tensors are all accepted and widened to float64.
 * @throws StrataError FORMAT_ERROR for malformed bytes, a record without `features["values"]`, a sparse
 *   tensor without a shape or with a key out of range, labels on some records only;
 *   WIDTH_MISMATCH when a row's width differs from `featureDim` (or from record 0).
 * @example
 * const { matrix, labels } = decodeDenseRows(body, { featureDim: 34 });
 */
export function decodeDenseRows(
  bytes: Uint8Array,
  options: DecodeDenseRowsOptions = {},
): { matrix: Matrix; labels: Float64Array | null } {
  const maxValues = options.maxValues ?? 2 ** 27;
  let width = options.featureDim ?? -1;
  let fast = width >= 0 ? layouts(width) : [];
  let data: Float64Array = new Float64Array(1024);
  let labels: Float64Array | null = null;
  let index = 0;
  let view: DataView = new DataView(new ArrayBuffer(0));
  for (const payload of iterateRecordIO(bytes)) {
    if (view.buffer !== payload.buffer) view = new DataView(payload.buffer);
    const layout = fast.find((l) => l.length === payload.length && startsWith(payload, 0, l.features));
    const base = payload.byteOffset + (layout?.features.length ?? 0);
    let label: number | undefined;
    if (
      layout !== undefined &&
      (layout.label === null ||
        startsWith(payload, base - payload.byteOffset + width * layout.size, layout.label))
    ) {
      data = ensure(data, (index + 1) * width);
      const out = index * width;
      if (layout.size === 4)
        for (let j = 0; j < width; j++) data[out + j] = view.getFloat32(base + 4 * j, true);
      else for (let j = 0; j < width; j++) data[out + j] = view.getFloat64(base + 8 * j, true);
      if (layout.label !== null) {
        const at = payload.byteOffset + payload.length - layout.size;
        label = layout.size === 4 ? view.getFloat32(at, true) : view.getFloat64(at, true);
      }
    } else {
      const record = decodeRecord(payload);
      const row = toRow(record, index, width, maxValues - index * Math.max(width, 0));
      if (width < 0) {
        width = row.length;
        fast = layouts(width);
      }
      data = ensure(data, (index + 1) * width);
      data.set(row, index * width);
      const l = record.label.get("values");
      if (l !== undefined) {
        const v = denseValues(l, 'label["values"]', index);
        if (v.length !== 1)
          throw formatError(
            "Record protobuf",
            0,
            `record ${index} has ${v.length} label values; expected 1.`,
          );
        label = v[0]!;
      }
    }
    if (index === 0 && label !== undefined) labels = new Float64Array(64);
    if ((label !== undefined) !== (labels !== null)) {
      const has = (yes: boolean) => (yes ? "has" : "has no");
      throw formatError(
        "Record protobuf",
        0,
        `record ${index} ${has(label !== undefined)} label["values"]; record 0 ${has(labels !== null)}.`,
      );
    }
    if (labels !== null) {
      labels = ensure(labels, index + 1);
      labels[index] = label!;
    }
    index++;
  }
  const cols = Math.max(width, 0);
  return {
    matrix: matrix(index, cols, data.slice(0, index * cols)),
    labels: labels === null ? null : labels.slice(0, index),
  };
}

/** `a` itself when it holds `n` values, else a copy with at least double the capacity. */
function ensure(a: Float64Array, n: number): Float64Array {
  if (n <= a.length) return a;
  const grown = new Float64Array(Math.max(n, 2 * a.length));
  grown.set(a);
  return grown;
}

function widthMismatch(index: number, expected: number, received: number): StrataError {
  return new StrataError(
    "WIDTH_MISMATCH",
    `Record ${index} has ${received} features; expected ${expected}.`,
    {
      details: { record: index, expected, received },
    },
  );
}

function badSparse(index: number, why: string): StrataError {
  return formatError("Record protobuf", 0, `record ${index}: sparse features["values"] ${why}.`, {
    details: { record: index },
  });
}

function toRow(record: RecordMessage, index: number, width: number, budget: number): Float64Array {
  const v = record.features.get("values");
  if (v === undefined || v.kind === "none" || v.kind === "bytes")
    throw noTensorError(v, 'features["values"]', index);
  if (v.keys.length === 0) {
    if (width >= 0 && v.values.length !== width) throw widthMismatch(index, width, v.values.length);
    return new Float64Array(v.values);
  }
  const { keys, values, shape } = v;
  if (keys.length !== values.length)
    throw badSparse(index, `has ${keys.length} keys for ${values.length} values`);
  if (shape.length === 0) throw badSparse(index, "has no shape; expected shape [feature_dim]");
  const dim = shape.reduce((p, d) => p * d, 1);
  if (width >= 0 && dim !== width) throw widthMismatch(index, width, dim);
  if (dim > budget)
    throw new StrataError(
      "INPUT_TOO_LARGE",
      `Record ${index}: a sparse shape [${shape.join(", ")}] would densify to ${dim} values, more than the ${budget} this input may still allocate.`,
      { details: { record: index, shape: [...shape], limit: budget } },
    );
  const row = new Float64Array(dim);
  for (let i = 0; i < keys.length; i++) {
    if (keys[i]! >= dim)
      throw badSparse(index, `key ${keys[i]} is out of range for shape [${shape.join(", ")}]`);
    row[keys[i]!] = values[i]!;
  }
  return row;
}
