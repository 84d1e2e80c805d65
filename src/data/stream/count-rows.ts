/**
 * How many rows a channel object has, without decoding it: Parquet from its metadata (DuckDB's count), CSV by
 * counting its non-blank lines (less the header, by the channel's header rule), RecordIO by walking its
 * frame headers and skipping the payloads. A streamed channel needs each object's first row before any
 * shard runs (algorithms name rows by their index in the channel), and the row count to check `k` and to
 * choose between reading in memory and streaming.
 * @module
 */
import { StrataError } from "../../errors.js";
import { RECORDIO_MAGIC } from "../../formats/recordio.js";
import { fileBlocks } from "./byte-stream.js";
import type { StreamSource } from "./chunks.js";
import { NumericCsvLines } from "./numeric-csv.js";

/** The object's data rows. */
export async function countRows(source: StreamSource): Promise<number> {
  switch (source.format) {
    case "parquet":
      return parquetRows(source);
    case "csv":
      return csvRows(source);
    case "recordio-protobuf":
      return recordioRows(source);
  }
}

async function parquetRows(source: StreamSource): Promise<number> {
  const { sqlString, withConnection } = await import("../duckdb.js");
  return withConnection(async (con) => {
    const result = await con.runAndReadAll(
      `SELECT count(*)::DOUBLE AS n FROM read_parquet(${sqlString(source.path)})`,
    );
    return Number(result.getRowObjectsJS()[0]!["n"]);
  });
}

const NEWLINE = 10;
const SPACE = 32;
const TAB = 9;
const CR = 13;

async function csvRows(source: StreamSource): Promise<number> {
  let lines = 0;
  let content = false;
  let firstLine: number[] | null = [];
  const decoder = new TextDecoder();
  let first = "";
  for await (const block of fileBlocks(source.path)) {
    for (let i = 0; i < block.length; i++) {
      const b = block[i]!;
      if (b === NEWLINE) {
        if (content) lines++;
        content = false;
        if (firstLine !== null && lines === 1) {
          first = decoder.decode(Uint8Array.from(firstLine));
          firstLine = null;
        }
      } else {
        if (b !== SPACE && b !== TAB && b !== CR) content = true;
        if (firstLine !== null && (content || firstLine.length > 0)) firstLine.push(b);
      }
    }
  }
  if (content) lines++;
  if (firstLine !== null) first = decoder.decode(Uint8Array.from(firstLine));
  if (lines === 0) return 0;
  // The header rule of the channel's CSV, applied to the first line.
  const header = new NumericCsvLines({ labelSize: source.labelSize, source: source.name });
  header.line(first.replace(/\r$/, ""), 1);
  return header.featureNames === null ? lines : lines - 1;
}

async function recordioRows(source: StreamSource): Promise<number> {
  let records = 0;
  // Bytes of the current frame still to skip, and the header bytes gathered so far when one straddles blocks.
  let skip = 0;
  const header = new Uint8Array(8);
  let have = 0;
  let offset = 0;
  for await (const block of fileBlocks(source.path)) {
    let i = 0;
    while (i < block.length) {
      if (skip > 0) {
        const n = Math.min(skip, block.length - i);
        skip -= n;
        i += n;
        continue;
      }
      const n = Math.min(8 - have, block.length - i);
      header.set(block.subarray(i, i + n), have);
      have += n;
      i += n;
      if (have < 8) break;
      const view = new DataView(header.buffer);
      if (view.getUint32(0, true) !== RECORDIO_MAGIC)
        throw new StrataError("FORMAT_ERROR", `${source.name}: bad RecordIO magic at offset ${offset}.`, {
          details: { source: source.name, offset },
        });
      const lrec = view.getUint32(4, true);
      const length = lrec & ((1 << 29) - 1);
      const cflag = lrec >>> 29;
      if (cflag === 0 || cflag === 3) records++;
      skip = (length + 3) & ~3;
      offset += 8 + skip;
      have = 0;
    }
  }
  return records;
}
