/**
 * run-large: `strata run` (with its report) on generated census-like tables of 200k and 1M rows (or --rows),
 * one fresh process each, timed from spawn to exit, with the peak RSS GNU time measures and every step's time
 * from summary.json — where a large table's time and memory go (issue 14: large tables stay usable).
 * pandas + scikit-learn have no report to compare, so this case has no peer.
 * @module
 */
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, rmSync } from "node:fs";
import { resolve } from "node:path";
import { DATA_DIR, dataSet } from "../generate.js";
import { type BenchRow, row, skipped } from "../harness.js";
import { buildCli } from "./run.js";

const CASE = "run-large";
const TIME = "/usr/bin/time";

/** Runs strata run once per size. */
export async function runLargeCase(sizes: readonly number[]): Promise<BenchRow[]> {
  if (!existsSync(TIME)) return sizes.map((n) => skipped(CASE, "strata", n, `${TIME} (GNU time) is missing`));
  const main = buildCli();
  const out: BenchRow[] = [];
  for (const n of sizes) {
    const ds = await dataSet("census-like", n);
    const outDir = resolve(DATA_DIR, `run-large-${n}`);
    const home = resolve(DATA_DIR, `run-large-home-${n}`);
    rmSync(outDir, { recursive: true, force: true });
    rmSync(home, { recursive: true, force: true });
    const t0 = performance.now();
    const r = spawnSync(
      TIME,
      ["-f", "%M", process.execPath, main, "run", "--data", ds.csv, "--out", outDir, "--quiet"],
      {
        encoding: "utf8",
        env: { ...process.env, STRATA_HOME: home },
        maxBuffer: 64 * 1024 * 1024,
      },
    );
    const ms = performance.now() - t0;
    if (r.status !== 0) throw new Error(`strata run on ${n} rows failed: ${r.stderr.slice(-1500)}`);
    const peakMb = Number(r.stderr.trim().split("\n").at(-1)) / 1024;
    const summary = JSON.parse(readFileSync(resolve(outDir, "summary.json"), "utf8")) as {
      timings: Record<string, number>;
    };
    const steps = Object.entries(summary.timings)
      .map(([s, t]) => `${s} ${Math.round(t)}`)
      .join(", ");
    const reportMb = readFileSync(resolve(outDir, "report.html")).length / 1e6;
    out.push(
      row(
        CASE,
        "strata",
        n,
        { medianMs: ms, minMs: ms, maxMs: ms, runs: 1 },
        `peak RSS ${Math.round(peakMb)} MB; report.html ${reportMb.toFixed(1)} MB; steps (ms): ${steps}`,
      ),
    );
  }
  return out;
}
