/**
 * Loads a table into a Frame: CSV or other delimited text, JSON arrays or JSON Lines and Parquet with DuckDB,
 * Arrow IPC with apache-arrow, gzip or zstd compressed, each known by its content (table-format.ts), from a
 * path, file://, s3:// or https://. Remote sources are fetched through the download cache first, so DuckDB
 * only ever reads local files. CSV is
 * checked structurally first (csv-scan.ts), then DuckDB infers the column types; every integer, decimal and
 * floating column is cast to DOUBLE in SQL and streamed into Float64Array, while text, dates and booleans
 * become string columns. A column DuckDB typed as text although most of its values are numbers is treated
 * as a numeric column with a bad value, and the load fails naming the column, line and value, rather than
 * silently turning a feature into text. pandas' default missing-value markers ("", NA, NaN, NULL, ...)
 * read as missing, as in the notebook.
 * @module
 */
import { open } from "node:fs/promises";
import type { DuckDBConnection } from "@duckdb/node-api";
import { quote, StrataError } from "../errors.js";
import { type FetchOptions, fetchToCache } from "./cache.js";
import { scanCsv } from "./csv-scan.js";
import { sqlIdent, sqlString, withConnection } from "./duckdb.js";
import { Frame } from "./frame.js";
import { readArrowFile } from "./read-arrow.js";
import { type ColumnKind, readColumns } from "./read-columns.js";
import { type Compression, detectTableFormat, type TableFormat } from "./table-format.js";

export type { TableFormat } from "./table-format.js";

export interface LoadOptions extends FetchOptions {
  /** Default: by content (table-format.ts). */
  readonly format?: TableFormat | "auto";
  /** CSV cells that mean "missing" (default: pandas' read_csv defaults). */
  readonly naValues?: readonly string[];
}

/** pandas' default `na_values` (the common ones), so Strata reads the same cells as missing. */
export const DEFAULT_NA_VALUES: readonly string[] = [
  "",
  "NA",
  "N/A",
  "n/a",
  "NaN",
  "nan",
  "-NaN",
  "-nan",
  "NULL",
  "null",
  "None",
  "#N/A",
  "#NA",
  "<NA>",
];

/** A text column counts as "meant to be numeric" when at least this share of its values parse as numbers. */
const NUMERIC_SHARE = 0.5;

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
    const head = Buffer.alloc(65536);
    const { bytesRead } = await fh.read(head, 0, head.length, 0);
    const size = (await fh.stat()).size;
    const counts = new Map([",", "\t", ";", "|"].map((c) => [c, 0]));
    let inQuotes = false;
    let lines = 0;
    for (let i = 0; i < bytesRead; i++) {
      const byte = head[i]!;
      if (byte === 0x22) inQuotes = !inQuotes;
      else if (byte === 0x0a) lines++;
      else if (!inQuotes && lines === 0 && byte !== 0x0d) {
        const ch = String.fromCharCode(byte);
        const c = counts.get(ch);
        if (c !== undefined) counts.set(ch, c + 1);
      }
    }
    let delimiter = ",";
    for (const [c, v] of counts) if (v > counts.get(delimiter)!) delimiter = c;
    const estimatedRows = lines > 1 ? Math.ceil((size / bytesRead) * lines * 1.05) : 0;
    return { delimiter, estimatedRows };
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

async function parseCsv(
  con: DuckDBConnection,
  path: string,
  options: LoadOptions,
  delimiter: string,
  expectedRows: number,
  compression: Compression,
): Promise<Frame> {
  const na = (options.naValues ?? DEFAULT_NA_VALUES).map(sqlString).join(", ");
  const base = `header=true, delim=${sqlString(delimiter)}, quote='"', escape='"', nullstr=[${na}], strict_mode=true, null_padding=false, compression=${sqlString(compression)}`;
  const sniffed = await describeColumns(con, `read_csv(${sqlString(path)}, ${base})`);
  const text = sniffed.filter((c) => c.type === "VARCHAR");
  const forced = new Set<string>();
  if (text.length > 0) {
    const counts = text.map(
      (c) => `count(${sqlIdent(c.name)}), count(TRY_CAST(${sqlIdent(c.name)} AS DOUBLE))`,
    );
    const row = (
      await con.runAndReadAll(`SELECT ${counts.join(", ")} FROM read_csv(${sqlString(path)}, ${base})`)
    )
      .getRows()[0]!
      .map(Number);
    text.forEach((c, k) => {
      const [present, numeric] = [row[2 * k]!, row[2 * k + 1]!];
      // All-missing columns read as numeric NaN (as pandas does); mostly-numeric ones are forced to DOUBLE so
      // DuckDB reports the offending line.
      if (present === 0 || numeric >= NUMERIC_SHARE * present) forced.add(c.name);
    });
  }
  const codes = await zeroPaddedColumns(con, path, base, sniffed, forced);
  const kinds: ColumnKind[] = sniffed.map((c) =>
    !codes.has(c.name) && (forced.has(c.name) || NUMERIC_TYPE.test(c.type)) ? "numeric" : "string",
  );
  // Every column's type is pinned: numeric ones to DOUBLE (so a value after the sniffer's sample that does not
  // fit, like "1.5" in a sniffed BIGINT column, still reads), the rest to VARCHAR (raw text, as in the file).
  const types = sniffed.map(
    (c, j) => `${sqlString(c.name)}: '${kinds[j] === "numeric" ? "DOUBLE" : "VARCHAR"}'`,
  );
  const relation = `read_csv(${sqlString(path)}, ${base}, types={${types.join(", ")}})`;
  try {
    return await select(con, relation, sniffed, kinds, expectedRows);
  } catch (e) {
    throw (
      mapConversionError(e, path) ??
      new StrataError("CSV_PARSE_ERROR", `DuckDB could not read ${path}: ${(e as Error).message}`, {
        details: { path },
        cause: e,
      })
    );
  }
}

const INTEGER_TYPE =
  /^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|UHUGEINT)$/;

/**
 * Integer columns (sniffed as integers, or text that is mostly numbers) written at one width with leading
 * zeros ("00501", "01001"): codes, kept as text so that 00501 stays 00501 (a ZIP code, a FIPS code), never
 * features. One pass over those columns read as text.
 */
async function zeroPaddedColumns(
  con: DuckDBConnection,
  path: string,
  base: string,
  sniffed: readonly { name: string; type: string }[],
  mostlyNumeric: ReadonlySet<string>,
): Promise<Set<string>> {
  const integers = sniffed.filter((c) => INTEGER_TYPE.test(c.type) || mostlyNumeric.has(c.name));
  if (integers.length === 0) return new Set();
  const types = integers.map((c) => `${sqlString(c.name)}: 'VARCHAR'`).join(", ");
  // Codes are written at one width ("00501", "99950"): a column of mixed widths with a stray "05" is numbers.
  const counts = integers.map((c) => {
    const col = sqlIdent(c.name);
    return `CASE WHEN min(length(${col})) = max(length(${col})) THEN count(*) FILTER (WHERE regexp_matches(${col}, '^0[0-9]')) ELSE 0 END`;
  });
  const row = (
    await con.runAndReadAll(
      `SELECT ${counts.join(", ")} FROM read_csv(${sqlString(path)}, ${base}, types={${types}})`,
    )
  )
    .getRows()[0]!
    .map(Number);
  return new Set(integers.filter((_, k) => row[k]! > 0).map((c) => c.name));
}

async function select(
  con: DuckDBConnection,
  relation: string,
  columns: readonly { name: string }[],
  kinds: readonly ColumnKind[],
  expectedRows: number,
): Promise<Frame> {
  const list = columns.map((c, j) => `${sqlIdent(c.name)}::${kinds[j] === "numeric" ? "DOUBLE" : "VARCHAR"}`);
  const data = await readColumns(con, `SELECT ${list.join(", ")} FROM ${relation}`, kinds, expectedRows);
  return Frame.fromColumns(columns.map((c, j) => [c.name, data[j]!] as const));
}

/**
 * A self-describing relation (Parquet, JSON) into a Frame: DuckDB's types decide numeric or text.
 * @throws StrataError CSV_PARSE_ERROR (`unreadable`), EMPTY_DATA (`empty`)
 */
async function readTyped(
  con: DuckDBConnection,
  relation: string,
  path: string,
  words: { readonly unreadable: (reason: string) => string; readonly empty: (columns: number) => string },
): Promise<Frame> {
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
  const frame = await select(con, relation, columns, kinds, 0);
  if (frame.numRows === 0)
    throw new StrataError("EMPTY_DATA", words.empty(columns.length), { details: { path } });
  return frame;
}

function readParquet(con: DuckDBConnection, path: string): Promise<Frame> {
  return readTyped(con, `read_parquet(${sqlString(path)})`, path, {
    unreadable: (reason) => `${path} is not a readable Parquet file: ${reason}`,
    empty: (n) => `${path} has ${n} columns but no rows.`,
  });
}

/**
 * Reads a JSON array of records or JSON Lines with DuckDB's reader: numbers become numeric columns, every
 * other value (text, booleans, dates, nested objects as their JSON) text.
 */
function readJson(con: DuckDBConnection, path: string, compression: Compression): Promise<Frame> {
  const compressed = compression === "none" ? "" : `, compression=${sqlString(compression)}`;
  return readTyped(con, `read_json(${sqlString(path)}, format='auto'${compressed})`, path, {
    unreadable: (reason) =>
      `${path} looks like JSON but is not an array of records or JSON Lines Strata can read: ${reason}`,
    empty: () => `${path} holds no records.`,
  });
}

/**
 * Reads a local table file into a Frame (index "0".."n-1"), in the format its content shows.
 * @throws SOURCE_NOT_FOUND, UNSUPPORTED_SOURCE, EMPTY_DATA, CSV_RAGGED_ROW, CSV_PARSE_ERROR, NON_NUMERIC_VALUE.
 */
export async function readTableFile(path: string, options: LoadOptions = {}): Promise<Frame> {
  const detected = await detectTableFormat(path);
  const format = options.format === undefined || options.format === "auto" ? detected.format : options.format;
  const { compression } = detected;
  if (format === "arrow") return readArrowFile(path, compression);
  return withConnection((con) => {
    if (format === "parquet") {
      if (compression !== "none")
        throw new StrataError(
          "UNSUPPORTED_SOURCE",
          `${path} is Parquet inside ${compression}; Parquet compresses its own pages, so write it without the outer ${compression}.`,
          { details: { path, compression } },
        );
      return readParquet(con, path);
    }
    if (format === "json") return readJson(con, path, compression);
    return readCsv(con, path, options, compression);
  });
}

/**
 * Loads a table from any source Strata reads: a local path, file://, s3:// or https:// (remote sources are
 * cached; see fetchToCache). The caller times the step.
 * @throws the source errors of fetchToCache and the parse errors of readTableFile.
 * @example const frame = await loadTable("../shared/data/census/acs2015_county_data.csv");
 */
export async function loadTable(source: string, options: LoadOptions = {}): Promise<Frame> {
  const { path } = await fetchToCache(source, options);
  return readTableFile(path, options);
}
