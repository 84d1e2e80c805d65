/**
 * A table read in bounded chunks, for runs on tables larger than memory: the same typed relation the loader
 * builds (read-duckdb.ts `tableRelation`: numeric columns as DOUBLE, text and codes as text, pandas' missing
 * markers), streamed through DuckDB's small streaming instance, each chunk a Frame of at most `chunkRows`
 * rows. Numeric vectors are copied straight out of DuckDB's memory (as read-columns.ts does); only text goes
 * through JS values. Every pass over the table re-runs the query, so the table is never held.
 * @module
 */
import type * as DuckDBBindings from "@duckdb/node-bindings";
import { StrataError } from "../../errors.js";
import type { FetchOptions } from "../cache.js";
import { sqlIdent } from "../duckdb.js";
import { duck, duckdbBindings } from "../duckdb-addon.js";
import { type ColumnData, Frame } from "../frame.js";
import type { LoadOptions } from "../load-options.js";
import { readColumns } from "../read-columns.js";
import { csvReadError, selectList, type TableRelation, tableRelation } from "../read-duckdb.js";
import { type TableFiles, tableFiles } from "../table-files.js";

/** Rows per chunk: large enough that per-chunk work is noise, small enough to be a few MB. */
export const TABLE_CHUNK_ROWS = 8192;

/** A table to stream: its files, the relation every pass reads, and its number of rows. */
export interface StreamedTable extends TableFiles {
  readonly table: TableRelation;
  readonly columnNames: readonly string[];
  readonly rows: number;
}

/** Rows of one chunk, with the table's index of its first row (0-based). */
export interface TableChunk {
  readonly frame: Frame;
  readonly firstRow: number;
}

/**
 * Opens a table source for streaming: its files (table-files.ts), their typed relation, and its row count — for
 * CSV and JSON by one aggregate pass that reads every cell (in bounded memory). That pass is where a bad cell fails, naming
 * its line: DuckDB's streaming fetch ends a failed stream as if it were complete (the C API's
 * `duckdb_fetch_chunk` returns NULL for both, and the Node bindings do not expose the result's error; see
 * duckdb-rs #664 and #832 for the same trap), so every streamed pass checks it read this many rows.
 * @throws as tableFiles and tableRelation, and the CSV reader's errors naming file and line
 */
export async function openStreamedTable(
  source: string,
  options: FetchOptions & LoadOptions = {},
): Promise<StreamedTable> {
  const files = await tableFiles(source, options);
  const { streamingInstance, withConnection } = await import("../duckdb.js");
  return withConnection(async (con) => {
    const table = await tableRelation(con, files.files, files, source, options);
    const t = { ...files, table, columnNames: table.columns.map((c) => c.name), rows: 0 };
    // count(column) reads (and so converts) every cell of a text table's column; count(*) alone may not.
    // Parquet's cells are typed already, and its row count is in its metadata.
    const counts =
      files.format === "parquet"
        ? []
        : table.columns.map(
            (c, j) => `count(${sqlIdent(c.name)}::${table.kinds[j] === "numeric" ? "DOUBLE" : "VARCHAR"})`,
          );
    const row = await con
      .runAndReadAll(`SELECT ${["count(*)", ...counts].join(", ")} FROM ${table.relation}`)
      .catch((e: unknown) => {
        throw readError(t, e);
      });
    const rows = Number(row.getRows()[0]![0]);
    if (rows === 0) throw emptyTable(t);
    return { ...t, rows };
  }, streamingInstance);
}

/**
 * The first `rows` rows (of the first file) as a Frame: what column roles are detected from. A materialized
 * LIMIT query, not a stream left unfinished: an abandoned streaming result keeps its buffers in the streaming
 * instance until it is garbage-collected, and the next pass would run out of that instance's memory.
 */
export async function tableHead(t: StreamedTable, rows: number): Promise<Frame> {
  const { streamingInstance, withConnection } = await import("../duckdb.js");
  return withConnection(async (con) => {
    // File by file until there are `rows` rows: a first file may be empty (a header-only part).
    const parts: ColumnData[][] = [];
    let have = 0;
    for (const file of t.files) {
      if (have >= rows) break;
      const sql = `SELECT ${selectList(t.table)} FROM ${t.table.of([file])} LIMIT ${Math.max(1, Math.floor(rows - have))}`;
      const data = await readColumns(con, sql, t.table.kinds).catch((e: unknown) => {
        throw readError(t, e, file);
      });
      have += data[0]?.length ?? 0;
      parts.push(data);
    }
    const columns = t.table.columns.map((c, j) => {
      const pieces = parts.map((p) => p[j]!);
      const joined: ColumnData =
        t.table.kinds[j] === "numeric"
          ? concatFloat64(pieces as Float64Array[])
          : (pieces as (string | null)[][]).flat();
      return [c.name, joined] as const;
    });
    const frame = Frame.fromColumns(columns);
    if (frame.numRows === 0) throw emptyTable(t);
    return frame;
  }, streamingInstance);
}

function concatFloat64(parts: readonly Float64Array[]): Float64Array {
  const out = new Float64Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/**
 * The table's chunks in order. The files are streamed one after another, each by its own query: DuckDB keeps
 * the order of a multi-file scan by buffering row groups of several files, which a small memory limit cannot
 * hold (measured: eight 2.5M-row Parquet files fail at 128 MB), while one file streams in a few row groups.
 * @throws StrataError EMPTY_DATA for a table with no rows, and the CSV reader's errors naming file and line
 */
export async function* tableChunks(
  t: StreamedTable,
  chunkRows: number = TABLE_CHUNK_ROWS,
): AsyncGenerator<TableChunk> {
  const { streamingConnection } = await import("../duckdb.js");
  const con = await streamingConnection();
  const { kinds, columns } = t.table;
  try {
    let firstRow = 0;
    let held = 0;
    let numeric = kinds.map((k) => (k === "numeric" ? new Float64Array(chunkRows) : null));
    let text = kinds.map((k) => (k === "string" ? ([] as (string | null)[]) : null));
    const flush = (): TableChunk => {
      const frame = Frame.fromColumns(
        columns.map((c, j) => [c.name, numeric[j]?.subarray(0, held) ?? text[j]!] as const),
      );
      const chunk = { frame, firstRow };
      firstRow += held;
      held = 0;
      numeric = kinds.map((k) => (k === "numeric" ? new Float64Array(chunkRows) : null));
      text = kinds.map((k) => (k === "string" ? [] : null));
      return chunk;
    };
    for (const file of t.files) {
      const result = await duck(() =>
        con.stream(`SELECT ${selectList(t.table)} FROM ${t.table.of([file])}`),
      ).catch((e: unknown) => {
        throw readError(t, e, file);
      });
      for (;;) {
        const chunk = await duck(() => result.fetchChunk()).catch((e: unknown) => {
          throw readError(t, e, file);
        });
        if (!chunk || chunk.rowCount === 0) break;
        const n = chunk.rowCount;
        let from = 0;
        while (from < n) {
          const take = Math.min(n - from, chunkRows - held);
          for (let j = 0; j < kinds.length; j++) {
            const target = numeric[j];
            if (!target) {
              const values = chunk.getColumnValues(j);
              for (let r = from; r < from + take; r++) {
                const v = values[r];
                text[j]!.push(v === null || v === undefined ? null : String(v));
              }
              continue;
            }
            copyNumeric(chunk.chunk, j, n, from, take, target, held);
          }
          held += take;
          from += take;
          if (held === chunkRows) yield flush();
        }
      }
    }
    if (held > 0) yield flush();
    if (firstRow !== t.rows)
      throw new StrataError(
        "CSV_PARSE_ERROR",
        `DuckDB stopped reading ${t.name} after ${firstRow} of its ${t.rows} rows (a file changed or became unreadable while the run read it); run again.`,
        { details: { path: t.name, read: firstRow, rows: t.rows } },
      );
  } finally {
    con.closeSync();
  }
}

/** Rows [from, from + take) of a DOUBLE vector into `target` at `at`, NULL as NaN. */
function copyNumeric(
  chunk: DuckDBBindings.DataChunk,
  column: number,
  n: number,
  from: number,
  take: number,
  target: Float64Array,
  at: number,
): void {
  const duckdb = duckdbBindings();
  const vec = duckdb.data_chunk_get_vector(chunk, column);
  const bytes = duckdb.vector_get_data(vec, n * 8);
  const values = new Float64Array(bytes.buffer, bytes.byteOffset, n);
  target.set(values.subarray(from, from + take), at);
  const mask = duckdb.vector_get_validity(vec, Math.ceil(n / 64) * 8);
  if (mask === null) return;
  const words = new Uint32Array(mask.buffer, mask.byteOffset, Math.ceil(n / 32));
  for (let r = from; r < from + take; r++)
    if ((words[r >>> 5]! & (1 << (r & 31))) === 0) target[at + r - from] = Number.NaN;
}

function readError(t: StreamedTable, e: unknown, file?: string): StrataError {
  if (e instanceof StrataError) return e;
  if (t.format === "csv") return csvReadError(e, file ?? (t.files.length === 1 ? t.files[0]! : t.name));
  return new StrataError("CSV_PARSE_ERROR", `DuckDB could not read ${t.name}: ${(e as Error).message}`, {
    details: { path: t.name },
    cause: e,
  });
}

function emptyTable(t: StreamedTable): StrataError {
  return new StrataError("EMPTY_DATA", `${t.name} has ${t.columnNames.length} columns but no rows.`, {
    details: { path: t.name },
  });
}
