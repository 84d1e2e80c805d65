/**
 * Timing and reporting for the benchmarks: every tool runs once as a warm-up, then several timed runs
 * (fewer when one run is slow, so ml-pca at 1M rows does not take minutes), and each result row carries its
 * ratio to Strata's median in the same case. Results print as a table or, with --json, as an array of
 * `{case, tool, rows, medianMs, minMs, maxMs, ratioToStrata}` (plus `runs` and a free-form `note`).
 * @module
 */

import { spawnSync } from "node:child_process";
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";

/** The repository root (bench/ sits in it). */
export const PROJECT_ROOT = resolve(fileURLToPath(new URL(".", import.meta.url)), "..");

/** One measured tool in one case. */
export interface BenchRow {
  readonly case: string;
  /** A sub-case compared separately (load: "csv" or "parquet"). */
  readonly variant?: string;
  readonly tool: string;
  readonly rows: number;
  readonly medianMs: number;
  readonly minMs: number;
  readonly maxMs: number;
  /** This tool's median over Strata's median in the same case and size (>1: Strata is faster). */
  ratioToStrata: number | null;
  /** Timed runs behind the figures. */
  readonly runs: number;
  /** Case-specific facts: per-iteration time, inertia, skipped reason. */
  readonly note?: string;
}

/** Timings of one tool (ms). */
export interface Timing {
  readonly medianMs: number;
  readonly minMs: number;
  readonly maxMs: number;
  readonly runs: number;
}

/** Summarises raw timings (ms). */
export function summarise(times: readonly number[]): Timing {
  const s = [...times].sort((a, b) => a - b);
  const mid = s.length >> 1;
  const medianMs = s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
  return { medianMs, minMs: s[0]!, maxMs: s[s.length - 1]!, runs: s.length };
}

/** Options of {@link measure}. */
export interface MeasureOptions {
  /** Timed runs when a run is fast (default 5). */
  readonly repeats?: number;
  /** Skip the warm-up (a separate process each run, where there is nothing to warm). */
  readonly noWarmup?: boolean;
}

/**
 * Runs `fn` once to warm up, then times it `repeats` times — 3 when the warm-up took over 2 s, 1 over 8 s.
 * `fn` may return the time it measured itself (e.g. per-iteration work); otherwise wall time is used.
 */
export async function measure(
  fn: () => Promise<number | undefined> | number | undefined,
  options: MeasureOptions = {},
): Promise<Timing> {
  let repeats = options.repeats ?? 5;
  if (!options.noWarmup) {
    const t0 = performance.now();
    await fn();
    const warm = performance.now() - t0;
    if (warm > 8000) repeats = 1;
    else if (warm > 2000) repeats = Math.min(repeats, 3);
  }
  const times: number[] = [];
  for (let r = 0; r < repeats; r++) {
    const t0 = performance.now();
    const own = await fn();
    times.push(own ?? performance.now() - t0);
  }
  return summarise(times);
}

/** Fills in `ratioToStrata` for every row of a case and size. */
export function addRatios(rows: BenchRow[]): void {
  for (const r of rows) {
    const base = rows.find(
      (b) => b.case === r.case && b.variant === r.variant && b.rows === r.rows && b.tool === "strata",
    );
    r.ratioToStrata =
      base && base.medianMs > 0 && Number.isFinite(r.medianMs) ? r.medianMs / base.medianMs : null;
  }
}

const fmt = (ms: number): string => (Number.isFinite(ms) ? (ms < 10 ? ms.toFixed(2) : ms.toFixed(0)) : "—");

/** The rows as a Markdown table (the form BENCHMARKS.md keeps). */
export function formatTable(rows: readonly BenchRow[]): string {
  const lines = [
    "| case | rows | tool | median ms | min ms | max ms | runs | × Strata | note |",
    "|---|---:|---|---:|---:|---:|---:|---:|---|",
  ];
  for (const r of rows) {
    const ratio = r.ratioToStrata === null ? "—" : `${r.ratioToStrata.toFixed(2)}×`;
    lines.push(
      `| ${r.variant === undefined ? r.case : `${r.case} (${r.variant})`} | ${r.rows.toLocaleString("en-US")} | ${r.tool} | ${fmt(r.medianMs)} | ${fmt(r.minMs)} | ${fmt(r.maxMs)} | ${r.runs} | ${ratio} | ${r.note ?? ""} |`,
    );
  }
  return lines.join("\n");
}

/**
 * A timer of one process, spawn to exit (cwd: the project root), that throws with the end of its stderr when
 * the process fails.
 */
export function spawned(
  cmd: string,
  args: readonly string[],
  env: NodeJS.ProcessEnv = process.env,
): () => number {
  return () => {
    const t0 = performance.now();
    const r = spawnSync(cmd, args, { cwd: PROJECT_ROOT, env, encoding: "utf8" });
    const ms = performance.now() - t0;
    if (r.status !== 0) throw new Error(`${cmd} ${args.join(" ")} failed: ${r.stderr.slice(-1500)}`);
    return ms;
  };
}

/** A row for a tool that could not run (reason in the note). */
export function skipped(caseName: string, tool: string, rows: number, note: string): BenchRow {
  return {
    case: caseName,
    tool,
    rows,
    medianMs: Number.NaN,
    minMs: Number.NaN,
    maxMs: Number.NaN,
    ratioToStrata: null,
    runs: 0,
    note,
  };
}

/** A row from a timing. */
export function row(caseName: string, tool: string, rows: number, t: Timing, note?: string): BenchRow {
  return { case: caseName, tool, rows, ...t, ratioToStrata: null, ...(note === undefined ? {} : { note }) };
}
