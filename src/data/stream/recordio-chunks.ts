/**
 * A channel's RecordIO-protobuf object streamed in chunks: bytes are read block by block, the whole records
 * at the front of what has been read are decoded (formats `decodeDenseRows`, the same decoder as for whole
 * objects) and the rest waits for the next block. Labels are kept when every record has one.
 * @module
 */
import { StrataError } from "../../errors.js";
import { decodeDenseRows } from "../../formats/dense-rows.js";
import { completeRecordsEnd } from "../../formats/recordio.js";
import { fileBlocks } from "./byte-stream.js";
import { type DataChunk, noRows, Rechunker, type StreamSource } from "./chunks.js";

/** The chunks of a RecordIO-protobuf object; `onWidth` hears its width before the first chunk. */
export async function* recordioChunks(
  source: StreamSource,
  chunkRows: number,
  onWidth?: (cols: number) => void,
): AsyncGenerator<DataChunk> {
  let pending = new Uint8Array(0);
  let rechunker: Rechunker | undefined;
  let records = 0;
  const decode = function* (bytes: Uint8Array): Generator<DataChunk> {
    if (bytes.length === 0) return;
    // Sparse records are densified: at most 16 values per byte received, as for whole objects.
    const { matrix, labels } = decodeDenseRows(bytes, {
      maxValues: Math.max(1 << 16, bytes.length * 16),
      ...(rechunker === undefined ? {} : { featureDim: rechunker.cols }),
    });
    if (rechunker === undefined) {
      onWidth?.(matrix.cols);
      rechunker = new Rechunker(matrix.cols, chunkRows, labels !== null);
    } else if ((labels !== null) !== rechunker.withLabels)
      throw new StrataError(
        "FORMAT_ERROR",
        `${source.name}: record ${records} ${labels === null ? "has no" : "has a"} label["values"]; record 0 ${labels === null ? "has one" : "has none"}.`,
        { details: { source: source.name, record: records } },
      );
    records += matrix.rows;
    yield* rechunker.push(matrix.data, matrix.rows, labels);
  };
  for await (const block of fileBlocks(source.path)) {
    const joined = new Uint8Array(pending.length + block.length);
    joined.set(pending);
    joined.set(block, pending.length);
    const end = completeRecordsEnd(joined);
    yield* decode(joined.subarray(0, end));
    pending = joined.slice(end);
  }
  // What is left is not whole records: decoding it reports the truncated or bad frame, naming its offset.
  yield* decode(pending);
  if (rechunker === undefined) throw noRows(source.name);
  const last = rechunker.end();
  if (last) yield last;
}
