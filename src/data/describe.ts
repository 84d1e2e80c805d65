/**
 * Summary statistics of every numeric column, with pandas' `DataFrame.describe()` definitions: count of
 * non-missing values, mean, sample standard deviation (ddof = 1), min, the 25/50/75% quantiles by linear
 * interpolation (numpy's default "linear" method, including its `_lerp` rounding) and max. NaN is skipped.
 * The mean is a compensated (Neumaier) sum and the variance a second pass over centred values, so results
 * are at least as accurate as numpy's pairwise sums.
 * @module
 */
import type { Frame } from "./frame.js";

/** The statistics, in pandas' row order and with pandas' names. */
export const DESCRIBE_STATS = ["count", "mean", "std", "min", "25%", "50%", "75%", "max"] as const;
export type DescribeStat = (typeof DESCRIBE_STATS)[number];

/** One value per column for each statistic: `stats[stat][j]` belongs to `columns[j]`. */
export interface DescribeResult {
  readonly columns: string[];
  readonly stats: Record<DescribeStat, number[]>;
}

/** Sum with Neumaier compensation (accurate for the long, same-signed columns of census data). */
function compensatedSum(values: Float64Array, centre?: number): number {
  let sum = 0;
  let c = 0;
  for (let i = 0; i < values.length; i++) {
    // With a centre, the squared deviations from it (the variance's sum), without an array of them.
    const v = centre === undefined ? values[i]! : (values[i]! - centre) * (values[i]! - centre);
    const t = sum + v;
    c += Math.abs(sum) >= Math.abs(v) ? sum - t + v : v - t + sum;
    sum = t;
  }
  return sum + c;
}

/**
 * The q-quantile of ascending, NaN-free values, as numpy's `quantile(method="linear")`: virtual index
 * h = (n - 1) q, then `_lerp(a, b, t)` = a + (b - a) t, computed from b's side when t >= 0.5.
 */
export function quantileSorted(sorted: ArrayLike<number>, q: number): number {
  const n = sorted.length;
  if (n === 0) return Number.NaN;
  const h = (n - 1) * q;
  const lo = Math.floor(h);
  const a = sorted[lo]!;
  if (lo + 1 >= n) return a;
  const b = sorted[lo + 1]!;
  const t = h - lo;
  const diff = b - a;
  return t >= 0.5 ? b - diff * (1 - t) : a + diff * t;
}

/** Statistics of one column (NaN values skipped). */
export function describeColumn(values: Float64Array): Record<DescribeStat, number> {
  // Loops rather than a typed array's filter and map with callbacks, which V8 runs slowly: they took half of
  // the census' describe step (two tables of 34 columns).
  const present = new Float64Array(values.length);
  let n = 0;
  for (let i = 0; i < values.length; i++) if (!Number.isNaN(values[i]!)) present[n++] = values[i]!;
  const kept = present.subarray(0, n);
  const mean = n === 0 ? Number.NaN : compensatedSum(kept) / n;
  const std = n < 2 ? Number.NaN : Math.sqrt(compensatedSum(kept, mean) / (n - 1));
  const sorted = kept.sort();
  return {
    count: n,
    mean,
    std,
    min: n === 0 ? Number.NaN : sorted[0]!,
    "25%": quantileSorted(sorted, 0.25),
    "50%": quantileSorted(sorted, 0.5),
    "75%": quantileSorted(sorted, 0.75),
    max: n === 0 ? Number.NaN : sorted[n - 1]!,
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
