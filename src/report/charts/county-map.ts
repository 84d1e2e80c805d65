/**
 * The US county choropleth of segments: us-atlas county shapes (TopoJSON, drawn with the albersUsa projection)
 * joined on the 5-digit FIPS code (String(CensusId).padStart(5, "0")), coloured by segment, state borders on
 * top, a legend naming every segment, and counties with no data (territories, dropped rows) in grey with
 * their own legend entry. Every shape carries its description (county, state, segment, what stands out) as its
 * SVG `aria-label`: screen readers read it, and report.html's own script shows it as the tooltip, so the page
 * needs no vega at all in the browser.
 * @module
 */
import type { TopLevelSpec } from "vega-lite";
import { CHART_CONFIG, NO_DATA_COLOUR, NO_DATA_LABEL } from "./theme.js";

/** One county as the map needs it. */
export interface MapCounty {
  /** 5-digit FIPS code, the us-atlas feature id. */
  readonly fips: string;
  readonly county: string;
  readonly state: string;
  readonly segment: string;
  readonly standsOut: string;
}

/** The segments in legend order, with their colours. */
export interface MapLegend {
  readonly labels: readonly string[];
  readonly colours: readonly string[];
}

/**
 * The FIPS code of a CensusId: zero-padded to 5 digits, the id us-atlas uses.
 * @example fipsCode(6019) // "06019"
 */
export function fipsCode(censusId: string | number): string {
  return String(censusId).padStart(5, "0");
}

/** Separates a description's "Name: value" fields; the report's tooltip script splits on it. */
export const DESCRIPTION_SEPARATOR = "; ";

/**
 * A shape's description, as a Vega expression: "County: Fresno; State: California; Segment: …; Stands out: …",
 * or only its name and "Segment: No data" where the table has no row for it.
 */
function describe(states: boolean): string {
  const sep = JSON.stringify(DESCRIPTION_SEPARATOR);
  const name = states ? `"State: " + datum.state` : `"County: " + datum.county`;
  const known = `${name} + ${states ? "" : `${sep} + "State: " + datum.state + `}${sep} + "Segment: " + datum.segment + ${sep} + "Stands out: " + datum.standsOut`;
  return `datum.segment === ${JSON.stringify(NO_DATA_LABEL)} ? ${name} + ${sep} + "Segment: " + datum.segment : ${known}`;
}

/**
 * The choropleth spec (data inline: the topology object and the county rows).
 * @param topology us-atlas counties-10m.json, parsed.
 * @example countyMapSpec(topology, counties, { labels, colours })
 */
export function countyMapSpec(
  topology: object,
  counties: readonly MapCounty[],
  legend: MapLegend,
  options: { width?: number; height?: number; level?: "county" | "state" } = {},
): TopLevelSpec {
  const states = options.level === "state";
  const shapes = states ? "states" : "counties";
  return {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    title: {
      text: "Segments across the United States",
      subtitle: `${states ? "State" : "County"} segments (K-Means on the kept components)`,
    },
    config: CHART_CONFIG,
    width: options.width ?? 1000,
    height: options.height ?? 620,
    projection: { type: "identity", reflectY: false },
    layer: [
      {
        name: "counties",
        data: { values: topology, format: { type: "topojson", feature: shapes } },
        transform: [
          {
            lookup: "id",
            from: {
              data: { values: [...counties] },
              key: "fips",
              fields: [...(states ? [] : ["state"]), "segment", "standsOut"],
            },
            default: NO_DATA_LABEL,
          },
          { calculate: "datum.properties.name", as: states ? "state" : "county" },
          { calculate: describe(states), as: "description" },
        ],
        mark: { type: "geoshape", stroke: "white", strokeWidth: 0.2 },
        encoding: {
          color: {
            field: "segment",
            type: "nominal",
            scale: { domain: [...legend.labels, NO_DATA_LABEL], range: [...legend.colours, NO_DATA_COLOUR] },
            title: "Segment",
            legend: {
              orient: "bottom",
              columns: 2,
              labelLimit: 0,
              symbolType: "square",
              symbolSize: 140,
              columnPadding: 24,
            },
          },
          description: { field: "description" },
        },
      },
      ...(states
        ? []
        : [
            {
              name: "states",
              data: { values: topology, format: { type: "topojson" as const, mesh: "states" } },
              mark: {
                type: "geoshape" as const,
                fill: null,
                stroke: "#3b3b3b",
                strokeWidth: 0.6,
                aria: false,
              },
            },
          ]),
    ],
  };
}
