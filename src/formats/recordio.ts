/**
 * dmlc RecordIO framing, the outer layer of `application/x-recordio-protobuf` (spec §3.3). Each frame is
 * u32 magic 0xCED7230A, u32 `(cflag << 29) | length`, the payload, then zero padding to a 4-byte boundary.
 * The encoder always writes cflag 0, as the SageMaker Python SDK does. The decoder also accepts the split
 * records dmlc writes when the magic occurs 4-aligned inside a payload (cflag 1 = first, 2 = middle, 3 =
 * last part) and re-joins them by putting the 4 magic bytes back between the parts. Whole (cflag 0)
 * payloads are returned as views into the input, without copying.
 *
 * Trailing-bytes policy: leftover bytes shorter than a header are an error (ml-io can ignore them; we would
 * rather report a truncated upload than silently drop a row). Padding bytes are skipped without checking
 * their value, as dmlc does.
 * @module
 */
import { StrataError } from "../errors.js";
import { ByteReader, formatError, hex } from "./byte-reader.js";

export const RECORDIO_MAGIC = 0xced7230a;
const MAX_LENGTH = (1 << 29) - 1;
const FORMAT = "RecordIO";
const MAGIC_BYTES = new Uint8Array([0x0a, 0x23, 0xd7, 0xce]);

/** Bytes one payload of `length` bytes occupies when framed (header + payload + padding). */
export function framedSize(length: number): number {
  return 8 + ((length + 3) & ~3);
}

/**
 * Frames payloads as one RecordIO byte stream (cflag 0 each, zero padding).
 * @throws StrataError INVALID_ARGUMENT for a payload of 2^29 bytes or more.
 * @example
 * const body = encodeRecordIO([encodeRecord(record)]);
 */
export function encodeRecordIO(payloads: readonly Uint8Array[]): Uint8Array {
  let size = 0;
  for (const [i, p] of payloads.entries()) {
    if (p.length > MAX_LENGTH) {
      throw new StrataError(
        "INVALID_ARGUMENT",
        `RecordIO payload ${i} has ${p.length} bytes; the limit is ${MAX_LENGTH}.`,
      );
    }
    size += framedSize(p.length);
  }
  const out = new Uint8Array(size);
  const view = new DataView(out.buffer);
  let at = 0;
  for (const p of payloads) {
    view.setUint32(at, RECORDIO_MAGIC, true);
    view.setUint32(at + 4, p.length, true);
    out.set(p, at + 8);
    at += framedSize(p.length);
  }
  return out;
}

/** Writes one frame header at `at` (used by encoders that fill payloads in place). */
export function writeFrameHeader(view: DataView, at: number, length: number): void {
  view.setUint32(at, RECORDIO_MAGIC, true);
  view.setUint32(at + 4, length, true);
}

/**
 * Yields each record's payload in order, re-joining multi-part records.
 * @throws StrataError FORMAT_ERROR on a bad magic, a truncated frame, a bad cflag sequence, an unterminated
 *   multi-part record, or 1 to 7 leftover bytes.
 * @example
 * for (const payload of iterateRecordIO(body)) handle(decodeRecord(payload));
 */
export function* iterateRecordIO(bytes: Uint8Array): Generator<Uint8Array, void, undefined> {
  const r = new ByteReader(bytes, FORMAT);
  let parts: Uint8Array[] | null = null;
  let partsStart = 0;
  while (r.remaining > 0) {
    const at = r.offset;
    if (r.remaining < 8) {
      throw r.error(
        `${r.remaining} trailing bytes at offset ${at}; expected a complete 8-byte header or end of data.`,
      );
    }
    const magic = r.u32("magic");
    if (magic !== RECORDIO_MAGIC) {
      throw r.error(`bad magic ${hex(magic)} at offset ${at}; expected ${hex(RECORDIO_MAGIC)}.`, at);
    }
    const lrec = r.u32("length");
    const cflag = lrec >>> 29;
    const length = lrec & MAX_LENGTH;
    const payload = r.take(length, `record at offset ${at} (length ${length})`);
    r.take(((length + 3) & ~3) - length, `padding of record at offset ${at}`);
    if (cflag === 0) {
      if (parts !== null) throw unterminated(partsStart, at);
      yield payload;
    } else if (cflag === 1) {
      if (parts !== null) throw unterminated(partsStart, at);
      parts = [payload];
      partsStart = at;
    } else if (cflag === 2 || cflag === 3) {
      if (parts === null) {
        throw r.error(
          `continuation flag ${cflag} at offset ${at + 4} with no first part (cflag 1) before it.`,
          at + 4,
        );
      }
      parts.push(MAGIC_BYTES, payload);
      if (cflag === 3) {
        yield concat(parts);
        parts = null;
      }
    } else {
      throw r.error(`continuation flag ${cflag} at offset ${at + 4}; expected 0 to 3.`, at + 4);
    }
  }
  if (parts !== null) throw unterminated(partsStart, bytes.length);
}

/**
 * Decodes a whole RecordIO byte stream into payloads (see `iterateRecordIO`).
 * @throws StrataError FORMAT_ERROR as `iterateRecordIO`.
 * @example
 * const payloads = decodeRecordIO(body);
 */
export function decodeRecordIO(bytes: Uint8Array): Uint8Array[] {
  return Array.from(iterateRecordIO(bytes));
}

function unterminated(start: number, at: number): StrataError {
  return formatError(
    FORMAT,
    at,
    `multi-part record started at offset ${start} is unterminated at offset ${at}; expected parts with cflag 2 or 3.`,
  );
}

function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/**
 * The length of the longest prefix of `bytes` made of whole records (a multi-part record counts once its
 * last part is in), for decoding a stream block by block. Stops at the first header it cannot read whole
 * or whose magic is wrong; decoding the rest at the end of the stream then reports what is wrong there.
 * @example const end = completeRecordsEnd(buffer); decodeDenseRows(buffer.subarray(0, end));
 */
export function completeRecordsEnd(bytes: Uint8Array): number {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let at = 0;
  let safe = 0;
  while (at + 8 <= bytes.length) {
    if (view.getUint32(at, true) !== RECORDIO_MAGIC) break;
    const lrec = view.getUint32(at + 4, true);
    const next = at + 8 + (((lrec & MAX_LENGTH) + 3) & ~3);
    if (next > bytes.length) break;
    at = next;
    const cflag = lrec >>> 29;
    // A record ends with a whole one (0) or a last part (3); parts 1 and 2 leave it open.
    if (cflag === 0 || cflag === 3) safe = at;
  }
  return safe;
}
