/**
 * A channel's Parquet object streamed in chunks through DuckDB: its record batches (DuckDB's data chunks of
 * 2,048 rows) are read one at a time from a streaming result, every column cast to DOUBLE and copied straight
 * out of DuckDB's vector memory (as read-columns.ts does), transposed into rows and cut into chunks of
 * `chunkRows`. Every column must be numeric and every cell present; a channel's Parquet columns are its
 * features, in file order.
 * @module
 */
import type { DuckDBConnection } from "@duckdb/node-api";
import { StrataError } from "../../errors.js";
import { duck, duckdbBindings } from "../duckdb-addon.js";
import { type DataChunk, noRows, Rechunker, type StreamSource } from "./chunks.js";

const NUMERIC_TYPE = /^(DOUBLE|FLOAT|REAL|DECIMAL.*|BIGINT|INTEGER|SMALLINT|TINYINT|HUGEINT|U\w*INT)$/;

/**
 * The object's columns, checked numeric.
 * @throws StrataError NON_NUMERIC_VALUE naming the first column that is not a number type
 */
async function numericColumns(con: DuckDBConnection, from: string, name: string): Promise<string[]> {
  const described = await con.runAndReadAll(`DESCRIBE SELECT * FROM ${from}`);
  const columns = described
    .getRowObjectsJS()
    .map((r) => ({ name: String(r["column_name"]), type: String(r["column_type"]) }));
  const bad = columns.find((c) => !NUMERIC_TYPE.test(c.type));
  if (bad !== undefined)
    throw new StrataError(
      "NON_NUMERIC_VALUE",
      `${name}: column ${JSON.stringify(bad.name)} is ${bad.type}; training channels hold numbers only.`,
      { details: { source: name, column: bad.name, type: bad.type } },
    );
  return columns.map((c) => c.name);
}

/** A Parquet object's column names (checked numeric), from its schema alone. */
export async function parquetHeader(source: StreamSource): Promise<readonly string[]> {
  const { sqlString, streamingInstance, withConnection } = await import("../duckdb.js");
  return withConnection(
    (con) => numericColumns(con, `read_parquet(${sqlString(source.path)})`, source.name),
    streamingInstance,
  );
}

/** The chunks of a Parquet object; `onHeader` hears its column names before the first chunk. */
export async function* parquetChunks(
  source: StreamSource,
  chunkRows: number,
  onHeader?: (featureNames: readonly string[], cols: number) => void,
): AsyncGenerator<DataChunk> {
  // DuckDB is loaded only for Parquet: it is a large native module most jobs never need.
  const { sqlIdent, sqlString, streamingConnection } = await import("../duckdb.js");
  const con = await streamingConnection();
  const duckdb = duckdbBindings();
  try {
    const from = `read_parquet(${sqlString(source.path)})`;
    const names = await duck(() => numericColumns(con, from, source.name));
    onHeader?.(names, names.length);
    const d = names.length;
    const select = names.map((c) => `CAST(${sqlIdent(c)} AS DOUBLE)`).join(", ");
    const result = await duck(() => con.stream(`SELECT ${select} FROM ${from}`));
    const rechunker = new Rechunker(d, chunkRows, false);
    let row = 0;
    let rows = new Float64Array(0);
    for (
      let chunk = await duck(() => result.fetchChunk());
      chunk && chunk.rowCount > 0;
      chunk = await duck(() => result.fetchChunk())
    ) {
      const n = chunk.rowCount;
      if (rows.length < n * d) rows = new Float64Array(n * d);
      for (let c = 0; c < d; c++) {
        const vec = duckdb.data_chunk_get_vector(chunk.chunk, c);
        const bytes = duckdb.vector_get_data(vec, n * 8);
        const values = new Float64Array(bytes.buffer, bytes.byteOffset, n);
        const missing = firstMissing(duckdb.vector_get_validity(vec, Math.ceil(n / 64) * 8), n);
        if (missing >= 0)
          throw new StrataError(
            "NON_NUMERIC_VALUE",
            `${source.name}: row ${row + missing + 1}, column ${JSON.stringify(names[c])} is empty.`,
            { details: { source: source.name, row: row + missing + 1, column: names[c] } },
          );
        for (let r = 0; r < n; r++) rows[r * d + c] = values[r]!;
      }
      row += n;
      yield* rechunker.push(rows, n, null);
    }
    if (row === 0) throw noRows(source.name);
    // DuckDB ends a stream that failed (a corrupt page) as if it were complete: the metadata says how many
    // rows there are (table-chunks.ts explains the trap).
    const counted = await duck(() => con.runAndReadAll(`SELECT count(*) FROM ${from}`));
    const expected = Number(counted.getRows()[0]![0]);
    if (row !== expected)
      throw new StrataError(
        "CSV_PARSE_ERROR",
        `${source.name}: DuckDB stopped reading after ${row} of its ${expected} rows; the file is damaged or changed while it was read.`,
        { details: { source: source.name, read: row, rows: expected } },
      );
    const last = rechunker.end();
    if (last) yield last;
  } finally {
    con.closeSync();
  }
}

/** The first row a validity mask marks NULL (bit i of the little-endian words), or −1; null mask: none. */
function firstMissing(mask: Uint8Array | null, n: number): number {
  if (mask === null) return -1;
  const words = new Uint32Array(mask.buffer, mask.byteOffset, Math.ceil(n / 32));
  for (let w = 0; w < words.length; w++) {
    const word = words[w]!;
    if (word === 0xffffffff) continue;
    const end = Math.min(32, n - w * 32);
    for (let b = 0; b < end; b++) if ((word & (1 << b)) === 0) return w * 32 + b;
  }
  return -1;
}
