/**
 * Where Strata keeps its state: `$STRATA_HOME` (default `~/.strata`) holds the SQLite registry `strata.db`
 * and, unless a job names another `S3OutputPath`, the `artifacts/` tree
 * (`artifacts/<job-name>/output/model.tar.gz`). Every path is resolved here, so tests and servers point
 * the whole tool elsewhere with one variable or one option.
 * @module
 */
import { homedir } from "node:os";
import { join, resolve } from "node:path";

/** Options shared by everything that touches `$STRATA_HOME`. */
export interface HomeOptions {
  /** Overrides `$STRATA_HOME` (tests use a temp directory). */
  readonly home?: string;
}

/**
 * The Strata home directory: `options.home`, else `$STRATA_HOME`, else `~/.strata`. Not created here.
 * @example
 * strataHome({ home: "/tmp/strata-test" }); // "/tmp/strata-test"
 */
export function strataHome(options: HomeOptions = {}): string {
  const fromEnv = process.env["STRATA_HOME"];
  return resolve(
    options.home ?? (fromEnv !== undefined && fromEnv !== "" ? fromEnv : join(homedir(), ".strata")),
  );
}

/** Path of the SQLite registry, `<home>/strata.db`. */
export function registryPath(options: HomeOptions = {}): string {
  return join(strataHome(options), "strata.db");
}

/** Default `OutputDataConfig.S3OutputPath`: `<home>/artifacts` (a local path the ObjectStore writes). */
export function defaultArtifactsPath(options: HomeOptions = {}): string {
  return join(strataHome(options), "artifacts");
}
