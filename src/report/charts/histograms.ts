/**
 * Histograms of chosen raw features (the notebook shows Professional, Service and Office), one panel each,
 * from the bins summary.json stores. Pure: data in, Vega-Lite spec out.
 * @module
 */
import type { TopLevelSpec } from "vega-lite";
import { featureInfo } from "../../explain/feature-info.js";
import type { Histogram } from "../../explain/histogram.js";
import { CHART_CONFIG, COUNTY_WORDS, capitalize, type RowWords } from "./theme.js";

/** One bar of one histogram. */
export interface HistogramBar {
  readonly feature: string;
  readonly start: number;
  readonly end: number;
  readonly count: number;
}

/** The bars of the chosen features' histograms, feature by feature. */
export function histogramBars(
  histograms: Record<string, Histogram>,
  features: readonly string[],
): HistogramBar[] {
  return features.flatMap((feature) => {
    const h = histograms[feature];
    if (!h) return [];
    return h.counts.map((count, i) => ({
      feature,
      start: h.start + i * h.step,
      end: h.start + (i + 1) * h.step,
      count,
    }));
  });
}

const UNIT_TITLES = {
  people: "people",
  dollars: "dollars",
  percent: "percent",
  minutes: "minutes",
  number: "value",
};

/**
 * A row of histograms, one per feature, each with its own x and y scale.
 * @example histogramsSpec(summary.histograms, ["Professional", "Service", "Office"])
 */
export function histogramsSpec(
  histograms: Record<string, Histogram>,
  features: readonly string[],
  words: RowWords = COUNTY_WORDS,
): TopLevelSpec {
  const bars = histogramBars(histograms, features);
  const units = features.map((f) => UNIT_TITLES[featureInfo(f).unit]);
  return {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    title: {
      text: "Distributions",
      subtitle: `${capitalize(words.many)} by ${features.join(", ")} (${[...new Set(units)].join(", ")})`,
    },
    config: CHART_CONFIG,
    data: { values: bars },
    columns: Math.min(3, features.length),
    concat: features.map((feature) => ({
      title: { text: feature, anchor: "middle" as const, fontSize: 12 },
      width: 250,
      height: 150,
      transform: [{ filter: { field: "feature", equal: feature } }],
      mark: { type: "bar" as const, color: "#4e79a7", stroke: "white", strokeWidth: 0.5 },
      encoding: {
        x: { field: "start", type: "quantitative" as const, bin: { binned: true }, title: null },
        x2: { field: "end" },
        y: { field: "count", type: "quantitative" as const, title: words.many, axis: { labelFlush: true } },
        tooltip: [
          { field: "feature", title: "Feature" },
          { field: "start", title: "From", format: ",.4~g" },
          { field: "end", title: "To", format: ",.4~g" },
          { field: "count", title: capitalize(words.many) },
        ],
      },
    })),
    resolve: { scale: { x: "independent", y: "independent" } },
  };
}
