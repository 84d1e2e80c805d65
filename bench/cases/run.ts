/**
 * run: the whole census segmentation, each run a fresh process timed from spawn to exit (outputs written):
 * `strata run` from the built CLI (dist/bundle/main.js after `npm run build`, as the bin and `npm start` run
 * it) vs bench/python/run.py, the same steps in pandas + scikit-learn.
 * @module
 */
import { spawn, spawnSync } from "node:child_process";
import { existsSync, rmSync, statSync } from "node:fs";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { DATA_DIR } from "../generate.js";
import { type BenchRow, measure, PROJECT_ROOT, row, skipped, spawned } from "../harness.js";
import { PYTHON, pythonAvailable } from "../python.js";

/** Debian's chromium, as the browser tests use it. */
const CHROMIUM = "/usr/bin/chromium";

const CASE = "run";
const ROOT = PROJECT_ROOT;

/** Where the census CSV is (as test/helpers/census.ts finds it); never copied. */
export function censusCsv(): string | undefined {
  const path =
    process.env["STRATA_CENSUS_CSV"] ?? resolve(ROOT, "../shared/data/census/acs2015_county_data.csv");
  return existsSync(path) ? path : undefined;
}

let built: string | undefined;

/**
 * Builds dist with `npm run build` (so the bench times the sources as they are, built the one way the project
 * builds them), once per bench run; returns the CLI bundle's main module, which the bin and `npm start` run.
 */
export function buildCli(): string {
  if (built !== undefined) return built;
  const build = spawnSync("npm", ["run", "build", "--silent"], {
    cwd: ROOT,
    stdio: ["ignore", "ignore", "inherit"],
  });
  if (build.status !== 0) throw new Error(`npm run build failed (exit ${build.status})`);
  const main = resolve(ROOT, "dist/bundle/main.js");
  if (!existsSync(main)) throw new Error(`npm run build did not produce ${main}`);
  built = main;
  return main;
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
    spawned(process.execPath, [main, "run", "--data", csv, "--out", strataOut, "--quiet", "--no-report"]),
    { repeats: 5 },
  );
  out.push(
    row(
      CASE,
      "strata",
      3218,
      strata,
      "dist/bundle/main.js run --no-report (the script's steps), spawn to exit",
    ),
  );
  out.push(...(await nodeStartRows(main, csv, strataOut)));
  const withReport = await measure(
    spawned(process.execPath, [main, "run", "--data", csv, "--out", strataOut, "--quiet"]),
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
  out.push(await reportOpenRow(resolve(strataOut, "report.html")));
  out.push(await npmStartRow(csv));
  const py = pythonAvailable();
  if (!py.ok) out.push(skipped(CASE, "pandas + scikit-learn", 3218, py.reason));
  else {
    const env = { ...process.env };
    delete env["OPENBLAS_CORETYPE"];
    delete env["OPENBLAS_L2_SIZE"];
    const pyOut = resolve(DATA_DIR, "run-out-python");
    const script = resolve(ROOT, "bench/python/run.py");
    const r = await measure(spawned(PYTHON, [script, csv, pyOut], env), { repeats: 5 });
    out.push(row(CASE, "pandas + scikit-learn", 3218, r, "python3 run.py, spawn to exit"));
  }
  return out;
}

/**
 * What every Node process here pays before a script runs: `node -e 0`, spawn to exit. And, where the environment
 * sets NODE_EXTRA_CA_CERTS (this sandbox does, for its proxy's CA bundle), the census run without it: Node 20
 * parses that bundle together with its own root certificates at start-up, before any script, whether or not the
 * process ever opens a TLS connection (`node -e 0` took 90 ms with it and 33 ms without). Python does not read
 * it. The run's own row above keeps the environment as it is.
 */
async function nodeStartRows(main: string, csv: string, out: string): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  const bare = await measure(spawned(process.execPath, ["-e", "0"]), { repeats: 5 });
  rows.push(
    row(CASE, "node -e 0", 3218, bare, "Node's own start and exit, spawn to exit (environment as is)"),
  );
  if (process.env["NODE_EXTRA_CA_CERTS"] === undefined) return rows;
  const env = { ...process.env };
  delete env["NODE_EXTRA_CA_CERTS"];
  const run = await measure(
    spawned(process.execPath, [main, "run", "--data", csv, "--out", out, "--quiet", "--no-report"], env),
    { repeats: 5 },
  );
  rows.push(
    row(
      CASE,
      "strata (without NODE_EXTRA_CA_CERTS)",
      3218,
      run,
      "the --no-report run without the environment's extra CA bundle, which Node parses at every start",
    ),
  );
  return rows;
}

/**
 * report.html opened in Debian's chromium (playwright-core, a fresh page each time): from navigation to the
 * page's script having run (`body[data-ready]`: map tooltips, search and sorting ready).
 */
async function reportOpenRow(file: string): Promise<BenchRow> {
  const tool = "report.html in chromium";
  if (!existsSync(CHROMIUM)) return skipped(CASE, tool, 3218, `${CHROMIUM} is not installed`);
  const { chromium } = await import("playwright-core");
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ["--headless", "--no-sandbox"] });
  try {
    const url = pathToFileURL(file).href;
    const t = await measure(
      async () => {
        const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
        const t0 = performance.now();
        await page.goto(url);
        await page.waitForSelector('body[data-ready="1"]');
        const ms = performance.now() - t0;
        await page.close();
        return ms;
      },
      { repeats: 5 },
    );
    const mb = (statSync(file).size / 2 ** 20).toFixed(1);
    return row(CASE, tool, 3218, t, `open to ready (${mb} MiB file)`);
  } finally {
    await browser.close();
  }
}

/**
 * `npm start` as a user runs it after `npm install` (dist/ built and current): spawn to the first progress line
 * on stderr ("[1/10] load …"), then it runs to the end.
 */
async function npmStartRow(csv: string): Promise<BenchRow> {
  const out = resolve(DATA_DIR, "run-out-npm-start");
  const firstLine = () =>
    new Promise<number>((resolvePromise, reject) => {
      const t0 = performance.now();
      let first: number | undefined;
      const child = spawn("npm", ["start", "--", "--data", csv, "--out", out, "--no-report"], {
        cwd: ROOT,
        stdio: ["ignore", "ignore", "pipe"],
      });
      child.stderr.on("data", (chunk: Buffer) => {
        if (first === undefined && /\[1\/\d+\]/.test(chunk.toString())) first = performance.now() - t0;
      });
      child.on("error", reject);
      child.on("close", (code) =>
        code === 0 && first !== undefined
          ? resolvePromise(first)
          : reject(new Error(`npm start exited ${code} (first progress line: ${first ?? "none"})`)),
      );
    });
  const t = await measure(firstLine, { repeats: 3 });
  return row(
    CASE,
    "npm start (first progress line)",
    3218,
    t,
    'spawn to "[1/10] load" on stderr, dist/ current',
  );
}
