/**
 * The k sweep (`--clusters auto` or a range): inertia (the elbow), Calinski–Harabasz (higher is better),
 * Davies–Bouldin (lower is better) and the silhouette (higher is better) for every k tried, one small panel
 * each, with the chosen k marked and the rule that chose it in the subtitle.
 * @module
 */
import type { TopLevelSpec } from "vega-lite";
import { CHART_CONFIG } from "./theme.js";

/** The sweep as summary.json stores it. */
export interface SweepInput {
  readonly rule: string;
  readonly chosen: number;
  readonly points: readonly {
    readonly k: number;
    readonly inertia: number;
    readonly calinskiHarabasz: number;
    readonly daviesBouldin: number;
    readonly silhouette: number;
  }[];
}

const PANELS = [
  ["inertia", "inertia (elbow)"],
  ["calinskiHarabasz", "Calinski–Harabasz (higher)"],
  ["daviesBouldin", "Davies–Bouldin (lower)"],
  ["silhouette", "silhouette (higher)"],
] as const;

/** @example kSweepSpec(summary.kSweep) */
export function kSweepSpec(sweep: SweepInput): TopLevelSpec {
  return {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    title: {
      text: "Choosing k",
      subtitle: `k = ${sweep.chosen}: ${sweep.rule}`,
    },
    config: CHART_CONFIG,
    data: { values: sweep.points.map((p) => ({ ...p })) },
    hconcat: PANELS.map(([field, title]) => ({
      width: 170,
      height: 140,
      layer: [
        {
          mark: { type: "line", point: true },
          encoding: {
            x: { field: "k", type: "ordinal", title: "k", axis: { labelAngle: 0 } },
            y: { field, type: "quantitative", title, scale: { zero: false } },
            tooltip: [
              { field: "k", title: "k" },
              { field, title, format: ".4~f" },
            ],
          },
        },
        {
          transform: [{ filter: `datum.k == ${sweep.chosen}` }],
          mark: { type: "rule", color: "#c0392b", strokeDash: [4, 3] },
          encoding: { x: { field: "k", type: "ordinal" } },
        },
      ],
    })),
  } as TopLevelSpec;
}
