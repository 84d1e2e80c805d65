/**
 * The pandas-style describe table (count, mean, std, min, quartiles, max of every feature) drawn as an SVG
 * table: one row per feature, one column per statistic, banded rows. Used for the raw and the min-max scaled
 * data.
 * @module
 */
import { DESCRIBE_STATS, type DescribeStat } from "../../data/describe.js";
import { formatNumber } from "../../explain/feature-info.js";
import { escapeMarkup } from "../../util/escape-markup.js";
import { dejaVuAdvances, measureText } from "../font-metrics.js";
import { FONT_DIR } from "../fonts.js";
import { svgText } from "./theme.js";

/** describe's output as summary.json stores it (NaN as null). */
export interface DescribeTable {
  readonly columns: readonly string[];
  readonly stats: Record<DescribeStat, readonly (number | null)[]>;
}

/** One cell of the table. */
export interface DescribeCell {
  readonly feature: string;
  readonly stat: DescribeStat;
  readonly text: string;
}

/** The cells, row by row; values formatted to about four significant digits (three decimals when scaled). */
export function describeCells(d: DescribeTable, options: { scaled?: boolean } = {}): DescribeCell[] {
  const fmt = (v: number | null) => (v === null ? "NaN" : options.scaled ? v.toFixed(3) : formatNumber(v));
  return d.columns.flatMap((feature, j) =>
    DESCRIBE_STATS.map((stat) => ({ feature, stat, text: fmt(d.stats[stat][j] ?? null) })),
  );
}

/** Layout, in px, as the Vega-Lite table it replaces drew it: 84 × 17 cells, 11 px text, a 15/12 px title. */
const CELL = { width: 84, height: 17, textRight: 6, baseline: 11.5, fontSize: 11 } as const;
const PAD = 5;
const TITLE = {
  size: 15,
  baseline: 17,
  subtitleSize: 12,
  subtitleBaseline: 32,
  subtitleColour: "#555",
} as const;
/** The first row's top: below the title, the subtitle and the statistics' names. */
const TOP = 51;
const LABEL_GAP = 2;
const BAND = "#f1f4f8";

/**
 * The describe table as an SVG document: a grid of one row per feature and one column per statistic, banded
 * rows, values right-aligned. Drawn here rather than by Vega: as a Vega-Lite chart its 272 text marks took
 * 16–32 ms of every report (a table), this about a millisecond once the fonts are read. It looks as that chart
 * did: the same cell grid, fonts, title and labels, measured with the same DejaVu Sans advances.
 * @example describeTableSvg(summary.describe.raw, { title: "Raw features" })
 */
export function describeTableSvg(d: DescribeTable, options: { title: string; scaled?: boolean }): string {
  const { regular, bold } = dejaVuAdvances(FONT_DIR);
  const labelWidth = Math.max(0, ...d.columns.map((f) => measureText(regular, f, CELL.fontSize)));
  const left = Math.round(PAD + labelWidth + LABEL_GAP);
  const subtitle = `${d.columns.length} features × pandas describe()`;
  const width = Math.max(
    left + DESCRIBE_STATS.length * CELL.width + PAD,
    Math.ceil(2 * PAD + measureText(bold, options.title, TITLE.size)),
    Math.ceil(2 * PAD + measureText(regular, subtitle, TITLE.subtitleSize)),
  );
  const height = TOP + d.columns.length * CELL.height + PAD;
  const out = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="graphics-document" aria-label="${escapeMarkup(`${options.title}: ${subtitle}`)}">`,
    `<rect width="${width}" height="${height}" fill="white"/>`,
    svgText(PAD, TITLE.baseline, TITLE.size, options.title, ' font-weight="bold" fill="#000"'),
    svgText(PAD, TITLE.subtitleBaseline, TITLE.subtitleSize, subtitle, ` fill="${TITLE.subtitleColour}"`),
  ];
  DESCRIBE_STATS.forEach((stat, c) => {
    const x = left + c * CELL.width + CELL.width / 2;
    out.push(
      svgText(x, TOP - 3.5, CELL.fontSize, stat, ' font-weight="bold" fill="#000" text-anchor="middle"'),
    );
  });
  const cells = describeCells(d, options);
  d.columns.forEach((feature, r) => {
    const y = TOP + r * CELL.height;
    if (r % 2 === 1)
      out.push(
        `<rect x="${left}" y="${y}" width="${DESCRIBE_STATS.length * CELL.width}" height="${CELL.height}" fill="${BAND}"/>`,
      );
    out.push(
      svgText(left - 1.5, y + CELL.baseline, CELL.fontSize, feature, ' fill="#000" text-anchor="end"'),
    );
    DESCRIBE_STATS.forEach((stat, c) => {
      const { text } = cells[r * DESCRIBE_STATS.length + c]!;
      const label = escapeMarkup(`${feature}, ${stat}: ${text}`);
      const x = left + (c + 1) * CELL.width - CELL.textRight;
      out.push(
        svgText(
          x,
          y + CELL.baseline,
          CELL.fontSize,
          text,
          ` fill="black" text-anchor="end" aria-label="${label}"`,
        ),
      );
    });
  });
  out.push("</svg>");
  return out.join("\n");
}
