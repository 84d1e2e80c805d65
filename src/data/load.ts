/**
 * Loads a table into a Frame from any source Strata reads (a path, file://, s3:// or https://; remote sources
 * through the download cache, so every reader reads local files), in the format its content shows
 * (table-format.ts): a small plain CSV in JavaScript (read-small-csv.ts), Arrow IPC with apache-arrow
 * (read-arrow.ts), everything else with DuckDB (read-duckdb.ts). The readers are imported when a file needs
 * them: DuckDB's addon takes ~35 ms to load and apache-arrow ~150 ms, which the census never needs.
 * @module
 */
import { readFile, stat } from "node:fs/promises";
import { StrataError } from "../errors.js";
import { fetchToCache } from "./cache.js";
import type { Frame } from "./frame.js";
import { DEFAULT_NA_VALUES, type LoadOptions } from "./load-options.js";
import { readSmallCsv } from "./read-small-csv.js";
import { isFolderSource, type TableFiles, tableFiles } from "./table-files.js";
import { detectTableFormat } from "./table-format.js";

export { DEFAULT_NA_VALUES, type LoadOptions } from "./load-options.js";
export type { TableFormat } from "./table-format.js";

/**
 * Plain CSV files up to this size (about 250k rows of 34 numbers) are read whole into memory and parsed in
 * JavaScript when they can be (read-small-csv.ts): at 100k × 34 in 70–100 ms against DuckDB's 150. Larger
 * files stay with DuckDB, which streams them and parses on both cores.
 */
const SMALL_CSV_BYTES = 48 << 20;

const defaultNaValues = new Set(DEFAULT_NA_VALUES);

/** A small plain CSV file read in JavaScript, or undefined when it is larger or needs DuckDB. */
async function smallCsv(path: string): Promise<Frame | undefined> {
  if ((await stat(path)).size > SMALL_CSV_BYTES) return undefined;
  return readSmallCsv(await readFile(path), defaultNaValues);
}

/**
 * Reads a local table file into a Frame (index "0".."n-1"), in the format its content shows.
 * @throws SOURCE_NOT_FOUND, UNSUPPORTED_SOURCE, EMPTY_DATA, CSV_RAGGED_ROW, CSV_PARSE_ERROR, NON_NUMERIC_VALUE.
 */
export async function readTableFile(path: string, options: LoadOptions = {}): Promise<Frame> {
  const detected = await detectTableFormat(path);
  const format = options.format === undefined || options.format === "auto" ? detected.format : options.format;
  const { compression } = detected;
  if (format === "arrow") {
    const { readArrowFile } = await import("./read-arrow.js");
    return readArrowFile(path, compression);
  }
  if (format === "csv" && compression === "none" && options.naValues === undefined) {
    const frame = await smallCsv(path);
    if (frame !== undefined) return frame;
  }
  const { readFileWithDuckDb } = await import("./read-duckdb.js");
  return readFileWithDuckDb(path, format, compression, options);
}

/**
 * Loads a table from any source Strata reads: a local path, file://, s3:// or https:// (remote sources are
 * cached; see fetchToCache). The caller times the step.
 * @throws the source errors of fetchToCache and the parse errors of readTableFile.
 * @example const frame = await loadTable("../shared/data/census/acs2015_county_data.csv");
 */
export async function loadTable(source: string, options: LoadOptions = {}): Promise<Frame> {
  if (await isFolderSource(source)) return readTableFiles(await tableFiles(source, options), options);
  const { path } = await fetchToCache(source, options);
  return readTableFile(path, options);
}

/**
 * The files of a folder (table-files.ts) read into one Frame, by DuckDB (which reads them as one relation).
 * @throws as readTableFile
 */
export async function readTableFiles(files: TableFiles, options: LoadOptions = {}): Promise<Frame> {
  if (files.format === "arrow") {
    throw new StrataError(
      "UNSUPPORTED_SOURCE",
      `${files.name} is a folder of Arrow IPC files; write them as Parquet or CSV, or name one file.`,
      { details: { path: files.name } },
    );
  }
  const { readFilesWithDuckDb } = await import("./read-duckdb.js");
  return readFilesWithDuckDb(files, options);
}
