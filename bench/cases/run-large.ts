import { readFileSync, rmSync } from "node:fs";
import { resolve } from "node:path";
import { DATA_DIR, dataSet } from "../generate.js";
import { gnuTimeMissing, underGnuTime } from "../gnu-time.js";
import { type BenchRow, row, skipped } from "../harness.js";
import { buildCli } from "./run.js";

const CASE = "run-large";

/** Runs strata run once per size. */
export async function runLargeCase(sizes: readonly number[]): Promise<BenchRow[]> {
  if (gnuTimeMissing !== false) return sizes.map((n) => skipped(CASE, "strata", n, gnuTimeMissing as string));
  const main = buildCli();
  const out: BenchRow[] = [];
  for (const n of sizes) {
    const ds = await dataSet("census-like", n);
    const outDir = resolve(DATA_DIR, `run-large-${n}`);
    const home = resolve(DATA_DIR, `run-large-home-${n}`);
    rmSync(outDir, { recursive: true, force: true });
    rmSync(home, { recursive: true, force: true });
    const { ms, peakMb } = underGnuTime(
      `strata run on ${n} rows`,
      process.execPath,
      [main, "run", "--data", ds.csv, "--out", outDir, "--quiet"],
      { STRATA_HOME: home },
    );
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
