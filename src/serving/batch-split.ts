/**
 * How batch transform cuts an input object into requests (spec §4.6): SplitType None sends the whole object;
 * Line cuts at newlines (CRLF too; blank lines dropped); RecordIO cuts at RecordIO frames (header, payload,
 * padding — split records with cflag 1..3 stay together). BatchStrategy SingleRecord sends one record per
 * request; MultiRecord packs consecutive records up to MaxPayloadInMB (Line records re-joined with "\n",
 * RecordIO frames concatenated with their padding, as SageMaker keeps it for MultiRecord).
 * @module
 */
import { StrataError } from "../errors.js";
import { RECORDIO_MAGIC } from "../formats/recordio.js";
import type { SplitType } from "./transform-request.js";

function lineRecords(bytes: Uint8Array): Uint8Array[] {
  const out: Uint8Array[] = [];
  let start = 0;
  for (let i = 0; i <= bytes.length; i++) {
    if (i === bytes.length || bytes[i] === 10) {
      let end = i;
      if (end > start && bytes[end - 1] === 13) end--;
      if (end > start) out.push(bytes.subarray(start, end));
      start = i + 1;
    }
  }
  return out;
}

function recordIORecords(bytes: Uint8Array): Uint8Array[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.length);
  const out: Uint8Array[] = [];
  let at = 0;
  let start = 0;
  while (at < bytes.length) {
    if (bytes.length - at < 8 || view.getUint32(at, true) !== RECORDIO_MAGIC)
      throw new StrataError("FORMAT_ERROR", `RecordIO: no frame header at offset ${at} of the input object.`);
    const word = view.getUint32(at + 4, true);
    const cflag = word >>> 29;
    const length = word & ((1 << 29) - 1);
    const next = at + 8 + ((length + 3) & ~3);
    if (next > bytes.length)
      throw new StrataError("FORMAT_ERROR", `RecordIO: the frame at offset ${at} is truncated.`);
    at = next;
    // cflag 0 = whole record, 3 = last part: the record ends here.
    if (cflag === 0 || cflag === 3) {
      out.push(bytes.subarray(start, at));
      start = at;
    }
  }
  return out;
}

/**
 * The request bodies for one input object.
 * @throws StrataError INVALID_ARGUMENT when one record is larger than `maxPayloadBytes`; FORMAT_ERROR for
 *   broken RecordIO framing
 * @example
 * splitRequests(bytes, { splitType: "Line", strategy: "MultiRecord", maxPayloadBytes: 6 << 20 });
 */
export function splitRequests(
  bytes: Uint8Array,
  options: { splitType: SplitType; strategy: "MultiRecord" | "SingleRecord"; maxPayloadBytes: number },
): Uint8Array[] {
  const { splitType, strategy, maxPayloadBytes } = options;
  const tooBig = (size: number, what: string) =>
    new StrataError(
      "INVALID_ARGUMENT",
      `${what} has ${size} bytes, more than MaxPayloadInMB (${maxPayloadBytes} bytes); raise MaxPayloadInMB or split the input.`,
    );
  if (splitType === "None") {
    if (bytes.length > maxPayloadBytes) throw tooBig(bytes.length, "The input object (SplitType None)");
    return bytes.length === 0 ? [] : [bytes];
  }
  const records = splitType === "Line" ? lineRecords(bytes) : recordIORecords(bytes);
  const separator = splitType === "Line" ? 1 : 0;
  for (const [i, r] of records.entries())
    if (r.length > maxPayloadBytes) throw tooBig(r.length, `Record ${i + 1}`);
  if (strategy === "SingleRecord") return records;
  const batches: Uint8Array[] = [];
  let group: Uint8Array[] = [];
  let size = 0;
  const flush = () => {
    if (group.length === 0) return;
    const out = new Uint8Array(size);
    let at = 0;
    for (const [i, r] of group.entries()) {
      if (i > 0 && separator) out[at++] = 10;
      out.set(r, at);
      at += r.length;
    }
    batches.push(out);
    group = [];
    size = 0;
  };
  for (const r of records) {
    const added = r.length + (group.length > 0 ? separator : 0);
    if (size + added > maxPayloadBytes) flush();
    size += r.length + (group.length > 0 ? separator : 0);
    group.push(r);
  }
  flush();
  return batches;
}
