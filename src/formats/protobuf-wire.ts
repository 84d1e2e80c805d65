/**
 * Protocol Buffers wire primitives for the hand-written `aialgs.data.Record` codec: a bounds-checked reader
 * (varints of at most 10 bytes, tags, lengths that must fit inside the enclosing message, skipping of
 * unknown fields by wire type, UTF-8-checked strings) and the size/write helpers the encoders use to fill
 * one preallocated buffer. 64-bit varints are read as two 32-bit halves so no BigInt is involved; uint64
 * fields come back as numbers and are rejected above 2^53 - 1.
 * @module
 */
import type { StrataError } from "../errors.js";
import { formatError } from "./byte-reader.js";

export const WIRE_VARINT = 0;
export const WIRE_I64 = 1;
export const WIRE_LEN = 2;
export const WIRE_START_GROUP = 3;
export const WIRE_END_GROUP = 4;
export const WIRE_I32 = 5;

const FORMAT = "Record protobuf";
const MAX_GROUP_DEPTH = 32;
const utf8 = new TextDecoder("utf-8", { fatal: true });
export const utf8Encoder = new TextEncoder();

/** A cursor over one serialized message; `end` arguments bound the enclosing (sub)message. */
export class ProtoReader {
  readonly bytes: Uint8Array;
  pos: number;
  /** High 32 bits of the last varint read by `varint`. */
  hi = 0;

  constructor(bytes: Uint8Array, pos = 0) {
    this.bytes = bytes;
    this.pos = pos;
  }

  error(message: string, at = this.pos): StrataError {
    return formatError(FORMAT, at, message);
  }

  /** Reads a varint; returns its low 32 bits (unsigned) and leaves the high 32 bits in `hi`. */
  varint(what: string, end: number): number {
    const start = this.pos;
    let lo = 0;
    let hi = 0;
    for (let i = 0; i < 10; i++) {
      if (this.pos >= end) throw this.error(`truncated varint (${what}) at offset ${start}.`, start);
      const b = this.bytes[this.pos++]!;
      if (i < 4) lo |= (b & 0x7f) << (7 * i);
      else if (i === 4) {
        lo |= (b & 0x0f) << 28;
        hi = (b & 0x7f) >>> 4;
      } else hi |= (b & 0x7f) << (7 * i - 32);
      if (b < 0x80) {
        this.hi = hi >>> 0;
        return lo >>> 0;
      }
    }
    throw this.error(`varint (${what}) at offset ${start} is longer than 10 bytes.`, start);
  }

  /** A uint64 varint as a number; throws above Number.MAX_SAFE_INTEGER. */
  uint64(what: string, end: number): number {
    const start = this.pos;
    const lo = this.varint(what, end);
    if (this.hi > 0x1fffff) throw this.error(`${what} at offset ${start} exceeds 2^53 - 1.`, start);
    return this.hi * 2 ** 32 + lo;
  }

  /** A length prefix; it must fit between the current position and `end`. */
  length(what: string, end: number): number {
    const start = this.pos;
    const n = this.uint64(`${what} length`, end);
    if (n > end - this.pos) {
      throw this.error(
        `${what} at offset ${start} claims ${n} bytes; only ${end - this.pos} remain in the message.`,
        start,
      );
    }
    return n;
  }

  /** A field tag; returns `field << 3 | wireType` after checking the field number. */
  tag(end: number): number {
    const start = this.pos;
    const t = this.varint("tag", end);
    if (this.hi !== 0 || t >>> 3 === 0)
      throw this.error(`invalid field number ${this.hi ? "> 2^29" : 0} at offset ${start}.`, start);
    return t;
  }

  /** Skips one field of an unknown number, by wire type (groups included, nesting bounded). */
  skip(tag: number, end: number, depth = 0): void {
    const at = this.pos;
    switch (tag & 7) {
      case WIRE_VARINT:
        this.varint("unknown field", end);
        return;
      case WIRE_I64:
        this.advance(8, end, at);
        return;
      case WIRE_I32:
        this.advance(4, end, at);
        return;
      case WIRE_LEN: {
        // Read the length before touching pos: `this.pos += this.length()` would add to the old position.
        const n = this.length("unknown field", end);
        this.pos += n;
        return;
      }
      case WIRE_START_GROUP: {
        if (depth >= MAX_GROUP_DEPTH)
          throw this.error(`groups nested deeper than ${MAX_GROUP_DEPTH} at offset ${at}.`, at);
        for (;;) {
          if (this.pos >= end)
            throw this.error(`unterminated group (field ${tag >>> 3}) at offset ${at}.`, at);
          const inner = this.tag(end);
          if ((inner & 7) === WIRE_END_GROUP) {
            if (inner >>> 3 !== tag >>> 3)
              throw this.error(`mismatched end-group tag at offset ${this.pos}.`);
            return;
          }
          this.skip(inner, end, depth + 1);
        }
      }
      default:
        throw this.error(
          `wire type ${tag & 7} (field ${tag >>> 3}) at offset ${at}; expected 0, 1, 2, 3 or 5.`,
          at,
        );
    }
  }

  /** A length-delimited UTF-8 string. */
  string(what: string, end: number): string {
    const start = this.pos;
    const n = this.length(what, end);
    const from = this.pos;
    this.pos += n;
    // Map keys are short ASCII ("values", "projection"): building them directly beats TextDecoder 10-fold.
    if (n <= 32) {
      let ascii = "";
      let i = from;
      for (; i < from + n && this.bytes[i]! < 0x80; i++) ascii += String.fromCharCode(this.bytes[i]!);
      if (i === from + n) return ascii;
    }
    try {
      return utf8.decode(this.bytes.subarray(from, from + n));
    } catch (cause) {
      throw formatError(FORMAT, start, `${what} at offset ${start} is not valid UTF-8.`, { cause });
    }
  }

  private advance(n: number, end: number, at: number): void {
    if (n > end - this.pos) throw this.error(`truncated fixed-width field at offset ${at}.`, at);
    this.pos += n;
  }
}

/** Throws the standard "wrong wire type" error for a known field. */
export function wireTypeError(
  r: ProtoReader,
  field: string,
  tag: number,
  expected: string,
  at: number,
): StrataError {
  return r.error(`field ${field} has wire type ${tag & 7} at offset ${at}; expected ${expected}.`, at);
}

/** Bytes of a varint for a non-negative safe integer. */
export function varintSize(n: number): number {
  let size = 1;
  while (n >= 0x80) {
    n = Math.floor(n / 128);
    size++;
  }
  return size;
}

/** Bytes of an int32 value as protobuf writes it (negatives sign-extended to 10 bytes). */
export function int32Size(v: number): number {
  return v < 0 ? 10 : varintSize(v);
}

/** Bytes of a length-delimited field with a one-byte tag and `length` bytes of content. */
export function lenFieldSize(length: number): number {
  return 1 + varintSize(length) + length;
}

/** Writes a varint for a non-negative safe integer at `at`; returns the next position. */
export function writeVarint(out: Uint8Array, at: number, n: number): number {
  while (n >= 0x80) {
    out[at++] = (n % 128) | 0x80;
    n = Math.floor(n / 128);
  }
  out[at++] = n;
  return at;
}

/** Writes an int32 the protobuf way (10 bytes for negatives); returns the next position. */
export function writeInt32(out: Uint8Array, at: number, v: number): number {
  if (v >= 0) return writeVarint(out, at, v);
  let lo = v >>> 0;
  for (let i = 0; i < 4; i++) {
    out[at++] = (lo & 0x7f) | 0x80;
    lo >>>= 7;
  }
  out[at++] = lo | 0x70 | 0x80; // 4 low bits left, 3 high bits of the sign extension
  for (let i = 0; i < 4; i++) out[at++] = 0xff;
  out[at++] = 0x01;
  return at;
}
