/**
 * Whether `strata run` holds the table or streams it: `--stream` / `--no-stream` decide; otherwise the table
 * is streamed when holding it would take more than the run's memory budget (`STRATA_RUN_MEMORY_MB`, else a
 * quarter of the machine's memory). Holding a table costs about IN_MEMORY_BYTES_PER_CELL per cell (DuckDB's
 * result, the Frame, the cleaned copy, the matrix, the scaled matrix, the training channel and its copy for
 * the job); a Parquet file's cells are counted from its metadata, a text file's are estimated from its bytes.
 * @module
 */
import { totalmem } from "node:os";
import { withConnection } from "../data/duckdb.js";
import type { TableFiles } from "../data/table-files.js";

/** Bytes of memory the in-memory workflow takes per cell of the table (measured: see BENCHMARKS.md). */
export const IN_MEMORY_BYTES_PER_CELL = 64;

/** Bytes of text per cell of a CSV or JSON table, about (a number and its delimiter). */
const TEXT_BYTES_PER_CELL = 8;

/** How many times its compressed size a gzip or zstd table file is, about. */
const COMPRESSION_RATIO = 6;

/**
 * The run's memory budget in bytes: `STRATA_RUN_MEMORY_MB`, else a quarter of the memory this process may use
 * (a container's limit when it has one, else the machine's).
 */
export function runMemoryBudget(env: NodeJS.ProcessEnv = process.env): number {
  const mb = Number(env["STRATA_RUN_MEMORY_MB"]);
  if (Number.isFinite(mb) && mb > 0) return mb * 1024 * 1024;
  const limit = process.constrainedMemory?.() ?? 0;
  return (limit > 0 && limit < totalmem() ? limit : totalmem()) / 4;
}

export interface StreamChoice {
  readonly stream: boolean;
  /** Why, in words, for the terminal and the log. */
  readonly reason: string;
  /** About how many bytes holding the table takes, when it was estimated. */
  readonly estimatedBytes?: number;
}

/** Decides how the run reads `files`; `forced` is `--stream` (true) or `--no-stream` (false). */
export async function chooseStreaming(
  files: TableFiles,
  forced: boolean | undefined,
  budgetBytes: number = runMemoryBudget(),
): Promise<StreamChoice> {
  if (forced === true) return { stream: true, reason: "--stream" };
  if (forced === false) return { stream: false, reason: "--no-stream" };
  // Arrow IPC is read whole (the streamed reader takes CSV, JSON and Parquet), as before streaming existed.
  if (files.format === "arrow") return { stream: false, reason: "Arrow IPC is read whole" };
  const estimate = await inMemoryBytes(files);
  const gb = (bytes: number) =>
    bytes >= 2 ** 30 ? `${(bytes / 2 ** 30).toFixed(1)} GB` : `${Math.ceil(bytes / 2 ** 20)} MB`;
  return estimate > budgetBytes
    ? {
        stream: true,
        reason: `holding the table would take about ${gb(estimate)}, over the run's memory budget of ${gb(budgetBytes)} (STRATA_RUN_MEMORY_MB)`,
        estimatedBytes: estimate,
      }
    : {
        stream: false,
        reason: `the table fits in memory (about ${gb(estimate)} of ${gb(budgetBytes)})`,
        estimatedBytes: estimate,
      };
}

/** About how many bytes holding the table takes. */
export async function inMemoryBytes(files: TableFiles): Promise<number> {
  if (files.format === "parquet") {
    const list = files.files.map((f) => `'${f.replaceAll("'", "''")}'`).join(", ");
    const cells = await withConnection(async (con) => {
      const rows = (await con.runAndReadAll(`SELECT count(*) FROM read_parquet([${list}])`)).getRows()[0]![0];
      const cols = (await con.runAndReadAll(`DESCRIBE SELECT * FROM read_parquet([${list}])`)).getRows()
        .length;
      return Number(rows) * cols;
    });
    return cells * IN_MEMORY_BYTES_PER_CELL;
  }
  const textBytes = files.compression === "none" ? files.bytes : files.bytes * COMPRESSION_RATIO;
  return (textBytes / TEXT_BYTES_PER_CELL) * IN_MEMORY_BYTES_PER_CELL;
}
