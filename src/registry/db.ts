/**
 * Opening the SQLite registry (`$STRATA_HOME/strata.db`, better-sqlite3): WAL journal so readers (a second
 * CLI running `jobs list`, the server) never block the writer, a busy timeout so concurrent writers from
 * several Strata processes wait instead of failing, foreign keys on, and the versioned migrations of
 * migrations.ts applied in one transaction each. Opening also creates `$STRATA_HOME` when missing.
 * @module
 */
import { chmodSync, existsSync, mkdirSync, statSync } from "node:fs";
import Database from "better-sqlite3";
import { StrataError } from "../errors.js";
import { type HomeOptions, registryPath, strataHome } from "./home.js";
import { MIGRATIONS, SCHEMA_VERSION } from "./migrations.js";

/** An open registry connection. */
export type RegistryDb = Database.Database;

export interface OpenRegistryOptions extends HomeOptions {
  /** Milliseconds a writer waits for another process's lock (default 5000). */
  readonly busyTimeoutMs?: number;
}

/**
 * Opens (creating when needed) the registry and brings its schema up to date.
 *
 * @returns a better-sqlite3 connection; close it with `db.close()`
 * @throws StrataError REGISTRY_UNAVAILABLE when the file cannot be opened or its schema is newer than this
 *   Strata's
 * @example
 * const db = openRegistryDb({ home: "/tmp/strata-test" });
 * db.prepare("SELECT count(*) AS n FROM training_jobs").get(); // { n: 0 }
 */
export function openRegistryDb(options: OpenRegistryOptions = {}): RegistryDb {
  const path = registryPath(options);
  let db: RegistryDb;
  try {
    mkdirSync(strataHome(options), { recursive: true });
    db = new Database(path);
    db.pragma("journal_mode = WAL");
    db.pragma(`busy_timeout = ${Math.max(0, Math.floor(options.busyTimeoutMs ?? 5000))}`);
    db.pragma("foreign_keys = ON");
    db.pragma("synchronous = NORMAL");
    reuseStatements(db);
    restrictToOwner(path);
  } catch (cause) {
    throw new StrataError(
      "REGISTRY_UNAVAILABLE",
      `Cannot open the Strata registry at ${path}: ${String(cause)}.`,
      {
        details: { path },
        cause,
      },
    );
  }
  try {
    migrate(db, path);
  } catch (error) {
    db.close();
    throw error;
  }
  return db;
}

/**
 * Makes `db.prepare` compile each SQL text once per connection and return that statement again: better-sqlite3
 * compiles on every call, and a census run prepared 98 times for 14 statements (2-4 ms). A statement keeps its
 * modes (`pluck`, `raw`), so one SQL text has one use; none of the registry's statements is iterated, which
 * would keep it busy for a second use.
 */
function reuseStatements(db: RegistryDb): void {
  const prepare = db.prepare.bind(db);
  const statements = new Map<string, Database.Statement>();
  db.prepare = ((sql: string) => {
    let statement = statements.get(sql);
    if (statement === undefined) {
      statement = prepare(sql);
      statements.set(sql, statement);
    }
    return statement;
  }) as RegistryDb["prepare"];
}

/**
 * The registry holds every job's requests, hyperparameters and log lines: readable by its owner only (0600),
 * with the WAL and shared-memory files SQLite creates beside it.
 */
function restrictToOwner(path: string): void {
  for (const file of [path, `${path}-wal`, `${path}-shm`]) {
    try {
      if (existsSync(file) && (statSync(file).mode & 0o077) !== 0) chmodSync(file, 0o600);
    } catch {
      // Another user's registry (EPERM): it is theirs to restrict; opening it is still allowed.
    }
  }
}

/** The schema version recorded in `db` (0 for a new file). */
export function schemaVersion(db: RegistryDb): number {
  db.exec(
    "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, applied_at INTEGER NOT NULL)",
  );
  const row = db.prepare("SELECT max(version) AS v FROM schema_version").get() as { v: number | null };
  return row.v ?? 0;
}

function migrate(db: RegistryDb, path: string): void {
  // IMMEDIATE: two processes opening a new registry at once must not both run migration 1.
  const apply = db.transaction(() => {
    const current = schemaVersion(db);
    if (current > SCHEMA_VERSION) {
      throw new StrataError(
        "REGISTRY_UNAVAILABLE",
        `The registry at ${path} has schema version ${current}; this Strata knows up to ${SCHEMA_VERSION}. Upgrade Strata or set STRATA_HOME to another directory.`,
        { details: { path, version: current, supported: SCHEMA_VERSION } },
      );
    }
    for (const m of MIGRATIONS) {
      if (m.version <= current) continue;
      db.exec(m.sql);
      db.prepare("INSERT INTO schema_version (version, applied_at) VALUES (?, ?)").run(m.version, Date.now());
    }
  });
  apply.immediate();
}

/** The tables whose rows a SageMaker ARN names. */
export type ArnTable = "training_jobs" | "models" | "endpoint_configs" | "endpoints" | "transform_jobs";

/**
 * The name of the resource an ARN names, as it was created: ARNs spell names in lower case, and a name may
 * not be (`Census-PCA` has the ARN `…:model/census-pca`). Undefined when no row has that ARN.
 */
export function nameOfArn(db: RegistryDb, table: ArnTable, arn: string): string | undefined {
  const row = db.prepare(`SELECT name FROM ${table} WHERE arn = ?`).get(arn) as { name: string } | undefined;
  return row?.name;
}
