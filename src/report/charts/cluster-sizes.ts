/**
 * Cluster sizes: how many counties fall in each segment, one bar per segment in its map colour, labelled with
 * the count.
 * @module
 */
import type { TopLevelSpec } from "vega-lite";
import { groupDigits } from "../../util/group-digits.js";
import { CHART_CONFIG, COUNTY_WORDS, capitalize, type RowWords } from "./theme.js";

/** A segment as the chart needs it. */
export interface SegmentSize {
  readonly label: string;
  readonly size: number;
  readonly colour: string;
}

/**
 * Horizontal bars of segment sizes.
 * @example clusterSizesSpec(segments.map((s) => ({ label: s.label, size: s.size, colour: s.colour })))
 */
export function clusterSizesSpec(
  segments: readonly SegmentSize[],
  words: RowWords = COUNTY_WORDS,
): TopLevelSpec {
  const total = segments.reduce((a, s) => a + s.size, 0);
  return {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    title: {
      text: "Cluster sizes",
      subtitle: `${groupDigits(total)} ${total === 1 ? words.one : words.many} in ${segments.length} segments`,
    },
    config: CHART_CONFIG,
    width: 520,
    height: { step: 26 },
    data: { values: segments.map((s) => ({ ...s, share: total ? s.size / total : 0 })) },
    encoding: {
      y: {
        field: "label",
        type: "nominal",
        sort: segments.map((s) => s.label),
        title: null,
        axis: { labelLimit: 0 },
      },
      x: { field: "size", type: "quantitative", title: words.many },
    },
    layer: [
      {
        mark: { type: "bar" },
        encoding: {
          color: {
            field: "label",
            type: "nominal",
            scale: { domain: segments.map((s) => s.label), range: segments.map((s) => s.colour) },
            legend: null,
          },
          tooltip: [
            { field: "label", title: "Segment" },
            { field: "size", title: capitalize(words.many) },
            { field: "share", title: "Share", format: ".1%" },
          ],
        },
      },
      { mark: { type: "text", align: "left", dx: 4, fontSize: 11 }, encoding: { text: { field: "size" } } },
    ],
  };
}
