/**
 * The centroid heatmap: each segment's centre on each kept component (clusters × components), coloured on a
 * diverging scale centred on 0 and symmetric, so blue and orange mean the same distance below and above the
 * average county, with the values written in.
 * @module
 */
import type { TopLevelSpec } from "vega-lite";
import { CHART_CONFIG, COUNTY_WORDS, DIVERGING_SCHEME, type RowWords } from "./theme.js";

/** One cell: a segment's coordinate on one component. */
export interface CentroidCell {
  readonly segment: string;
  readonly component: string;
  readonly value: number;
  readonly strong: boolean;
}

/** The cells, segment by segment; `strong` marks cells dark enough for white text. */
export function centroidCells(
  centroids: readonly (readonly number[])[],
  segmentLabels: readonly string[],
  componentLabels: readonly string[],
): CentroidCell[] {
  const extent = symmetricExtent(centroids);
  return centroids.flatMap((row, s) =>
    row.map((value, c) => ({
      segment: segmentLabels[s]!,
      component: componentLabels[c]!,
      value,
      strong: Math.abs(value) > 0.6 * extent,
    })),
  );
}

/** The largest |value| (at least a tiny positive number, so the scale is never empty). */
export function symmetricExtent(values: readonly (readonly number[])[]): number {
  return Math.max(1e-9, ...values.flat().map(Math.abs));
}

/**
 * The heatmap.
 * @param centroids k × kept, in component space.
 * @example centroidHeatmapSpec(summary.kmeans.centroids, segmentLabels, componentLabels)
 */
export function centroidHeatmapSpec(
  centroids: readonly (readonly number[])[],
  segmentLabels: readonly string[],
  componentLabels: readonly string[],
  words: RowWords = COUNTY_WORDS,
): TopLevelSpec {
  const m = symmetricExtent(centroids);
  return {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    title: {
      text: "Segment centroids",
      subtitle: `Each segment's centre on each kept component (0 = the average ${words.one})`,
    },
    config: CHART_CONFIG,
    data: { values: centroidCells(centroids, segmentLabels, componentLabels) },
    width: { step: 120 },
    height: { step: 34 },
    encoding: {
      x: {
        field: "component",
        type: "nominal",
        sort: [...componentLabels],
        title: null,
        axis: { orient: "top", labelAngle: -20, labelLimit: 0, labelAlign: "left" },
      },
      y: {
        field: "segment",
        type: "nominal",
        sort: [...segmentLabels],
        title: null,
        axis: { labelLimit: 0 },
      },
    },
    layer: [
      {
        mark: { type: "rect", stroke: "white", strokeWidth: 1 },
        encoding: {
          color: {
            field: "value",
            type: "quantitative",
            scale: { scheme: DIVERGING_SCHEME, domain: [-m, m], domainMid: 0 },
            title: "coordinate",
            legend: { orient: "right", gradientLength: 160 },
          },
          tooltip: [
            { field: "segment", title: "Segment" },
            { field: "component", title: "Component" },
            { field: "value", title: "Centre", format: "+.3f" },
          ],
        },
      },
      {
        mark: { type: "text", fontSize: 12 },
        encoding: {
          text: { field: "value", format: "+.2f" },
          color: { condition: { test: "datum.strong", value: "white" }, value: "#222" },
        },
      },
    ],
  };
}
