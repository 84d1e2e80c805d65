/**
 * MXNet NDArray list files (`mx.nd.save` / `mx.nd.load`), the format of `model_algo-1` inside SageMaker's
 * PCA and K-Means `model.tar.gz` (spec §5.3). Layout, little-endian: u64 0x112, u64 reserved, u64 N, N array
 * records, u64 M (0 => loads as a list, N => as a dict), M names (u64 length + bytes). An array record starts
 * with a u32 magic: V2 0xF993FAC9 (what MXNet 1.x and SageMaker write) and V3 0xF993FACA carry an i32
 * storage type first; V1 0xF993FAC8 has none; any other value is the ndim of a pre-V1 array with u32 dims.
 * Then TShape (i32 ndim, i64 dims), ctx (i32 dev_type, i32 dev_id), i32 dtype flag, C-order data. The
 * decoder accepts all four layouts and consumes every byte; the encoder writes exactly what SageMaker writes
 * (V2, storage 0, ctx cpu(0)). Sparse storage is rejected. Sizes are checked against the bytes left before
 * anything is allocated, so a lying header cannot make us allocate.
 * @module
 */
import { StrataError } from "../errors.js";
import { ByteReader, hex } from "./byte-reader.js";
import { bfloat16ToFloat32, float32ToBfloat16, float32ToHalf, halfToFloat32 } from "./half-float.js";

/** Element types, indexed by mshadow's `type_flag` (0 = float32 … 12 = bfloat16). */
// biome-ignore format: one table
export const NDARRAY_DTYPES = [
  "float32", "float64", "float16", "uint8", "int32", "int8", "int64",
  "bool", "int16", "uint16", "uint32", "uint64", "bfloat16",
] as const;
export type NDArrayDType = (typeof NDARRAY_DTYPES)[number];

/** Storage per dtype; float16 and bfloat16 are widened to Float32Array, bool is a Uint8Array of 0/1. */
export type NDArrayData =
  | Float32Array
  | Float64Array
  | Uint8Array
  | Int8Array
  | Int16Array
  | Uint16Array
  | Int32Array
  | Uint32Array
  | BigInt64Array
  | BigUint64Array;

/** One dense array. A "none" array (MXNet's empty `NDArray()`, ndim 0) has shape [] and no data. */
export interface NDArray {
  readonly shape: readonly number[];
  readonly dtype: NDArrayDType;
  /** Row-major values, length = product of shape (0 for a none array). */
  readonly data: NDArrayData;
  readonly storage: "default";
}

/** The contents of one file. `names` null means zero names were stored: `mx.nd.load` returns a list. */
export interface NDArrayFile {
  readonly arrays: readonly NDArray[];
  readonly names: readonly string[] | null;
}

const FORMAT = "NDArray file";
const LIST_MAGIC = 0x112;
const V1_MAGIC = 0xf993fac8;
const V2_MAGIC = 0xf993fac9;
const V3_MAGIC = 0xf993faca;
/** A pre-V1 array starts with its ndim; anything larger than this is treated as a bad magic instead. */
const MAX_LEGACY_NDIM = 64;
const ELEMENT_BYTES = [4, 8, 2, 1, 4, 1, 8, 1, 2, 2, 4, 8, 2] as const;
const LITTLE_ENDIAN_HOST = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
const utf8 = new TextDecoder("utf-8", { fatal: true });

/**
 * Decodes an NDArray list file.
 * @throws StrataError FORMAT_ERROR on a bad magic, truncation, an unknown dtype or storage type, sparse
 *   storage, a name count other than 0 or N, invalid UTF-8 in a name, or trailing bytes.
 * @example
 * const { arrays, names } = decodeNDArrayFile(await readFile("model_algo-1"));
 */
export function decodeNDArrayFile(bytes: Uint8Array): NDArrayFile {
  const r = new ByteReader(bytes, FORMAT);
  const magic = r.u64("header magic");
  if (magic !== LIST_MAGIC) throw r.error(`bad header magic ${hex(magic)} at offset 0; expected 0x112.`, 0);
  r.u64("reserved field");
  const count = r.u64("array count");
  const arrays: NDArray[] = [];
  for (let i = 0; i < count; i++) arrays.push(readArray(r, i));
  const countAt = r.offset;
  const nameCount = r.u64("name count");
  if (nameCount !== 0 && nameCount !== count) {
    throw r.error(
      `name count ${nameCount} at offset ${countAt}; expected 0 or ${count} (the array count).`,
      countAt,
    );
  }
  const names: string[] = [];
  for (let i = 0; i < nameCount; i++) {
    const at = r.offset;
    const raw = r.take(r.u64(`name ${i} length`), `name ${i}`);
    try {
      names.push(utf8.decode(raw));
    } catch (cause) {
      throw new StrataError("FORMAT_ERROR", `${FORMAT}: name ${i} at offset ${at} is not valid UTF-8.`, {
        cause,
      });
    }
  }
  if (r.remaining > 0) {
    throw r.error(`${r.remaining} trailing bytes at offset ${r.offset}; expected end of file.`);
  }
  return { arrays, names: nameCount === 0 ? null : names };
}

function readArray(r: ByteReader, index: number): NDArray {
  const what = `array ${index}`;
  const start = r.offset;
  const magic = r.u32(`${what} magic`);
  let shape: number[] | null;
  if (magic === V2_MAGIC || magic === V3_MAGIC) {
    const stypeAt = r.offset;
    const stype = r.i32(`${what} storage type`);
    if (stype === 1 || stype === 2) {
      throw r.error(
        `${what} at offset ${start}: sparse (row_sparse/csr) NDArrays are not supported.`,
        stypeAt,
      );
    }
    if (stype !== 0)
      throw r.error(`${what}: storage type ${stype} at offset ${stypeAt}; expected 0 (dense).`, stypeAt);
    shape = readShape(r, what, magic === V3_MAGIC);
  } else if (magic === V1_MAGIC) {
    shape = readShape(r, what, false);
  } else {
    // Pre-V1 layout: the u32 just read is ndim, followed by u32 dims.
    if (magic > MAX_LEGACY_NDIM) {
      throw r.error(
        `${what}: unknown magic ${hex(magic)} at offset ${start}; expected 0xf993fac9 (V2), 0xf993faca (V3), ` +
          `0xf993fac8 (V1) or a legacy ndim up to ${MAX_LEGACY_NDIM}.`,
        start,
      );
    }
    r.need(magic * 4, `${what} legacy shape (ndim ${magic})`);
    shape = [];
    for (let d = 0; d < magic; d++) shape.push(r.u32(`${what} dim ${d}`));
    if (magic === 0) shape = null;
  }
  if (shape === null) return { shape: [], dtype: "float32", data: new Float32Array(0), storage: "default" };
  r.i32(`${what} ctx.dev_type`);
  r.i32(`${what} ctx.dev_id`);
  const flagAt = r.offset;
  const flag = r.i32(`${what} dtype flag`);
  const dtype = NDARRAY_DTYPES[flag];
  if (dtype === undefined)
    throw r.error(`${what}: unknown dtype flag ${flag} at offset ${flagAt}; expected 0 to 12.`, flagAt);
  const size = ELEMENT_BYTES[flag]!;
  // Check the product against the bytes left as it grows: a lying shape fails here, before any allocation.
  let n = shape.includes(0) ? 0 : 1;
  for (const dim of shape) {
    n *= dim;
    if (n * size > r.remaining) r.need(n * size, `${what} data (shape [${shape.join(", ")}], ${dtype})`);
  }
  return { shape, dtype, data: toTypedArray(dtype, r.take(n * size, `${what} data`)), storage: "default" };
}

/** Reads a TShape (i32 ndim, i64 dims); null for MXNet's "none" array (ndim 0, or -1 under V3). */
function readShape(r: ByteReader, what: string, numpySemantics: boolean): number[] | null {
  const at = r.offset;
  const ndim = r.i32(`${what} ndim`);
  if (ndim === -1 && numpySemantics) return null;
  if (ndim < 0) throw r.error(`${what}: ndim ${ndim} at offset ${at}; expected a non-negative count.`, at);
  if (ndim === 0 && !numpySemantics) return null;
  r.need(ndim * 8, `${what} shape (ndim ${ndim})`);
  const shape: number[] = [];
  for (let d = 0; d < ndim; d++) {
    const dimAt = r.offset;
    const dim = r.i64(`${what} dim ${d}`);
    if (dim < 0) throw r.error(`${what}: dim ${d} is ${dim} at offset ${dimAt}; expected >= 0.`, dimAt);
    shape.push(dim);
  }
  return shape;
}

// biome-ignore format: one table
const STORAGE: { [K in NDArrayDType]: { new (buffer: ArrayBuffer): NDArrayData; name: string } } = {
  float32: Float32Array, float64: Float64Array, float16: Float32Array, bfloat16: Float32Array,
  uint8: Uint8Array, bool: Uint8Array, int8: Int8Array, int16: Int16Array, uint16: Uint16Array,
  int32: Int32Array, uint32: Uint32Array, int64: BigInt64Array, uint64: BigUint64Array,
};

function toTypedArray(dtype: NDArrayDType, raw: Uint8Array): NDArrayData {
  if (!LITTLE_ENDIAN_HOST)
    throw new StrataError("NOT_IMPLEMENTED", "NDArray decoding needs a little-endian host.");
  const buf = raw.slice().buffer; // an aligned copy the typed array can own
  if (dtype === "float16") return halfToFloat32(new Uint16Array(buf));
  if (dtype === "bfloat16") return bfloat16ToFloat32(new Uint16Array(buf));
  return new STORAGE[dtype](buf);
}

/** The bytes of `data` as stored on disk (narrowing 16-bit floats). */
function dataBytes(a: NDArray): Uint8Array {
  const d = a.data;
  if (a.dtype === "float16" || a.dtype === "bfloat16") {
    const bits =
      a.dtype === "float16" ? float32ToHalf(d as Float32Array) : float32ToBfloat16(d as Float32Array);
    return new Uint8Array(bits.buffer);
  }
  return new Uint8Array(d.buffer, d.byteOffset, d.byteLength);
}

function checkArray(a: NDArray, i: number): void {
  const expected = NDARRAY_DTYPES.includes(a.dtype) ? STORAGE[a.dtype] : undefined;
  if (expected === undefined || !(a.data instanceof expected)) {
    const want = expected ? `a ${expected.name}` : `one of the dtypes ${NDARRAY_DTYPES.join(", ")}`;
    throw new StrataError("INVALID_ARGUMENT", `Array ${i} (dtype ${a.dtype}) must hold ${want}.`);
  }
  if (!a.shape.every((d) => Number.isSafeInteger(d) && d >= 0)) {
    throw new StrataError(
      "INVALID_ARGUMENT",
      `Array ${i} has shape [${a.shape.join(", ")}]; expected integers >= 0.`,
    );
  }
  const n = a.shape.length === 0 ? 0 : a.shape.reduce((p, d) => p * d, 1);
  if (a.data.length !== n) {
    throw new StrataError(
      "INVALID_ARGUMENT",
      `Array ${i} has shape [${a.shape.join(", ")}] but ${a.data.length} values.`,
    );
  }
}

/**
 * Encodes arrays the way MXNet 1.x (and so SageMaker) saves them: V2 magic, storage 0, i64 dims, ctx
 * cpu(0), the dtype flag, little-endian data, then the names (or a zero name count when `names` is null).
 * A none array (shape []) is written as ndim 0 with nothing after it.
 * @throws StrataError INVALID_ARGUMENT when data does not match dtype or shape, or names do not match arrays.
 * @example
 * const bytes = encodeNDArrayFile({ arrays: [{ shape: [2], dtype: "float32", data: new Float32Array([1, 2]), storage: "default" }], names: null });
 */
export function encodeNDArrayFile(file: NDArrayFile): Uint8Array {
  const { arrays, names } = file;
  if (names !== null && names.length !== arrays.length) {
    throw new StrataError(
      "INVALID_ARGUMENT",
      `${names.length} names for ${arrays.length} arrays; expected one each.`,
    );
  }
  arrays.forEach(checkArray);
  const encoder = new TextEncoder();
  const nameBytes = (names ?? []).map((n) => encoder.encode(n));
  const payloads = arrays.map(dataBytes);
  let size = 32;
  arrays.forEach((a, i) => {
    size += a.shape.length === 0 ? 12 : 24 + 8 * a.shape.length + payloads[i]!.length;
  });
  for (const n of nameBytes) size += 8 + n.length;
  const out = new Uint8Array(size);
  const view = new DataView(out.buffer);
  let at = 0;
  const u32 = (v: number) => {
    view.setUint32(at, v, true);
    at += 4;
  };
  const u64 = (v: number) => {
    view.setBigUint64(at, BigInt(v), true);
    at += 8;
  };
  u64(LIST_MAGIC);
  u64(0);
  u64(arrays.length);
  arrays.forEach((a, i) => {
    u32(V2_MAGIC);
    u32(0);
    u32(a.shape.length);
    if (a.shape.length === 0) return;
    for (const d of a.shape) u64(d);
    u32(1);
    u32(0);
    u32(NDARRAY_DTYPES.indexOf(a.dtype));
    out.set(payloads[i]!, at);
    at += payloads[i]!.length;
  });
  u64(nameBytes.length);
  for (const n of nameBytes) {
    u64(n.length);
    out.set(n, at);
    at += n.length;
  }
  return out;
}
