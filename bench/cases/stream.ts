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
import { createWriteStream, existsSync, mkdirSync, readFileSync, rmSync } from "node:fs";
import { resolve } from "node:path";
import { sqlString, withConnection } from "../../src/data/duckdb.js";
import { objectChunks } from "../../src/data/stream/object-chunks.js";
import { DATA_DIR } from "../generate.js";
import { gnuTimeMissing, underGnuTime } from "../gnu-time.js";
import { type BenchRow, row, skipped } from "../harness.js";
import { PYTHON, pythonAvailable } from "../python.js";
import { buildCli } from "./run.js";

const CASE = "stream";
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
export async function streamTable(n: number): Promise<{ dir: string; raw: string }> {
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

/** Runs the stream case at each size (default 20M rows). */
export async function streamCase(sizes: readonly number[]): Promise<BenchRow[]> {
  if (gnuTimeMissing !== false) return sizes.map((n) => skipped(CASE, "strata", n, gnuTimeMissing as string));
  const main = buildCli();
  const out: BenchRow[] = [];
  for (const n of sizes) {
    const { dir, raw } = await streamTable(n);
    const home = resolve(DATA_DIR, `stream-home-${n}`);
    rmSync(home, { recursive: true, force: true });
    const { ms, peakMb } = underGnuTime(
      "the streamed PCA job",
      process.execPath,
      [
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
      { STRATA_HOME: home },
    );
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
        `${Math.round(n / (ms / 1000)).toLocaleString("en-US")} rows/s; peak RSS ${Math.round(peakMb)} MB; s[0] ${s0.toPrecision(10)}`,
      ),
    );
    const py = pythonAvailable();
    if (!py.ok) {
      out.push(skipped(CASE, "scikit-learn IncrementalPCA", n, py.reason));
      continue;
    }
    const p = underGnuTime("IncrementalPCA", PYTHON, [
      resolve(import.meta.dirname, "../python/incremental_pca.py"),
      raw,
      String(COLS),
      String(COMPONENTS),
      String(BATCH),
    ]);
    const result = JSON.parse(p.stdout.trim()) as { ms: number; firstSingularValue: number };
    const ipca = { medianMs: result.ms, minMs: result.ms, maxMs: result.ms, runs: 1 };
    const rel = Math.abs(result.firstSingularValue - s0) / s0;
    out.push(
      row(
        CASE,
        "scikit-learn IncrementalPCA (raw f64, memmap)",
        n,
        ipca,
        `${Math.round(n / (result.ms / 1000)).toLocaleString("en-US")} rows/s (the fit's own time, no start-up); peak RSS ${Math.round(p.peakMb)} MB; batch ${BATCH}; s[0] rel diff ${rel.toExponential(1)}`,
      ),
    );
    out.push(streamedRun(main, dir, n));
  }
  return out;
}

/**
 * The whole `strata run` over the same table, streamed (at 20M rows the run chooses it unasked):
 * three passes, a Pipe-mode PCA job and a web-scale K-Means job, assignments.csv for every row.
 */
function streamedRun(main: string, dir: string, n: number): BenchRow {
  const home = resolve(DATA_DIR, `stream-run-home-${n}`);
  const outDir = resolve(DATA_DIR, `stream-run-out-${n}`);
  rmSync(home, { recursive: true, force: true });
  rmSync(outDir, { recursive: true, force: true });
  const r = underGnuTime(
    "the streamed run",
    process.execPath,
    // --stream: at 20M rows the run would choose it by itself; smaller --rows are streamed too.
    [main, "run", "--data", `${dir}/`, "--out", outDir, "--no-report", "--json", "--stream"],
    { STRATA_HOME: home },
  );
  const ms = r.ms;
  const summary = JSON.parse(r.stdout) as {
    kmeans: { inertia: number };
    timings: Record<string, number>;
  };
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
    `${Math.round(n / (ms / 1000)).toLocaleString("en-US")} rows/s end to end; peak RSS ${Math.round(r.peakMb)} MB; ${steps}; inertia ${summary.kmeans.inertia.toPrecision(8)}`,
  );
}
