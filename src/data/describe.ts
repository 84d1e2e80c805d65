/**
 * Summary statistics of every numeric column, with pandas' `DataFrame.describe()` definitions: count of
 * non-missing values, mean, sample standard deviation (ddof = 1), min, the 25/50/75% quantiles by linear
 * interpolation (numpy's default "linear" method, including its `_lerp` rounding) and max. NaN is skipped.
 * The mean is a compensated (Neumaier) sum and the variance a second pass over centred values, so results
 * are at least as accurate as numpy's pairwise sums. The arithmetic runs in WebAssembly (linalg/wasm-columns.ts).
 * @module
 */

import { wasmColumnStats } from "../linalg/wasm-columns.js";
import type { Frame } from "./frame.js";

/** The statistics, in pandas' row order and with pandas' names. */
export const DESCRIBE_STATS = ["count", "mean", "std", "min", "25%", "50%", "75%", "max"] as const;
export type DescribeStat = (typeof DESCRIBE_STATS)[number];

/** One value per column for each statistic: `stats[stat][j]` belongs to `columns[j]`. */
export interface DescribeResult {
  readonly columns: string[];
  readonly stats: Record<DescribeStat, number[]>;
}

/**
 * Statistics of one column (NaN values skipped), computed by linalg/wasm-columns.ts: the sums in row order, the
 * quartiles from order statistics (test/data/describe.test.ts holds them to the sort-based rule, bit for bit).
 */
export function describeColumn(values: Float64Array): Record<DescribeStat, number> {
  const s = wasmColumnStats(values);
  return {
    count: s.count,
    mean: s.mean,
    std: s.std,
    min: s.min,
    "25%": s.q25,
    "50%": s.q50,
    "75%": s.q75,
    max: s.max,
  };
}

/**
 * pandas-style `describe()` of every numeric column of a frame (text columns are skipped, as pandas does).
 * @returns columns in frame order and, per statistic, one value per column.
 * @example describe(frame).stats.mean[0] // mean of the first numeric column
 */
export function describe(frame: Frame): DescribeResult {
  const columns = frame.numericColumnNames;
  const stats = Object.fromEntries(DESCRIBE_STATS.map((s) => [s, [] as number[]])) as Record<
    DescribeStat,
    number[]
  >;
  for (const name of columns) {
    const col = describeColumn(frame.column(name));
    for (const s of DESCRIBE_STATS) stats[s].push(col[s]);
  }
  return { columns, stats };
}

/** The description as JSON-safe data (NaN becomes null, as pandas' `to_json` writes it). */
export function describeResultToJson(d: DescribeResult): {
  columns: string[];
  stats: Record<DescribeStat, (number | null)[]>;
} {
  const stats = Object.fromEntries(
    DESCRIBE_STATS.map((s) => [s, d.stats[s].map((v) => (Number.isNaN(v) ? null : v))]),
  ) as Record<DescribeStat, (number | null)[]>;
  return { columns: [...d.columns], stats };
}

/**
 * A plain-text table with one row per column and one column per statistic (for CLI output).
 * @param options.digits significant digits (default 6).
 */
export function formatDescribeResult(d: DescribeResult, options: { digits?: number } = {}): string {
  const digits = options.digits ?? 6;
  const fmt = (v: number): string => (Number.isNaN(v) ? "NaN" : Number(v.toPrecision(digits)).toString());
  const header = ["", ...DESCRIBE_STATS];
  const body = d.columns.map((c, j) => [c, ...DESCRIBE_STATS.map((s) => fmt(d.stats[s][j]!))]);
  const rows = [header, ...body];
  const widths = header.map((_, k) => Math.max(...rows.map((r) => r[k]!.length)));
  return rows
    .map((r) =>
      r.map((cell, k) => (k === 0 ? cell.padEnd(widths[k]!) : cell.padStart(widths[k]!))).join("  "),
    )
    .join("\n");
}
