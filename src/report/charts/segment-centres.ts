/**
 * Segments by their members, in the original units: every feature (rows) for the national median and each
 * segment's members' median (columns), the value written in its unit ("$51,399", "12.7%") and the cell
 * coloured by how many national standard deviations it lies from the median (diverging, 0 = the median).
 * Reads as "segment 3: income $X, Y% professional" next to the US figure. (The chart keeps its file name,
 * segment-centres, from when it showed the centroids' reconstruction.)
 * @module
 */
import type { TopLevelSpec } from "vega-lite";
import { formatFeatureValue } from "../../explain/feature-info.js";
import { standardDeviation } from "../../explain/segment-centres.js";
import { CHART_CONFIG, DIVERGING_SCHEME } from "./theme.js";

/** What the chart needs, in original units and feature order. */
export interface CentresInput {
  readonly features: readonly string[];
  /** k × features: each segment's members' median. */
  readonly medians: readonly (readonly number[])[];
  readonly segmentLabels: readonly string[];
  readonly nationalMedian: readonly number[];
  readonly nationalStd: readonly number[];
  /** The whole table's column and what it is called: "US median", "Overall median" (default "US median"). */
  readonly medianLabel?: string;
}

/** The column of the whole table's medians, unless the input names it (US places: the national median). */
export const MEDIAN_COLUMN = "US median";

/** Colour clamp: deviations beyond this many standard deviations get the end colour. */
const CLAMP_SDS = 2.5;

/** One cell: a feature's value for a segment (or the nation). */
export interface CentreCell {
  readonly feature: string;
  readonly column: string;
  readonly value: number;
  readonly text: string;
  readonly sds: number;
}

/** The cells: the median column first, then one column per segment. */
export function centreCells(input: CentresInput): CentreCell[] {
  const { features, nationalMedian: median, nationalStd: std } = input;
  const cells: CentreCell[] = [];
  features.forEach((feature, j) => {
    cells.push({
      feature,
      column: input.medianLabel ?? MEDIAN_COLUMN,
      value: median[j]!,
      text: formatFeatureValue(feature, median[j]),
      sds: 0,
    });
    input.medians.forEach((medians, s) => {
      const value = medians[j]!;
      const sds = Math.max(-CLAMP_SDS, Math.min(CLAMP_SDS, standardDeviation(value, median[j]!, std[j]!)));
      cells.push({
        feature,
        column: input.segmentLabels[s]!,
        value,
        text: formatFeatureValue(feature, value),
        sds,
      });
    });
  });
  return cells;
}

/**
 * The heatmap of the segments' members' medians beside the national median.
 * @example segmentCentresSpec({ features, medians, segmentLabels, nationalMedian, nationalStd })
 */
export function segmentCentresSpec(input: CentresInput): TopLevelSpec {
  const median = input.medianLabel ?? MEDIAN_COLUMN;
  const columns = [median, ...input.segmentLabels];
  return {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    title: {
      text: "Segments by their members, in original units",
      subtitle: `Each segment's members' median; colour: distance from the ${median.replace(/^O/, "o")} in standard deviations`,
    },
    config: CHART_CONFIG,
    data: { values: centreCells(input) },
    width: { step: 92 },
    height: { step: 18 },
    encoding: {
      x: {
        field: "column",
        type: "nominal",
        sort: columns,
        title: null,
        axis: { orient: "top", labelAngle: -35, labelAlign: "left", labelLimit: 0, labelFontWeight: "bold" },
      },
      y: { field: "feature", type: "nominal", sort: [...input.features], title: null },
    },
    layer: [
      {
        mark: { type: "rect", stroke: "white", strokeWidth: 0.5 },
        encoding: {
          color: {
            field: "sds",
            type: "quantitative",
            scale: { scheme: DIVERGING_SCHEME, domain: [-CLAMP_SDS, CLAMP_SDS], domainMid: 0 },
            title: ["SDs from", "the median"],
            legend: { orient: "right", gradientLength: 200 },
          },
          tooltip: [
            { field: "column", title: "Segment" },
            { field: "feature", title: "Feature" },
            { field: "text", title: "Value" },
            { field: "sds", title: "SDs from median", format: "+.2f" },
          ],
        },
      },
      {
        mark: { type: "text", fontSize: 10.5 },
        encoding: {
          text: { field: "text" },
          color: {
            condition: { test: `abs(datum.sds) > ${0.6 * CLAMP_SDS}`, value: "white" },
            value: "#222",
          },
        },
      },
    ],
  };
}
