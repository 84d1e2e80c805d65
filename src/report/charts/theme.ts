/**
 * The look shared by every chart: one font (DejaVu Sans, which resvg is given explicitly for PNGs and the
 * browser has too), one categorical palette for segments so a segment has the same colour on the map, the
 * size bars and the legends, and how components and segments are labelled ("comp_1 · White & Income vs
 * Hispanic", "0 · High Income, low Poverty").
 * @module
 */
import type { TopLevelSpec } from "vega-lite";
import { escapeMarkup } from "../../util/escape-markup.js";

/** Vega-Lite's config type. */
export type ChartConfig = NonNullable<TopLevelSpec["config"]>;

/** The font every chart asks for. */
export const CHART_FONT = "DejaVu Sans, sans-serif";

/**
 * A `<text>` element in the chart font, for the charts Strata draws itself (the map, the describe tables);
 * `attrs` are further attributes, written after the font size (e.g. ' fill="#333"').
 */
export function svgText(x: number, y: number, size: number, content: string, attrs = ""): string {
  return `<text x="${x}" y="${y}" font-family="${CHART_FONT}" font-size="${size}"${attrs}>${escapeMarkup(content)}</text>`;
}

/** Vega-Lite config for all charts. */
export const CHART_CONFIG: ChartConfig = {
  font: CHART_FONT,
  background: "white",
  view: { stroke: null },
  axis: { labelFontSize: 11, titleFontSize: 12, gridColor: "#e8ebef" },
  header: { labelFontSize: 12, titleFontSize: 12 },
  legend: { labelFontSize: 11, titleFontSize: 12 },
  title: { fontSize: 15, anchor: "start", subtitleFontSize: 12, subtitleColor: "#555" },
};

/** Tableau 10 and its light half: enough distinct colours for k up to 20. */
const PALETTE = [
  "#4e79a7",
  "#f28e2b",
  "#e15759",
  "#76b7b2",
  "#59a14f",
  "#edc948",
  "#b07aa1",
  "#ff9da7",
  "#9c755f",
  "#17becf",
  "#a0cbe8",
  "#ffbe7d",
  "#ff9d9a",
  "#86bcb6",
  "#8cd17d",
  "#f1ce63",
  "#d4a6c8",
  "#fabfd2",
  "#d7b5a6",
  "#9edae5",
];

/** What the rows are called in a chart's words (the summary's entity); the census's by default. */
export interface RowWords {
  readonly one: string;
  readonly many: string;
}

export const COUNTY_WORDS: RowWords = { one: "county", many: "counties" };

/** "Counties", "Customers". */
export function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** The colour of counties with no data, and its legend entry. */
export const NO_DATA_COLOUR = "#d0d0d0";
export const NO_DATA_LABEL = "No data";

/** Colour of segment `id` (cycling after 20). */
export function segmentColour(id: number): string {
  return PALETTE[id % PALETTE.length]!;
}

/**
 * The label a segment goes by in charts and tables.
 * @example segmentLabel(2, "High Production & Poverty") // "2 · High Production & Poverty"
 */
export function segmentLabel(id: number, name: string): string {
  return `${id} · ${name}`;
}

/**
 * The label a kept component goes by (index from 0; shown from 1, as comp_1 in assignments.csv).
 * @example componentLabel(0, "White & Income vs Hispanic") // "comp_1 · White & Income vs Hispanic"
 */
export function componentLabel(index: number, name: string): string {
  return `comp_${index + 1} · ${name}`;
}

/** Diverging scheme for signed values (blue below, orange above). */
export const DIVERGING_SCHEME = "blueorange";
