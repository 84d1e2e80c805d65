/**
 * The process-wide DuckDB instance used for reading CSV and Parquet files: created lazily on first use, with
 * two threads and extension auto-install/auto-load switched off (so DuckDB never tries to download httpfs
 * from the network; remote files are fetched by Strata's own object stores first). Each load gets its own
 * connection, which is closed afterwards.
 * @module
 */
import type { DuckDBConnection, DuckDBInstance } from "@duckdb/node-api";
import { duck, duckdbApi } from "./duckdb-addon.js";

let instance: Promise<DuckDBInstance> | undefined;

/** The shared instance (created on first call). */
export function duckdbInstance(): Promise<DuckDBInstance> {
  instance ??= duck(() =>
    duckdbApi().DuckDBInstance.create(":memory:", {
      threads: "2",
      autoinstall_known_extensions: "false",
      autoload_known_extensions: "false",
    }),
  );
  return instance;
}

let streaming: Promise<DuckDBInstance> | undefined;

/**
 * The instance that streams channel objects (src/data/stream): a small memory limit, so a streamed read holds
 * a row group or two and not DuckDB's default of most of the machine's memory (measured: 128 MB keeps a
 * 20M x 34 Parquet channel's PCA job under 430 MB peak RSS). Separate from the loading instance, whose
 * whole-table reads may use what they need.
 */
export function streamingInstance(): Promise<DuckDBInstance> {
  streaming ??= duck(() =>
    duckdbApi().DuckDBInstance.create(":memory:", {
      threads: "2",
      memory_limit: "128MB",
      autoinstall_known_extensions: "false",
      autoload_known_extensions: "false",
    }),
  );
  return streaming;
}

/**
 * Runs `work` on a fresh connection to an instance (the loading one unless told) and closes the connection
 * afterwards. The whole of `work` counts as one DuckDB call (duckdb-addon.ts): its thread is not ended before
 * it is done, so `work` is bounded (a load, a count), never a stream handed out chunk by chunk.
 */
export function withConnection<T>(
  work: (con: DuckDBConnection) => Promise<T>,
  instance: () => Promise<DuckDBInstance> = duckdbInstance,
): Promise<T> {
  return duck(async () => {
    const con = await (await instance()).connect();
    try {
      return await work(con);
    } finally {
      con.closeSync();
    }
  });
}

/** A fresh connection to the streaming instance; its caller closes it, and counts its own calls with `duck`. */
export function streamingConnection(): Promise<DuckDBConnection> {
  return duck(async () => (await streamingInstance()).connect());
}

/** A SQL string literal. */
export function sqlString(s: string): string {
  return `'${s.replaceAll("'", "''")}'`;
}

/** A SQL identifier (column name). */
export function sqlIdent(s: string): string {
  return `"${s.replaceAll('"', '""')}"`;
}
