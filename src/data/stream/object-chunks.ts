/**
 * Any channel object in chunks, by its record format: CSV lines (csv-chunks.ts), RecordIO records
 * (recordio-chunks.ts) or Parquet record batches (parquet-chunks.ts). Whole-object reads collect these same
 * chunks, so a channel read in memory and one streamed go through one reader per format.
 * @module
 */
import type { DataChunk, StreamSource } from "./chunks.js";
import { csvChunks } from "./csv-chunks.js";
import { parquetChunks, parquetHeader } from "./parquet-chunks.js";
import { recordioChunks } from "./recordio-chunks.js";

/** Rows per chunk when nobody says: 8,192 rows × 34 columns is 2.2 MB. */
export const DEFAULT_CHUNK_ROWS = 8192;

/** What an object's first line or metadata says: its feature names (CSV with a header, Parquet) and width. */
export type OnHeader = (featureNames: readonly string[] | null, cols: number) => void;

/** The object's chunks of `chunkRows` rows; `onHeader` is called once, before the first chunk. */
export function objectChunks(
  source: StreamSource,
  chunkRows = DEFAULT_CHUNK_ROWS,
  onHeader?: OnHeader,
): AsyncGenerator<DataChunk> {
  switch (source.format) {
    case "csv":
      return csvChunks(source, chunkRows, onHeader);
    case "parquet":
      return parquetChunks(source, chunkRows, onHeader);
    case "recordio-protobuf":
      return recordioChunks(source, chunkRows, (cols) => onHeader?.(null, cols));
  }
}

/**
 * An object's width and feature names without reading its rows: a Parquet schema, or a CSV's or RecordIO's
 * first block (the stream is then closed).
 * @throws StrataError EMPTY_DATA for an object with no rows, and the reader's format errors
 */
export async function objectHeader(source: StreamSource): Promise<ObjectHeader> {
  if (source.format === "parquet") {
    const names = await parquetHeader(source);
    return { cols: names.length, featureNames: names, labels: false };
  }
  let header: { cols: number; featureNames: readonly string[] | null } | undefined;
  const chunks = objectChunks(source, 1, (featureNames, cols) => {
    header = { cols, featureNames };
  });
  try {
    const first = await chunks.next();
    return { ...header!, labels: first.done !== true && first.value.labels !== null };
  } finally {
    await chunks.return(undefined);
  }
}

/** What an object's first block or schema says: its width, feature names, and whether its rows have labels. */
export interface ObjectHeader {
  readonly cols: number;
  readonly featureNames: readonly string[] | null;
  readonly labels: boolean;
}
