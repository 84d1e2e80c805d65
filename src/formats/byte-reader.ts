/**
 * A bounds-checked little-endian cursor over a byte array, shared by the binary decoders. Every read checks
 * the bytes it needs first, so a truncated or lying file raises a FORMAT_ERROR that names the format, the
 * byte offset and what was expected, never a RangeError from a DataView. 64-bit integers come back as plain
 * numbers and are rejected above 2^53 - 1: every size in these formats is far smaller, and a larger value
 * is a sign of corruption.
 * @module
 */
import { StrataError } from "../errors.js";

/** Builds the FORMAT_ERROR every decoder raises: `<format>: <message>` plus the offset in `details`. */
export function formatError(
  format: string,
  offset: number,
  message: string,
  options: { details?: Record<string, unknown>; cause?: unknown } = {},
): StrataError {
  return new StrataError("FORMAT_ERROR", `${format}: ${message}`, {
    details: { format, offset, ...options.details },
    cause: options.cause,
  });
}

/** Hex with a 0x prefix, for messages about magic numbers and flags. */
export function hex(value: number): string {
  return `0x${value.toString(16)}`;
}

/** A cursor over `bytes` (which may be a view into a larger buffer). */
export class ByteReader {
  readonly bytes: Uint8Array;
  readonly view: DataView;
  /** Name used in error messages, e.g. "NDArray file". */
  readonly format: string;
  offset = 0;

  constructor(bytes: Uint8Array, format: string) {
    this.bytes = bytes;
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.format = format;
  }

  get remaining(): number {
    return this.bytes.length - this.offset;
  }

  /** A FORMAT_ERROR for this format at `offset` (default: the current one). */
  error(message: string, offset = this.offset, details?: Record<string, unknown>): StrataError {
    return formatError(this.format, offset, message, { details });
  }

  /** Throws unless `n` more bytes are available; `what` names the field being read. */
  need(n: number, what: string): void {
    if (n > this.remaining) {
      throw this.error(
        `truncated at offset ${this.offset}: ${what} needs ${n} bytes; ${this.remaining} remain.`,
        this.offset,
        { needed: n, remaining: this.remaining },
      );
    }
  }

  u32(what: string): number {
    this.need(4, what);
    const v = this.view.getUint32(this.offset, true);
    this.offset += 4;
    return v;
  }

  i32(what: string): number {
    this.need(4, what);
    const v = this.view.getInt32(this.offset, true);
    this.offset += 4;
    return v;
  }

  /** An unsigned 64-bit integer; throws when it exceeds Number.MAX_SAFE_INTEGER. */
  u64(what: string): number {
    this.need(8, what);
    const at = this.offset;
    const lo = this.view.getUint32(at, true);
    const hi = this.view.getUint32(at + 4, true);
    if (hi > 0x1fffff) {
      throw this.error(
        `${what} 0x${hi.toString(16)}${lo.toString(16).padStart(8, "0")} at offset ${at} is too large.`,
        at,
      );
    }
    this.offset += 8;
    return hi * 2 ** 32 + lo;
  }

  /** A signed 64-bit integer; throws outside the safe-integer range. */
  i64(what: string): number {
    this.need(8, what);
    const at = this.offset;
    const v = this.view.getBigInt64(at, true);
    if (v > BigInt(Number.MAX_SAFE_INTEGER) || v < BigInt(Number.MIN_SAFE_INTEGER)) {
      throw this.error(`${what} ${v} at offset ${at} is out of range.`, at);
    }
    this.offset += 8;
    return Number(v);
  }

  /** The next `n` bytes as a view (no copy). */
  take(n: number, what: string): Uint8Array {
    this.need(n, what);
    const out = this.bytes.subarray(this.offset, this.offset + n);
    this.offset += n;
    return out;
  }
}
