/**
 * stream: a channel larger than it needs to be held, streamed (issue 15). A generated n × 34 table (default
 * 20,000,000 rows) in eight Parquet files trains a PCA job (num_components 10) in Pipe mode, one fresh
 * process timed from spawn to exit with the peak RSS GNU time measures; beside it scikit-learn's
 * IncrementalPCA reads the same rows from a raw float64 file through a memory map, batch by batch (Debian's
 * Python has no Parquet reader; the raw file spares it the decoding Strata does), also under GNU time. The
 * data is written once into bench/.data/ (never committed). Last, the whole `strata run` over the same table,
 * which streams it (too large to hold), under GNU time too.
 * @module
 */
import { spawnSync } from "node:child_process";
import { createWriteStream, existsSync, mkdirSync, readFileSync, rmSync } from "node:fs";
import { resolve } from "node:path";
import { sqlString, withConnection } from "../../src/data/duckdb.js";
import { objectChunks } from "../../src/data/stream/object-chunks.js";
import { DATA_DIR } from "../generate.js";
import { type BenchRow, row, skipped } from "../harness.js";
import { PYTHON, pythonAvailable } from "../python.js";
import { buildCli } from "./run.js";

const CASE = "stream";
const TIME = "/usr/bin/time";
const COLS = 34;
const FILES = 8;
const COMPONENTS = 10;
/** Rows per batch of IncrementalPCA: Strata's chunk size. */
const BATCH = 8192;

/** Column t of row i: smooth signals and their mixtures (the formula of test/jobs/streamed-channels.test.ts). */
function columnSql(t: number): string {
  return `sin(i * ${0.0007 * (t + 1)}) * ${t + 1} + cos(i * ${0.013 * ((t % 5) + 1)}) + (i % ${7 + t}) * 0.01 AS c${t}`;
}

/** The table as eight Parquet files and one raw float64 file, made once. */
async function tableOf(n: number): Promise<{ dir: string; raw: string }> {
  const dir = resolve(DATA_DIR, `stream-${n}`);
  const raw = resolve(DATA_DIR, `stream-${n}.f64`);
  if (existsSync(resolve(dir, "done")) && existsSync(raw)) return { dir, raw };
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const per = Math.ceil(n / FILES);
  const columns = Array.from({ length: COLS }, (_, t) => columnSql(t)).join(", ");
  await withConnection(async (con) => {
    for (let f = 0; f < FILES; f++) {
      const from = f * per;
      const to = Math.min(n, from + per);
      await con.run(
        `COPY (SELECT ${columns} FROM (SELECT range::DOUBLE AS i FROM range(${from}, ${to}))) TO ${sqlString(resolve(dir, `part-${f}.parquet`))} (FORMAT parquet)`,
      );
    }
  });
  const out = createWriteStream(raw);
  for (let f = 0; f < FILES; f++) {
    const path = resolve(dir, `part-${f}.parquet`);
    for await (const chunk of objectChunks({ path, format: "parquet", labelSize: 0, name: path })) {
      const bytes = new Uint8Array(chunk.matrix.data.buffer, 0, chunk.matrix.data.byteLength);
      if (!out.write(bytes)) await new Promise<void>((r) => out.once("drain", () => r()));
    }
  }
  await new Promise<void>((r) => out.end(r));
  createWriteStream(resolve(dir, "done")).end();
  return { dir, raw };
}

/** The peak RSS in MB from GNU time's `%M` on the last stderr line. */
function peakMb(stderr: string): number {
  return Number(stderr.trim().split("\n").at(-1)) / 1024;
}

/** Runs the stream case at each size (default 20M rows). */
export async function streamCase(sizes: readonly number[]): Promise<BenchRow[]> {
  if (!existsSync(TIME)) return sizes.map((n) => skipped(CASE, "strata", n, `${TIME} (GNU time) is missing`));
  const main = buildCli();
  const out: BenchRow[] = [];
  for (const n of sizes) {
    const { dir, raw } = await tableOf(n);
    const home = resolve(DATA_DIR, `stream-home-${n}`);
    rmSync(home, { recursive: true, force: true });
    const t0 = performance.now();
    const r = spawnSync(
      TIME,
      [
        "-f",
        "%M",
        process.execPath,
        main,
        "train",
        "pca",
        "--train",
        `${dir}/`,
        "--content-type",
        "application/x-parquet",
        "--input-mode",
        "Pipe",
        "--hp",
        `num_components=${COMPONENTS}`,
        "--name",
        "stream-pca",
        "--wait",
        "--quiet",
      ],
      { encoding: "utf8", env: { ...process.env, STRATA_HOME: home } },
    );
    const ms = performance.now() - t0;
    if (r.status !== 0) throw new Error(`the streamed PCA job failed: ${r.stderr.slice(-1500)}`);
    const metadata = JSON.parse(
      readFileSync(resolve(home, "artifacts/stream-pca/output/strata-model.json"), "utf8"),
    ) as { model: { singularValues: number[] } };
    const s0 = metadata.model.singularValues[0]!;
    const strata = { medianMs: ms, minMs: ms, maxMs: ms, runs: 1 };
    out.push(
      row(
        CASE,
        "strata PCA job (Parquet, Pipe)",
        n,
        strata,
        `${Math.round(n / (ms / 1000)).toLocaleString("en-US")} rows/s; peak RSS ${Math.round(peakMb(r.stderr))} MB; s[0] ${s0.toPrecision(10)}`,
      ),
    );
    const py = pythonAvailable();
    if (!py.ok) {
      out.push(skipped(CASE, "scikit-learn IncrementalPCA", n, py.reason));
      continue;
    }
    const p = spawnSync(
      TIME,
      [
        "-f",
        "%M",
        PYTHON,
        resolve(import.meta.dirname, "../python/incremental_pca.py"),
        raw,
        String(COLS),
        String(COMPONENTS),
        String(BATCH),
      ],
      { encoding: "utf8" },
    );
    if (p.status !== 0) throw new Error(`IncrementalPCA failed: ${p.stderr.slice(-1500)}`);
    const result = JSON.parse(p.stdout.trim()) as { ms: number; firstSingularValue: number };
    const ipca = { medianMs: result.ms, minMs: result.ms, maxMs: result.ms, runs: 1 };
    const rel = Math.abs(result.firstSingularValue - s0) / s0;
    out.push(
      row(
        CASE,
        "scikit-learn IncrementalPCA (raw f64, memmap)",
        n,
        ipca,
        `${Math.round(n / (result.ms / 1000)).toLocaleString("en-US")} rows/s (the fit's own time, no start-up); peak RSS ${Math.round(peakMb(p.stderr))} MB; batch ${BATCH}; s[0] rel diff ${rel.toExponential(1)}`,
      ),
    );
    out.push(streamedRun(main, dir, n));
  }
  return out;
}

/**
 * The whole `strata run` over the same table, streamed because it is too large to hold (the run decides):
 * three passes, a Pipe-mode PCA job and a web-scale K-Means job, assignments.csv for every row.
 */
function streamedRun(main: string, dir: string, n: number): BenchRow {
  const home = resolve(DATA_DIR, `stream-run-home-${n}`);
  const outDir = resolve(DATA_DIR, `stream-run-out-${n}`);
  rmSync(home, { recursive: true, force: true });
  rmSync(outDir, { recursive: true, force: true });
  const t0 = performance.now();
  const r = spawnSync(
    TIME,
    [
      "-f",
      "%M",
      process.execPath,
      main,
      "run",
      "--data",
      `${dir}/`,
      "--out",
      outDir,
      "--no-report",
      "--json",
    ],
    { encoding: "utf8", env: { ...process.env, STRATA_HOME: home }, maxBuffer: 64 * 1024 * 1024 },
  );
  const ms = performance.now() - t0;
  if (r.status !== 0) throw new Error(`the streamed run failed: ${r.stderr.slice(-1500)}`);
  const summary = JSON.parse(r.stdout) as {
    streamed: { sampleRows: number } | null;
    kmeans: { inertia: number };
    timings: Record<string, number>;
  };
  if (summary.streamed === null) throw new Error("the run held the table instead of streaming it");
  const steps = ["clean", "scale", "pca", "project", "kmeans", "assign"]
    .map((step) => `${step} ${(summary.timings[step]! / 1000).toFixed(1)} s`)
    .join(", ");
  // The outputs (the two channels and assignments.csv) are about 10 GB at 20M rows: not kept.
  rmSync(outDir, { recursive: true, force: true });
  rmSync(home, { recursive: true, force: true });
  return row(
    CASE,
    "strata run (streamed: 3 passes, Pipe-mode jobs)",
    n,
    { medianMs: ms, minMs: ms, maxMs: ms, runs: 1 },
    `${Math.round(n / (ms / 1000)).toLocaleString("en-US")} rows/s end to end; peak RSS ${Math.round(peakMb(r.stderr))} MB; ${steps}; inertia ${summary.kmeans.inertia.toPrecision(8)}`,
  );
}
