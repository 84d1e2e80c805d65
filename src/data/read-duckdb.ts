/**
 * Reads tables with DuckDB: CSV or other delimited text, JSON arrays or JSON Lines and Parquet, gzip or zstd
 * compressed, one local file or a folder's files as one table (load.ts decides which reader a source gets and
 * fetches remote ones first). CSV is checked structurally first (csv-scan.ts), then DuckDB infers the column
 * types; every integer, decimal and floating column is cast to DOUBLE in SQL and streamed into Float64Array,
 * while text, dates and booleans become string columns. A column DuckDB typed as text although most of its
 * values are numbers is treated as a numeric column with a bad value, and the load fails naming the column,
 * line and value, rather than silently turning a feature into text. pandas' default missing-value markers
 * ("", NA, NaN, NULL, ...) read as missing, as in the notebook.
 * @module
 */
import { open } from "node:fs/promises";
import type { DuckDBConnection } from "@duckdb/node-api";
import { quote, StrataError } from "../errors.js";
import { headerDelimiter, scanCsv } from "./csv-scan.js";
import { sqlIdent, sqlString, withConnection } from "./duckdb.js";
import { Frame } from "./frame.js";
import { DEFAULT_NA_VALUES, type LoadOptions, NUMERIC_SHARE } from "./load-options.js";
import { type ColumnKind, readColumns } from "./read-columns.js";
import type { TableFiles } from "./table-files.js";
import type { Compression, TableFormat } from "./table-format.js";

const NUMERIC_TYPE =
  /^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|UHUGEINT|FLOAT|REAL|DOUBLE|DECIMAL(\(.*\))?)$/;

async function describeColumns(
  con: DuckDBConnection,
  relation: string,
): Promise<{ name: string; type: string }[]> {
  const rows = (await con.runAndReadAll(`DESCRIBE SELECT * FROM ${relation}`)).getRowObjectsJson();
  return rows.map((r) => ({ name: String(r["column_name"]), type: String(r["column_type"]) }));
}

/** DuckDB's CSV conversion error ("CSV Error on Line: 7 ... column "x". Could not convert string "abc"..."). */
function mapConversionError(e: unknown, path: string): StrataError | undefined {
  const msg = (e as Error)?.message ?? "";
  const m =
    /Line: (\d+)[\s\S]*?converting column "((?:[^"]|"")*)"\. Could not convert string "((?:[^"]|"")*)" to 'DOUBLE'/.exec(
      msg,
    );
  if (!m) return undefined;
  const [line, column, value] = [Number(m[1]), m[2]!, m[3]!];
  return new StrataError(
    "NON_NUMERIC_VALUE",
    `Column ${quote(column)} is numeric, but line ${line} of ${path} holds ${quote(value)}, which is not a number. ` +
      "Fix the value, or leave the cell empty to mark it missing.",
    { details: { path, column, line, row: line - 2, value }, cause: e }, // row: 0-based data row
  );
}

/**
 * The header's delimiter by csv-scan.ts's rule (the most frequent of , TAB ; | outside quotes on the first
 * line), and a row-count estimate from the first 64 KiB, read without waiting for the full scan.
 */
async function peekCsv(path: string): Promise<{ delimiter: string; estimatedRows: number }> {
  const fh = await open(path, "r");
  try {
    const buf = Buffer.alloc(65536);
    const { bytesRead } = await fh.read(buf, 0, buf.length, 0);
    const head = buf.subarray(0, bytesRead);
    const size = (await fh.stat()).size;
    let lines = 0;
    for (let at = head.indexOf(0x0a); at >= 0; at = head.indexOf(0x0a, at + 1)) lines++;
    const estimatedRows = lines > 1 ? Math.ceil((size / bytesRead) * lines * 1.05) : 0;
    return { delimiter: headerDelimiter(head), estimatedRows };
  } finally {
    await fh.close();
  }
}

/**
 * Reads a CSV file. DuckDB parses it strictly (explicit delimiter from the header, strict_mode, no null
 * padding), so a structurally bad file fails there; only then does the structural scan (csv-scan.ts, a
 * pure-JS pass over every byte) run, to name the ragged line or the unclosed quote precisely. Keeping the
 * scan off the success path gives DuckDB both cores: on a 200 MB file the scan alone costs over a second.
 */
async function readCsv(
  con: DuckDBConnection,
  path: string,
  options: LoadOptions,
  compression: Compression,
): Promise<Frame> {
  if (compression === "zstd") {
    // No zstd in Node 20's zlib: no structural scan; DuckDB reads it and names what it cannot.
    const delimiter = path.replace(/\.(zst|zstd)$/i, "").endsWith(".tsv") ? "\t" : ",";
    return parseCsv(con, path, options, delimiter, 0, compression);
  }
  const peek = compression === "gzip" ? undefined : await peekCsv(path).catch(() => undefined);
  if (peek === undefined) {
    const scan = await scanCsv(path, compression === "gzip");
    return parseCsv(con, path, options, scan.delimiter, scan.numDataRows, compression);
  }
  let failure: unknown;
  try {
    const frame = await parseCsv(con, path, options, peek.delimiter, peek.estimatedRows, compression);
    if (frame.numRows > 0) return frame;
  } catch (e) {
    failure = e;
  }
  // DuckDB refused the file or found no rows: the scan's verdict explains it better than DuckDB's message.
  const scan = await scanCsv(path, false);
  if (scan.delimiter !== peek.delimiter)
    return parseCsv(con, path, options, scan.delimiter, scan.numDataRows, compression);
  if (failure !== undefined) throw failure;
  throw new StrataError("EMPTY_DATA", `${path} has a header but no data rows.`, { details: { path } });
}

/**
 * Reads a CSV file into a Frame. First with a short sniff (QUICK_SNIFF_ROWS): DuckDB's sniffer costs 15 ms on
 * a 10k-row file with its default sample and 6 ms with this one, and nearly every file reads the same either
 * way, because numeric columns are read as DOUBLE and text columns are checked in full. When that read fails
 * (a column that is numbers in its first rows has text further down, or the file is bad), the file is read
 * again exactly as before, with the default sample, whose verdict and error stand.
 */
async function parseCsv(
  con: DuckDBConnection,
  path: string,
  options: LoadOptions,
  delimiter: string,
  expectedRows: number,
  compression: Compression,
): Promise<Frame> {
  const read = async (sniffRows: number) => {
    // The estimate comes from the first 64 KiB (quoted line breaks only raise it); half the sample is the
    // margin for later lines being shorter than the first ones.
    const sniffedWhole = expectedRows > 0 && expectedRows < sniffRows / 2;
    const table = await csvRelation(con, [path], options, delimiter, compression, sniffRows, sniffedWhole);
    try {
      return await select(con, table, expectedRows);
    } catch (e) {
      throw csvReadError(e, path);
    }
  };
  if (expectedRows > QUICK_SNIFF_ROWS / 2) {
    try {
      return await read(QUICK_SNIFF_ROWS);
    } catch {
      // Read again below with the full sample.
    }
  }
  return read(SNIFF_SAMPLE_ROWS);
}

/** A DuckDB failure while reading CSV rows, as the error that names the file (and line, column and value). */
export function csvReadError(e: unknown, path: string): StrataError {
  return (
    mapConversionError(e, path) ??
    new StrataError("CSV_PARSE_ERROR", `DuckDB could not read ${path}: ${(e as Error).message}`, {
      details: { path },
      cause: e,
    })
  );
}

/**
 * A table's rows as DuckDB reads them: the relation (a FROM clause) over all its files, the same relation over
 * some of them (`of`: a streamed read goes file by file), and each column's name and kind.
 */
export interface TableRelation {
  readonly relation: string;
  readonly of: (files: readonly string[]) => string;
  readonly columns: readonly { readonly name: string }[];
  readonly kinds: readonly ColumnKind[];
}

/** One file, or a list DuckDB reads as one table (the files' columns must agree). */
function fileList(files: readonly string[]): string {
  return files.length === 1 ? sqlString(files[0]!) : `[${files.map(sqlString).join(", ")}]`;
}

/**
 * DuckDB's sniffer reads this many rows (its default `sample_size`); a file with fewer rows was sniffed whole,
 * so its integer columns hold no zero-padded value (the sniffer types "00501" as VARCHAR when it sees one).
 */
const SNIFF_SAMPLE_ROWS = 20_480;
/** The first, short sniff of a file read whole (parseCsv). */
const QUICK_SNIFF_ROWS = 2048;

/**
 * The CSV files as one typed relation: DuckDB sniffs the types, then text columns that are mostly numbers are
 * forced to DOUBLE (so a bad cell fails naming its line) and zero-padded integer codes are kept as text.
 *
 * Reading costs at most three passes: the sniff, one pass of statistics over the text columns and the integer
 * columns the sniffer may not have seen whole, and the read itself, which names every column's type with
 * auto-detection off. Before, the statistics took two passes and the read sniffed the file again: 55 ms for a
 * 10k-row CSV of numbers against pandas' 18 (bench load).
 * @param sniffRows the sniffer's sample, in rows.
 * @param sniffedWhole the files have fewer rows than the sniffer's sample (their integers need no check).
 */
async function csvRelation(
  con: DuckDBConnection,
  files: readonly string[],
  options: LoadOptions,
  delimiter: string,
  compression: Compression,
  sniffRows = SNIFF_SAMPLE_ROWS,
  sniffedWhole = false,
): Promise<TableRelation> {
  const from = fileList(files);
  const na = (options.naValues ?? DEFAULT_NA_VALUES).map(sqlString).join(", ");
  const base = `header=true, delim=${sqlString(delimiter)}, quote='"', escape='"', nullstr=[${na}], strict_mode=true, null_padding=false, compression=${sqlString(compression)}`;
  const sniffed = await describeColumns(con, `read_csv(${from}, ${base}, sample_size=${sniffRows})`);
  const { forced, codes } = await textStatistics(con, from, base, sniffed, sniffedWhole);
  const kinds: ColumnKind[] = sniffed.map((c) =>
    !codes.has(c.name) && (forced.has(c.name) || NUMERIC_TYPE.test(c.type)) ? "numeric" : "string",
  );
  // Every column's type is pinned: numeric ones to DOUBLE (so a value after the sniffer's sample that does not
  // fit, like "1.5" in a sniffed BIGINT column, still reads), the rest to VARCHAR (raw text, as in the file).
  const columns = sniffed.map(
    (c, j) => `${sqlString(c.name)}: '${kinds[j] === "numeric" ? "DOUBLE" : "VARCHAR"}'`,
  );
  const of = (some: readonly string[]) =>
    `read_csv(${fileList(some)}, ${base}, auto_detect=false, columns={${columns.join(", ")}})`;
  return { relation: of(files), of, columns: sniffed, kinds };
}

const INTEGER_TYPE =
  /^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|UHUGEINT)$/;

/**
 * One pass over the text columns and the integer columns that may hide codes, read as text:
 * - `forced`: text columns that are mostly numbers (or all missing), to be read as DOUBLE;
 * - `codes`: integer columns (sniffed as integers, or forced) written at one width with leading zeros ("00501",
 *   "01001"): codes, kept as text so that 00501 stays 00501 (a ZIP code, a FIPS code), never features.
 */
async function textStatistics(
  con: DuckDBConnection,
  from: string,
  base: string,
  sniffed: readonly { name: string; type: string }[],
  sniffedWhole: boolean,
): Promise<{ forced: Set<string>; codes: Set<string> }> {
  const text = sniffed.filter((c) => c.type === "VARCHAR");
  const integers = sniffedWhole ? [] : sniffed.filter((c) => INTEGER_TYPE.test(c.type));
  const checked = [...text, ...integers];
  if (checked.length === 0) return { forced: new Set(), codes: new Set() };
  const stats = checked.map((c) => {
    const col = sqlIdent(c.name);
    const numeric =
      c.type === "VARCHAR" ? `count(${col}), count(TRY_CAST(${col} AS DOUBLE))` : "count(*), count(*)";
    // Codes are written at one width ("00501", "99950"): a column of mixed widths with a stray "05" is numbers.
    return `${numeric}, CASE WHEN min(length(${col})) = max(length(${col})) THEN count(*) FILTER (WHERE regexp_matches(${col}, '^0[0-9]')) ELSE 0 END`;
  });
  const types = checked.map((c) => `${sqlString(c.name)}: 'VARCHAR'`).join(", ");
  const row = (
    await con.runAndReadAll(`SELECT ${stats.join(", ")} FROM read_csv(${from}, ${base}, types={${types}})`)
  )
    .getRows()[0]!
    .map(Number);
  const forced = new Set<string>();
  const codes = new Set<string>();
  checked.forEach((c, k) => {
    const [present, numeric, padded] = [row[3 * k]!, row[3 * k + 1]!, row[3 * k + 2]!];
    const isText = c.type === "VARCHAR";
    // All-missing columns read as numeric NaN (as pandas does); mostly-numeric ones are forced to DOUBLE so
    // DuckDB reports the offending line.
    if (isText && (present === 0 || numeric >= NUMERIC_SHARE * present)) forced.add(c.name);
    if ((!isText || forced.has(c.name)) && padded > 0) codes.add(c.name);
  });
  return { forced, codes };
}

/** The columns of a relation, selected with their kinds' types (DOUBLE or VARCHAR). */
export function selectList(table: TableRelation): string {
  return table.columns
    .map((c, j) => `${sqlIdent(c.name)}::${table.kinds[j] === "numeric" ? "DOUBLE" : "VARCHAR"}`)
    .join(", ");
}

async function select(con: DuckDBConnection, table: TableRelation, expectedRows: number): Promise<Frame> {
  const data = await readColumns(
    con,
    `SELECT ${selectList(table)} FROM ${table.relation}`,
    table.kinds,
    expectedRows,
  );
  return Frame.fromColumns(table.columns.map((c, j) => [c.name, data[j]!] as const));
}

interface TypedWords {
  readonly unreadable: (reason: string) => string;
  readonly empty: (columns: number) => string;
}

/**
 * A self-describing relation (Parquet, JSON): DuckDB's types decide numeric or text.
 * @throws StrataError CSV_PARSE_ERROR (`unreadable`)
 */
async function typedRelation(
  con: DuckDBConnection,
  of: (files: readonly string[]) => string,
  files: readonly string[],
  path: string,
  words: TypedWords,
): Promise<TableRelation> {
  const relation = of(files);
  let columns: { name: string; type: string }[];
  try {
    columns = await describeColumns(con, relation);
  } catch (e) {
    throw new StrataError("CSV_PARSE_ERROR", words.unreadable((e as Error).message), {
      details: { path },
      cause: e,
    });
  }
  const kinds: ColumnKind[] = columns.map((c) => (NUMERIC_TYPE.test(c.type) ? "numeric" : "string"));
  return { relation, of, columns, kinds };
}

/**
 * A self-describing relation into a Frame.
 * @throws StrataError CSV_PARSE_ERROR (`unreadable`), EMPTY_DATA (`empty`)
 */
async function readTyped(
  con: DuckDBConnection,
  of: (files: readonly string[]) => string,
  path: string,
  words: TypedWords,
): Promise<Frame> {
  const table = await typedRelation(con, of, [path], path, words);
  const frame = await select(con, table, 0);
  if (frame.numRows === 0)
    throw new StrataError("EMPTY_DATA", words.empty(table.columns.length), { details: { path } });
  return frame;
}

const parquetWords = (path: string): TypedWords => ({
  unreadable: (reason) => `${path} is not a readable Parquet file: ${reason}`,
  empty: (n) => `${path} has ${n} columns but no rows.`,
});

const jsonWords = (path: string): TypedWords => ({
  unreadable: (reason) =>
    `${path} looks like JSON but is not an array of records or JSON Lines Strata can read: ${reason}`,
  empty: () => `${path} holds no records.`,
});

function jsonOf(compression: Compression): (files: readonly string[]) => string {
  const compressed = compression === "none" ? "" : `, compression=${sqlString(compression)}`;
  return (files) => `read_json(${fileList(files)}, format='auto'${compressed})`;
}

const parquetOf = (files: readonly string[]) => `read_parquet(${fileList(files)})`;

function readParquet(con: DuckDBConnection, path: string): Promise<Frame> {
  return readTyped(con, parquetOf, path, parquetWords(path));
}

/**
 * Reads a JSON array of records or JSON Lines with DuckDB's reader: numbers become numeric columns, every
 * other value (text, booleans, dates, nested objects as their JSON) text.
 */
function readJson(con: DuckDBConnection, path: string, compression: Compression): Promise<Frame> {
  return readTyped(con, jsonOf(compression), path, jsonWords(path));
}

/**
 * Local files of one format read as one table, without reading their rows (the streamed reader's start):
 * `name` names them in messages.
 * @throws StrataError UNSUPPORTED_SOURCE for Arrow IPC (read whole) and compressed Parquet, CSV_PARSE_ERROR
 */
export async function tableRelation(
  con: DuckDBConnection,
  files: readonly string[],
  detected: { readonly format: TableFormat; readonly compression: Compression },
  name: string,
  options: LoadOptions = {},
): Promise<TableRelation> {
  const { format, compression } = detected;
  if (format === "arrow")
    throw new StrataError(
      "UNSUPPORTED_SOURCE",
      `${name} is Arrow IPC, which Strata reads whole; write it as Parquet or CSV to stream it.`,
      { details: { path: name, format } },
    );
  if (format === "parquet") {
    checkParquetCompression(name, compression);
    return typedRelation(con, parquetOf, files, name, parquetWords(name));
  }
  if (format === "json") return typedRelation(con, jsonOf(compression), files, name, jsonWords(name));
  const first = files[0]!;
  const delimiter =
    compression === "zstd"
      ? first.replace(/\.(zst|zstd)$/i, "").endsWith(".tsv")
        ? "\t"
        : ","
      : compression === "gzip"
        ? (await scanCsv(first, true)).delimiter
        : (await peekCsv(first)).delimiter;
  return csvRelation(con, files, options, delimiter, compression);
}

function checkParquetCompression(path: string, compression: Compression): void {
  if (compression !== "none")
    throw new StrataError(
      "UNSUPPORTED_SOURCE",
      `${path} is Parquet inside ${compression}; Parquet compresses its own pages, so write it without the outer ${compression}.`,
      { details: { path, compression } },
    );
}

/**
 * Reads a local table file of a format DuckDB reads (CSV, JSON, Parquet) into a Frame (index "0".."n-1").
 * @throws UNSUPPORTED_SOURCE, EMPTY_DATA, CSV_RAGGED_ROW, CSV_PARSE_ERROR, NON_NUMERIC_VALUE.
 */
export function readFileWithDuckDb(
  path: string,
  format: Exclude<TableFormat, "arrow">,
  compression: Compression,
  options: LoadOptions = {},
): Promise<Frame> {
  return withConnection((con) => {
    if (format === "parquet") {
      checkParquetCompression(path, compression);
      return readParquet(con, path);
    }
    if (format === "json") return readJson(con, path, compression);
    return readCsv(con, path, options, compression);
  });
}

/**
 * The files of a folder (table-files.ts) read into one Frame.
 * @throws as readFileWithDuckDb
 */
export function readFilesWithDuckDb(files: TableFiles, options: LoadOptions = {}): Promise<Frame> {
  return withConnection(async (con) => {
    const table = await tableRelation(con, files.files, files, files.name, options);
    const frame = await select(con, table, 0).catch((e: unknown) => {
      throw files.format === "csv" ? csvReadError(e, files.name) : e;
    });
    if (frame.numRows === 0)
      throw new StrataError("EMPTY_DATA", `${files.name} has ${table.columns.length} columns but no rows.`, {
        details: { path: files.name },
      });
    return frame;
  });
}
