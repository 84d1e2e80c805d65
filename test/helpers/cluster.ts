/**
 * What the cluster tests share: a generated multi-file Parquet channel, and `strata worker` processes (the
 * real CLI) started, watched through their log and stopped.
 * @module
 */
import assert from "node:assert/strict";
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from "node:fs";
import { join } from "node:path";
import { sqlString, withConnection } from "../../src/data/duckdb.js";
import { PROJECT_ROOT } from "./census.js";

/** Columns of the generated channel. */
export const COLS = 12;

function columnSql(t: number): string {
  return `sin(i * ${0.0011 * (t + 1)}) * ${t + 1} + cos(i * ${0.017 * ((t % 5) + 1)}) + (i % ${7 + t}) * 0.01 AS c${t}`;
}

/**
 * Writes `files` Parquet objects part-0.parquet … of `rowsPerFile` deterministic rows each (`cols` columns)
 * into `dir`.
 */
export async function writeParquet(
  dir: string,
  files: number,
  rowsPerFile: number,
  cols = COLS,
): Promise<void> {
  mkdirSync(dir, { recursive: true });
  const columns = Array.from({ length: cols }, (_, t) => columnSql(t)).join(", ");
  await withConnection(async (con) => {
    for (let f = 0; f < files; f++)
      await con.run(
        `COPY (SELECT ${columns} FROM (SELECT range::DOUBLE AS i FROM range(${f * rowsPerFile}, ${(f + 1) * rowsPerFile}))) TO ${sqlString(join(dir, `part-${f}.parquet`))} (FORMAT parquet)`,
      );
  });
}

/**
 * The CLI compiled once per test process (tsc, about 2 s), under node_modules/.cache so that its imports
 * resolve: workers run what an installed `strata worker` runs, compiled JavaScript, and start without
 * transpiling every module through tsx (three workers at once on two cores).
 */
let built: string | undefined;
function compiledCli(): string {
  if (built !== undefined) return built;
  const cache = join(PROJECT_ROOT, "node_modules", ".cache", "strata-test-cli");
  // Builds of test processes that ended long ago are left behind by a killed run: clear them.
  for (const old of existsSync(cache) ? readdirSync(cache) : [])
    if (Date.now() - statSync(join(cache, old)).mtimeMs > 3_600_000)
      rmSync(join(cache, old), { recursive: true, force: true });
  const out = join(cache, String(process.pid));
  const tsc = spawnSync(
    process.execPath,
    [
      join(PROJECT_ROOT, "node_modules", "typescript", "bin", "tsc"),
      "-p",
      "tsconfig.build.json",
      "--outDir",
      out,
      "--declaration",
      "false",
    ],
    { cwd: PROJECT_ROOT, encoding: "utf8" },
  );
  const main = join(out, "cli", "main.js");
  if (tsc.status !== 0 || !existsSync(main))
    throw new Error(`tsc did not build the CLI: ${tsc.stdout}${tsc.stderr}`);
  built = main;
  return main;
}

/** A `strata worker` process, with its stderr collected. */
export interface WorkerProcess {
  readonly child: ChildProcess;
  log(): string;
}

/**
 * Starts `strata worker --redis url` (the compiled CLI) with STRATA_HOME `home` (a lock of 1 s, so a lost
 * worker's shard moves soon) and resolves once it has joined. `under` runs it inside another command (`ip netns exec <ns>`);
 * `env` adds to its environment.
 */
export async function startWorker(
  url: string,
  home: string,
  options: { under?: readonly string[]; env?: Record<string, string> } = {},
): Promise<WorkerProcess> {
  const [command, ...prefix] = [...(options.under ?? []), process.execPath];
  const child = spawn(
    command!,
    [...prefix, compiledCli(), "worker", "--redis", url, "--lock-timeout", "1000"],
    {
      env: { ...process.env, ...options.env, STRATA_HOME: home },
      stdio: ["ignore", "ignore", "pipe"],
    },
  );
  let text = "";
  child.stderr!.setEncoding("utf8").on("data", (chunk: string) => {
    text += chunk;
  });
  for (let i = 0; i < 400 && !text.includes("joined the cluster"); i++) {
    if (child.exitCode !== null) throw new Error(`strata worker exited: ${text}`);
    await new Promise((r) => setTimeout(r, 25));
  }
  assert.match(text, /joined the cluster/);
  return { child, log: () => text };
}

/** Stops a worker (SIGTERM: it leaves the cluster) and waits for it to exit. */
export async function stopWorker(w: WorkerProcess): Promise<void> {
  if (w.child.exitCode !== null || w.child.signalCode !== null) return;
  const exited = new Promise((r) => w.child.once("exit", r));
  w.child.kill("SIGTERM");
  await exited;
}
