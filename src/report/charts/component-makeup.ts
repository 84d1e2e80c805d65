/**
 * Component makeup: the top 10 signed loadings of each kept component, one panel per component titled with its
 * name, bars coloured by sign. The notebook's "component makeup" bar charts, for every kept component at once.
 * @module
 */
import type { TopLevelSpec } from "vega-lite";
import { CHART_CONFIG } from "./theme.js";

/** A kept component as the chart needs it. */
export interface ComponentMakeup {
  readonly label: string;
  readonly top: readonly { feature: string; weight: number }[];
}

/** One bar: a feature's loading on a component. */
export interface LoadingBar {
  readonly component: string;
  readonly feature: string;
  readonly weight: number;
  readonly sign: "positive" | "negative";
}

/** The bars of every component, in component order. */
export function loadingBars(components: readonly ComponentMakeup[]): LoadingBar[] {
  return components.flatMap((c) =>
    c.top.map((t) => ({
      component: c.label,
      feature: t.feature,
      weight: t.weight,
      sign: t.weight >= 0 ? ("positive" as const) : ("negative" as const),
    })),
  );
}

/**
 * Panels of signed loadings, two per row.
 * @example componentMakeupSpec(summary.pca.components.map((c, i) => ({ label: componentLabel(i, c.name), top: c.top })))
 */
export function componentMakeupSpec(components: readonly ComponentMakeup[]): TopLevelSpec {
  const bars = loadingBars(components);
  // One symmetric domain for all panels, rounded up to 0.1, so bars compare across components.
  const extent = Math.ceil(10 * Math.max(0.1, ...bars.map((b) => Math.abs(b.weight)))) / 10;
  return {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    title: {
      text: "Component makeup",
      subtitle: "Top 10 loadings of each kept component (sign-fixed: the largest is positive)",
    },
    config: CHART_CONFIG,
    data: { values: bars },
    facet: {
      field: "component",
      type: "nominal",
      title: null,
      sort: components.map((c) => c.label),
      header: { labelLimit: 0, labelFontWeight: "bold", labelAnchor: "start" },
    },
    columns: 2,
    spec: {
      width: 330,
      height: { step: 15 },
      mark: { type: "bar" },
      encoding: {
        y: { field: "feature", type: "nominal", sort: { field: "weight", order: "descending" }, title: null },
        x: { field: "weight", type: "quantitative", title: "loading", scale: { domain: [-extent, extent] } },
        color: {
          field: "sign",
          type: "nominal",
          scale: { domain: ["positive", "negative"], range: ["#f28e2b", "#4e79a7"] },
          legend: { orient: "top", title: null },
        },
        tooltip: [
          { field: "component", title: "Component" },
          { field: "feature", title: "Feature" },
          { field: "weight", title: "Loading", format: "+.3f" },
        ],
      },
    },
    resolve: { scale: { y: "independent" } },
  };
}
