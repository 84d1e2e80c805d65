/**
 * Reads an Arrow IPC file or stream (what pyarrow, polars and DuckDB write) into a Frame with apache-arrow:
 * integer, floating and decimal columns become numeric (nulls NaN), every other type text. DuckDB has no
 * Arrow IPC reader built in, and the library is Arrow's own.
 * @module
 */
import { readFile } from "node:fs/promises";
import { promisify } from "node:util";
import { gunzip } from "node:zlib";
import { Type, tableFromIPC } from "apache-arrow";
import { StrataError } from "../errors.js";
import { type ColumnData, Frame } from "./frame.js";
import type { Compression } from "./table-format.js";

const NUMERIC = new Set([Type.Int, Type.Float, Type.Decimal]);

/**
 * @throws StrataError CSV_PARSE_ERROR (not readable as Arrow IPC), UNSUPPORTED_SOURCE (zstd around it),
 *   EMPTY_DATA
 */
export async function readArrowFile(path: string, compression: Compression): Promise<Frame> {
  if (compression === "zstd")
    throw new StrataError(
      "UNSUPPORTED_SOURCE",
      `${path} is zstd-compressed Arrow IPC, which Strata cannot inflate; write it uncompressed (Arrow IPC compresses its own buffers) or as Parquet.`,
      { details: { path } },
    );
  let bytes: Uint8Array = await readFile(path);
  if (compression === "gzip") bytes = await promisify(gunzip)(bytes);
  let table: ReturnType<typeof tableFromIPC>;
  try {
    table = tableFromIPC(bytes);
  } catch (e) {
    throw new StrataError(
      "CSV_PARSE_ERROR",
      `${path} looks like Arrow IPC but could not be read: ${(e as Error).message}`,
      {
        details: { path, format: "arrow" },
        cause: e,
      },
    );
  }
  if (table.numRows === 0)
    throw new StrataError("EMPTY_DATA", `${path} has ${table.numCols} columns but no rows.`, {
      details: { path },
    });
  const columns: (readonly [string, ColumnData])[] = table.schema.fields.map((field, j) => {
    const vector = table.getChildAt(j)!;
    if (NUMERIC.has(field.type.typeId)) {
      const out = new Float64Array(table.numRows);
      for (let i = 0; i < table.numRows; i++) {
        const v = vector.get(i);
        out[i] = v === null || v === undefined ? Number.NaN : Number(v);
      }
      return [field.name, out] as const;
    }
    const out: (string | null)[] = new Array(table.numRows);
    for (let i = 0; i < table.numRows; i++) {
      const v = vector.get(i);
      out[i] = v === null || v === undefined ? null : v instanceof Date ? v.toISOString() : String(v);
    }
    return [field.name, out] as const;
  });
  return Frame.fromColumns(columns);
}
