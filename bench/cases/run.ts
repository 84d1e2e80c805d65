/**
 * run: the whole census segmentation, each run a fresh process timed from spawn to exit (outputs written):
 * `strata run` from the compiled CLI (dist built into bench/.data/dist by `tsc -p tsconfig.build.json`, as
 * `npm start` runs it) vs bench/python/run.py, the same steps in pandas + scikit-learn.
 * @module
 */
import { spawnSync } from "node:child_process";
import { existsSync, rmSync } from "node:fs";
import { resolve } from "node:path";
import { DATA_DIR } from "../generate.js";
import { type BenchRow, measure, row, skipped } from "../harness.js";
import { PYTHON, pythonAvailable } from "../python.js";

const CASE = "run";
const ROOT = resolve(DATA_DIR, "../..");

/** Where the census CSV is (as test/helpers/census.ts finds it); never copied. */
export function censusCsv(): string | undefined {
  const path =
    process.env["STRATA_CENSUS_CSV"] ?? resolve(ROOT, "../shared/data/census/acs2015_county_data.csv");
  return existsSync(path) ? path : undefined;
}

/** Compiles the CLI into bench/.data/dist (as `npm start` runs it) and returns its main module. */
export function buildCli(): string {
  const outDir = resolve(DATA_DIR, "dist");
  spawnSync("npx", ["tsc", "-p", "tsconfig.build.json", "--outDir", outDir, "--declaration", "false"], {
    cwd: ROOT,
    stdio: "ignore",
  });
  const main = resolve(outDir, "cli/main.js");
  if (!existsSync(main)) throw new Error(`tsc did not produce ${main}`);
  return main;
}

function timed(cmd: string, args: readonly string[], env: NodeJS.ProcessEnv = process.env): () => number {
  return () => {
    const t0 = performance.now();
    const r = spawnSync(cmd, args, { cwd: ROOT, env, encoding: "utf8" });
    const ms = performance.now() - t0;
    if (r.status !== 0) throw new Error(`${cmd} ${args.join(" ")} failed: ${r.stderr.slice(-1500)}`);
    return ms;
  };
}

/** Runs the run case on the census file. */
export async function runCase(): Promise<BenchRow[]> {
  const csv = censusCsv();
  if (csv === undefined)
    return [skipped(CASE, "strata", 3218, "census CSV not found (set STRATA_CENSUS_CSV)")];
  const out: BenchRow[] = [];
  const main = buildCli();
  const strataOut = resolve(DATA_DIR, "run-out-strata");
  rmSync(strataOut, { recursive: true, force: true });
  const strata = await measure(
    timed(process.execPath, [main, "run", "--data", csv, "--out", strataOut, "--quiet", "--no-report"]),
    { repeats: 5 },
  );
  out.push(
    row(CASE, "strata", 3218, strata, "dist/cli/main.js run --no-report (the script's steps), spawn to exit"),
  );
  const withReport = await measure(
    timed(process.execPath, [main, "run", "--data", csv, "--out", strataOut, "--quiet"]),
    { repeats: 3 },
  );
  out.push(
    row(
      CASE,
      "strata (with report)",
      3218,
      withReport,
      "also renders report.html + charts/ (no Python counterpart)",
    ),
  );
  const py = pythonAvailable();
  if (!py.ok) out.push(skipped(CASE, "pandas + scikit-learn", 3218, py.reason));
  else {
    const env = { ...process.env };
    delete env["OPENBLAS_CORETYPE"];
    delete env["OPENBLAS_L2_SIZE"];
    const pyOut = resolve(DATA_DIR, "run-out-python");
    const script = resolve(ROOT, "bench/python/run.py");
    const r = await measure(timed(PYTHON, [script, csv, pyOut], env), { repeats: 5 });
    out.push(row(CASE, "pandas + scikit-learn", 3218, r, "python3 run.py, spawn to exit"));
  }
  return out;
}
