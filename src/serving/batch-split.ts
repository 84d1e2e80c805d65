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

/** Cuts a stream of blocks into records, carrying a record that straddles blocks to the next block. */
class RecordSplitter {
  private carry: Uint8Array = new Uint8Array(0);
  private offset = 0;
  private records = 0;

  constructor(
    private readonly splitType: SplitType,
    private readonly maxRecordBytes: number,
    private readonly tooBig: (size: number, what: string) => StrataError,
  ) {}

  /** The records completed by `block`. */
  push(block: Uint8Array): Uint8Array[] {
    const bytes = this.carry.length === 0 ? block : concat(this.carry, block);
    const { records, end } =
      this.splitType === "Line" ? lineRecords(bytes, false) : recordIORecords(bytes, this.offset, false);
    this.carry = bytes.slice(end);
    this.offset += end;
    // A record still open past the payload limit will not fit any request: say so now, not at the end.
    if (this.carry.length > this.maxRecordBytes)
      throw this.tooBig(this.carry.length, `Record ${this.records + records.length + 1}`);
    return this.counted(records);
  }

  /** The last records, at the end of the object. */
  end(): Uint8Array[] {
    const { records } =
      this.splitType === "Line"
        ? lineRecords(this.carry, true)
        : recordIORecords(this.carry, this.offset, true);
    this.carry = new Uint8Array(0);
    return this.counted(records);
  }

  private counted(records: Uint8Array[]): Uint8Array[] {
    for (const r of records) {
      this.records++;
      if (r.length > this.maxRecordBytes) throw this.tooBig(r.length, `Record ${this.records}`);
    }
    return records;
  }
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

/** The whole lines of `bytes` (all of them at the end), and where the unfinished one starts. */
function lineRecords(bytes: Uint8Array, last: boolean): { records: Uint8Array[]; end: number } {
  const out: Uint8Array[] = [];
  let start = 0;
  for (let i = 0; i <= bytes.length; i++) {
    if (i === bytes.length && !last) break;
    if (i === bytes.length || bytes[i] === 10) {
      let end = i;
      if (end > start && bytes[end - 1] === 13) end--;
      if (end > start) out.push(bytes.subarray(start, end));
      start = i + 1;
    }
  }
  return { records: out, end: Math.min(start, bytes.length) };
}

/**
 * The whole RecordIO records of `bytes` (with their frames), and where the unfinished one starts; at the end
 * of the object a frame cut short is an error. `offset`: where `bytes` starts in the object, for messages.
 */
function recordIORecords(
  bytes: Uint8Array,
  offset: number,
  last: boolean,
): { records: Uint8Array[]; end: number } {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.length);
  const out: Uint8Array[] = [];
  let at = 0;
  let start = 0;
  while (at < bytes.length) {
    if (bytes.length - at < 8) {
      if (!last) break;
      throw new StrataError(
        "FORMAT_ERROR",
        `RecordIO: no frame header at offset ${offset + at} of the input object.`,
      );
    }
    if (view.getUint32(at, true) !== RECORDIO_MAGIC)
      throw new StrataError(
        "FORMAT_ERROR",
        `RecordIO: no frame header at offset ${offset + at} of the input object.`,
      );
    const word = view.getUint32(at + 4, true);
    const cflag = word >>> 29;
    const length = word & ((1 << 29) - 1);
    const next = at + 8 + ((length + 3) & ~3);
    if (next > bytes.length) {
      if (!last) break;
      throw new StrataError("FORMAT_ERROR", `RecordIO: the frame at offset ${offset + at} is truncated.`);
    }
    at = next;
    // cflag 0 = whole record, 3 = last part: the record ends here.
    if (cflag === 0 || cflag === 3) {
      out.push(bytes.subarray(start, at));
      start = at;
    }
  }
  return { records: out, end: start };
}

/** Packs records into requests: one each (SingleRecord), or as many as fit the payload limit (MultiRecord). */
class RequestBatcher {
  private group: Uint8Array[] = [];
  private size = 0;

  constructor(
    private readonly strategy: "MultiRecord" | "SingleRecord",
    private readonly separator: number,
    private readonly maxPayloadBytes: number,
  ) {}

  /** The requests completed by these records. */
  add(records: readonly Uint8Array[]): Uint8Array[] {
    if (this.strategy === "SingleRecord") return [...records];
    const batches: Uint8Array[] = [];
    for (const r of records) {
      const added = r.length + (this.group.length > 0 ? this.separator : 0);
      if (this.size + added > this.maxPayloadBytes) {
        const flushed = this.flush();
        if (flushed) batches.push(flushed);
      }
      this.size += r.length + (this.group.length > 0 ? this.separator : 0);
      this.group.push(r);
    }
    return batches;
  }

  /** The last request, if records are left. */
  flush(): Uint8Array | undefined {
    if (this.group.length === 0) return undefined;
    const out = new Uint8Array(this.size);
    let at = 0;
    for (const [i, r] of this.group.entries()) {
      if (i > 0 && this.separator) out[at++] = 10;
      out.set(r, at);
      at += r.length;
    }
    this.group = [];
    this.size = 0;
    return out;
  }
}

type SplitOptions = {
  splitType: SplitType;
  strategy: "MultiRecord" | "SingleRecord";
  maxPayloadBytes: number;
};

function tooBigFor(maxPayloadBytes: number) {
  return (size: number, what: string) =>
    new StrataError(
      "INVALID_ARGUMENT",
      `${what} has ${size} bytes, more than MaxPayloadInMB (${maxPayloadBytes} bytes); raise MaxPayloadInMB or split the input.`,
    );
}

/**
 * The request bodies of one input object that arrives in blocks, as they complete: memory holds a request
 * and the record being read, never the object (SplitType None aside: the whole object is its one request).
 * @throws StrataError INVALID_ARGUMENT as soon as a record (or, with None, the object) passes
 *   `maxPayloadBytes`; FORMAT_ERROR for broken RecordIO framing
 * @example for await (const body of requestStream(fileBlocks(path), options)) invoke(body);
 */
export async function* requestStream(
  blocks: AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
  options: SplitOptions,
): AsyncGenerator<Uint8Array> {
  const { splitType, strategy, maxPayloadBytes } = options;
  const tooBig = tooBigFor(maxPayloadBytes);
  if (splitType === "None") {
    const parts: Uint8Array[] = [];
    let size = 0;
    for await (const block of blocks) {
      size += block.length;
      if (size > maxPayloadBytes) throw tooBig(size, "The input object (SplitType None)");
      parts.push(block);
    }
    if (size > 0) yield parts.length === 1 ? parts[0]! : Buffer.concat(parts);
    return;
  }
  const splitter = new RecordSplitter(splitType, maxPayloadBytes, tooBig);
  const batcher = new RequestBatcher(strategy, splitType === "Line" ? 1 : 0, maxPayloadBytes);
  for await (const block of blocks) yield* batcher.add(splitter.push(block));
  yield* batcher.add(splitter.end());
  const last = batcher.flush();
  if (last) yield last;
}
