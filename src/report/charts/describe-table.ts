/**
 * The pandas-style describe table (count, mean, std, min, quartiles, max of every feature) drawn as a chart:
 * one row per feature, one column per statistic, banded rows. Used for the raw and the min-max scaled data.
 * @module
 */
import type { TopLevelSpec } from "vega-lite";
import { DESCRIBE_STATS, type DescribeStat } from "../../data/describe.js";
import { formatNumber } from "../../explain/feature-info.js";
import { CHART_CONFIG } from "./theme.js";

/** describe's output as summary.json stores it (NaN as null). */
export interface DescribeTable {
  readonly columns: readonly string[];
  readonly stats: Record<DescribeStat, readonly (number | null)[]>;
}

/** One cell of the table. */
export interface DescribeCell {
  readonly feature: string;
  readonly stat: DescribeStat;
  readonly value: number | null;
  readonly text: string;
  readonly band: number;
}

/** The cells, row by row; values formatted to about four significant digits (three decimals when scaled). */
export function describeCells(d: DescribeTable, options: { scaled?: boolean } = {}): DescribeCell[] {
  const fmt = (v: number | null) => (v === null ? "NaN" : options.scaled ? v.toFixed(3) : formatNumber(v));
  return d.columns.flatMap((feature, j) =>
    DESCRIBE_STATS.map((stat) => {
      const value = d.stats[stat][j] ?? null;
      return { feature, stat, value, text: fmt(value), band: j % 2 };
    }),
  );
}

/**
 * The describe table as a text grid.
 * @example describeTableSpec(summary.describe.raw, { title: "Raw features" })
 */
export function describeTableSpec(
  d: DescribeTable,
  options: { title: string; scaled?: boolean },
): TopLevelSpec {
  return {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    title: { text: options.title, subtitle: `${d.columns.length} features × pandas describe()` },
    config: CHART_CONFIG,
    data: { values: describeCells(d, options) },
    width: { step: 84 },
    height: { step: 17 },
    encoding: {
      x: {
        field: "stat",
        type: "ordinal",
        sort: [...DESCRIBE_STATS],
        title: null,
        axis: { orient: "top", labelAngle: 0, domain: false, ticks: false, labelFontWeight: "bold" },
      },
      y: {
        field: "feature",
        type: "ordinal",
        sort: [...d.columns],
        title: null,
        axis: { domain: false, ticks: false },
      },
    },
    layer: [
      {
        mark: { type: "rect" },
        encoding: {
          color: {
            field: "band",
            type: "nominal",
            scale: { domain: [0, 1], range: ["#ffffff", "#f1f4f8"] },
            legend: null,
          },
        },
      },
      {
        mark: { type: "text", align: "right", dx: 36, fontSize: 11 },
        encoding: { text: { field: "text" } },
      },
    ],
  };
}
