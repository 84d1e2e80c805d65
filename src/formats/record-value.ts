/**
 * `aialgs.data.Value` and its tensors: the types, the decoder (a builder, so that repeated occurrences of a
 * sub-message merge as protobuf specifies) and the size/write pair the Record encoder uses. Float tensors
 * are gathered as raw little-endian byte chunks (packed and unpacked elements have the same bytes) and
 * turned into one typed array at the end.
 * @module
 */
import { StrataError } from "../errors.js";
import {
  int32Size,
  lenFieldSize,
  type ProtoReader,
  utf8Encoder,
  varintSize,
  WIRE_I32,
  WIRE_I64,
  WIRE_LEN,
  WIRE_VARINT,
  wireTypeError,
  writeInt32,
  writeVarint,
} from "./protobuf-wire.js";

interface TensorFields {
  /** Empty for a dense tensor; otherwise the flat index of each value. */
  readonly keys: readonly number[];
  /** Optional dense shape; required by readers of sparse tensors. */
  readonly shape: readonly number[];
}
/** One of the three tensor members of `Value`. */
export type TensorValue =
  | ({ readonly kind: "float32"; readonly values: Float32Array } & TensorFields)
  | ({ readonly kind: "float64"; readonly values: Float64Array } & TensorFields)
  | ({ readonly kind: "int32"; readonly values: Int32Array } & TensorFields);
/** The `bytes` member of `Value` (not used by PCA or K-Means). */
export interface BytesValue {
  readonly kind: "bytes";
  readonly values: readonly Uint8Array[];
  readonly contentType?: string;
}
/** A `Value` with no oneof member set. */
export interface EmptyValue {
  readonly kind: "none";
}
export type Value = TensorValue | BytesValue | EmptyValue;

type TensorKind = TensorValue["kind"];
const FIELD_OF: Record<TensorKind, number> = { float32: 2, float64: 3, int32: 7 };
const KIND_OF: (TensorKind | undefined)[] = [];
KIND_OF[2] = "float32";
KIND_OF[3] = "float64";
KIND_OF[7] = "int32";
const LITTLE_ENDIAN_HOST = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

class TensorAcc {
  readonly chunks: Uint8Array[] = [];
  readonly ints: number[] = [];
  readonly keys: number[] = [];
  readonly shape: number[] = [];
  constructor(readonly kind: TensorKind) {}
}

/** Accumulates one Value from one or more occurrences on the wire. */
export class ValueBuilder {
  private tensor: TensorAcc | null = null;
  private bytes: { values: Uint8Array[]; contentType?: string } | null = null;

  /** Reads Value fields from `r.pos` to `end`. */
  merge(r: ProtoReader, end: number): void {
    while (r.pos < end) {
      const at = r.pos;
      const tag = r.tag(end);
      const field = tag >>> 3;
      const kind = KIND_OF[field];
      if ((kind !== undefined || field === 9) && (tag & 7) !== WIRE_LEN) {
        throw wireTypeError(r, `Value field ${field}`, tag, "2 (length-delimited)", at);
      }
      if (kind !== undefined) {
        const n = r.length(`${kind}_tensor`, end);
        if (this.tensor?.kind !== kind) this.tensor = new TensorAcc(kind);
        this.bytes = null;
        mergeTensor(r, r.pos + n, this.tensor);
      } else if (field === 9) {
        const n = r.length("bytes", end);
        this.bytes ??= { values: [] };
        this.tensor = null;
        mergeBytes(r, r.pos + n, this.bytes);
      } else r.skip(tag, end);
    }
  }

  finish(): Value {
    if (this.bytes !== null) return { kind: "bytes", ...this.bytes };
    const t = this.tensor;
    if (t === null) return { kind: "none" };
    const { keys, shape } = t;
    if (t.kind === "int32") return { kind: "int32", values: Int32Array.from(t.ints), keys, shape };
    if (!LITTLE_ENDIAN_HOST)
      throw new StrataError("NOT_IMPLEMENTED", "Record decoding needs a little-endian host.");
    const buf = concat(t.chunks).buffer as ArrayBuffer;
    return t.kind === "float32"
      ? { kind: "float32", values: new Float32Array(buf), keys, shape }
      : { kind: "float64", values: new Float64Array(buf), keys, shape };
  }
}

function mergeTensor(r: ProtoReader, end: number, t: TensorAcc): void {
  const name = `${t.kind === "float32" ? "Float32" : t.kind === "float64" ? "Float64" : "Int32"}Tensor`;
  while (r.pos < end) {
    const at = r.pos;
    const tag = r.tag(end);
    const field = tag >>> 3;
    const wire = tag & 7;
    if (field === 1 && t.kind === "int32") {
      if (wire === WIRE_VARINT) t.ints.push(r.varint(`${name}.values`, end) | 0);
      else if (wire === WIRE_LEN) {
        const e = r.length(`${name}.values`, end) + r.pos;
        while (r.pos < e) t.ints.push(r.varint(`${name}.values`, e) | 0);
      } else throw wireTypeError(r, `${name}.values`, tag, "0 or 2", at);
    } else if (field === 1) {
      const width = t.kind === "float32" ? 4 : 8;
      let n = width;
      if (wire === WIRE_LEN) {
        n = r.length(`${name}.values`, end);
        if (n % width !== 0)
          throw r.error(
            `packed ${name}.values at offset ${at} has ${n} bytes; expected a multiple of ${width}.`,
            at,
          );
      } else if (wire !== (width === 4 ? WIRE_I32 : WIRE_I64)) {
        throw wireTypeError(r, `${name}.values`, tag, `2 or ${width === 4 ? 5 : 1}`, at);
      } else if (n > end - r.pos) throw r.error(`truncated ${name}.values element at offset ${at}.`, at);
      t.chunks.push(r.bytes.subarray(r.pos, r.pos + n));
      r.pos += n;
    } else if (field === 2 || field === 3) {
      const list = field === 2 ? t.keys : t.shape;
      const what = `${name}.${field === 2 ? "keys" : "shape"}`;
      if (wire === WIRE_VARINT) list.push(r.uint64(what, end));
      else if (wire === WIRE_LEN) {
        const e = r.length(what, end) + r.pos;
        while (r.pos < e) list.push(r.uint64(what, e));
      } else throw wireTypeError(r, what, tag, "0 or 2", at);
    } else r.skip(tag, end);
  }
}

function mergeBytes(r: ProtoReader, end: number, b: { values: Uint8Array[]; contentType?: string }): void {
  while (r.pos < end) {
    const at = r.pos;
    const tag = r.tag(end);
    const field = tag >>> 3;
    if ((field === 1 || field === 2) && (tag & 7) !== WIRE_LEN) {
      throw wireTypeError(r, `Bytes field ${field}`, tag, "2 (length-delimited)", at);
    }
    if (field === 1) {
      const n = r.length("Bytes.value", end);
      b.values.push(r.bytes.slice(r.pos, r.pos + n));
      r.pos += n;
    } else if (field === 2) b.contentType = r.string("Bytes.content_type", end);
    else r.skip(tag, end);
  }
}

function concat(chunks: readonly Uint8Array[]): Uint8Array {
  // A copy in a fresh ArrayBuffer: a Buffer's slice() would be a view into pooled memory.
  if (chunks.length === 1) return new Uint8Array(chunks[0]!);
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

function uintListSize(list: readonly number[], what: string): number {
  let n = 0;
  for (const v of list) {
    if (!Number.isSafeInteger(v) || v < 0) {
      throw new StrataError(
        "INVALID_ARGUMENT",
        `Tensor ${what} holds ${v}; expected integers from 0 to 2^53 - 1.`,
      );
    }
    n += varintSize(v);
  }
  return n;
}

function valuesSize(t: TensorValue): number {
  if (t.kind !== "int32") return t.values.byteLength;
  let n = 0;
  for (const v of t.values) n += int32Size(v);
  return n;
}

function tensorBodySize(t: TensorValue): number {
  const v = valuesSize(t);
  const k = uintListSize(t.keys, "keys");
  const s = uintListSize(t.shape, "shape");
  return (v > 0 ? lenFieldSize(v) : 0) + (k > 0 ? lenFieldSize(k) : 0) + (s > 0 ? lenFieldSize(s) : 0);
}

function bytesBodySize(b: BytesValue): number {
  let n = b.contentType === undefined ? 0 : lenFieldSize(utf8Encoder.encode(b.contentType).length);
  for (const v of b.values) n += lenFieldSize(v.length);
  return n;
}

/** Bytes of a serialized Value message (its oneof member, tag included). */
export function valueBodySize(v: Value): number {
  if (v.kind === "none") return 0;
  return lenFieldSize(v.kind === "bytes" ? bytesBodySize(v) : tensorBodySize(v));
}

/** Writes a Value message body at `at`; returns the next position. */
export function encodeValueBody(v: Value, out: Uint8Array, at: number): number {
  if (v.kind === "none") return at;
  if (v.kind === "bytes") {
    out[at++] = 0x4a;
    at = writeVarint(out, at, bytesBodySize(v));
    for (const b of v.values) {
      out[at++] = 0x0a;
      at = writeVarint(out, at, b.length);
      out.set(b, at);
      at += b.length;
    }
    if (v.contentType === undefined) return at;
    const ct = utf8Encoder.encode(v.contentType);
    out[at++] = 0x12;
    at = writeVarint(out, at, ct.length);
    out.set(ct, at);
    return at + ct.length;
  }
  out[at++] = (FIELD_OF[v.kind] << 3) | WIRE_LEN;
  at = writeVarint(out, at, tensorBodySize(v));
  const size = valuesSize(v);
  if (size > 0) {
    out[at++] = 0x0a;
    at = writeVarint(out, at, size);
    if (v.kind === "int32") for (const x of v.values) at = writeInt32(out, at, x);
    else {
      out.set(new Uint8Array(v.values.buffer, v.values.byteOffset, v.values.byteLength), at);
      at += size;
    }
  }
  for (const [tag, list] of [
    [0x12, v.keys],
    [0x1a, v.shape],
  ] as const) {
    if (list.length === 0) continue;
    out[at++] = tag;
    at = writeVarint(out, at, uintListSize(list, "keys"));
    for (const k of list) at = writeVarint(out, at, k);
  }
  return at;
}
