/**
 * The scree plot for choosing the number of components: the share of variance each component explains (bars,
 * the kept ones dark) and the cumulative share (line), with a rule after the chosen number labelled with the
 * share it keeps.
 * @module
 */
import type { TopLevelSpec } from "vega-lite";
import { CHART_CONFIG } from "./theme.js";

/** One component's point on the scree plot. */
export interface ScreePoint {
  readonly component: number;
  readonly ratio: number;
  readonly cumulative: number;
  readonly status: "kept" | "not kept";
}

/** Per-component and cumulative explained variance, components numbered from 1. */
export function screePoints(ratios: readonly number[], kept: number): ScreePoint[] {
  let cumulative = 0;
  return ratios.map((ratio, i) => {
    cumulative += ratio;
    return { component: i + 1, ratio, cumulative, status: i < kept ? "kept" : "not kept" };
  });
}

/**
 * The scree plot.
 * @param ratios explained variance ratio per component, largest first.
 * @param kept the number of components kept for clustering (marked).
 * @example screeSpec(summary.pca.explainedVarianceRatio, summary.pca.kept)
 */
export function screeSpec(ratios: readonly number[], kept: number): TopLevelSpec {
  const points = screePoints(ratios, kept);
  const keptShare = points[kept - 1]?.cumulative ?? 0;
  const width = 680;
  const x = {
    field: "component",
    type: "quantitative" as const,
    title: "component",
    scale: { domain: [0.5, ratios.length + 0.5], nice: false, zero: false },
    axis: { tickMinStep: 1, format: "d" },
  };
  return {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    title: {
      text: "Choosing components",
      subtitle: `The top ${kept} components explain ${(100 * keptShare).toFixed(1)}% of the variance`,
    },
    config: CHART_CONFIG,
    width,
    height: 260,
    data: { values: points },
    layer: [
      {
        mark: { type: "bar", size: Math.max(2, (0.75 * width) / Math.max(1, ratios.length)) },
        encoding: {
          x,
          y: {
            field: "ratio",
            type: "quantitative",
            title: "share of variance",
            axis: { format: "%" },
            scale: { domain: [0, 1] },
          },
          color: {
            field: "status",
            type: "nominal",
            scale: { domain: ["kept", "not kept"], range: ["#4e79a7", "#c5d3e3"] },
            title: null,
            legend: { orient: "top-right" },
          },
          tooltip: [
            { field: "component", title: "Component" },
            { field: "ratio", title: "Explained", format: ".2%" },
            { field: "cumulative", title: "Cumulative", format: ".2%" },
          ],
        },
      },
      {
        mark: { type: "line", color: "#e15759", point: { color: "#e15759", size: 24 } },
        encoding: { x, y: { field: "cumulative", type: "quantitative" } },
      },
      {
        data: {
          values: [{ at: kept + 0.5, label: `${kept} kept: ${(100 * keptShare).toFixed(1)}% cumulative` }],
        },
        layer: [
          {
            mark: { type: "rule", strokeDash: [4, 3], color: "#333" },
            encoding: { x: { field: "at", type: "quantitative" } },
          },
          {
            mark: {
              type: "text",
              align: "left",
              dx: 6,
              dy: 8,
              y: 0,
              fontSize: 12,
              fontWeight: "bold",
              color: "#333",
            },
            encoding: { x: { field: "at", type: "quantitative" }, text: { field: "label" } },
          },
        ],
      },
    ],
  };
}
