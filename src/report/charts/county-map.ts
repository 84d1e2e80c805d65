/**
 * The US choropleth of segments, drawn straight to SVG from us-atlas' TopoJSON (pre-projected to Albers USA,
 * so the coordinates are the picture's): counties (or states) joined on their FIPS code
 * (String(CensusId).padStart(5, "0")), coloured by segment, state borders on top, a title, and a legend
 * naming every segment and the places with no data (territories, dropped rows), which are grey.
 *
 * Every shape carries its description as its `aria-label` ("County: Fresno; State: California; Segment: …;
 * Stands out: …"): screen readers read it, and report.html's own script shows it as the tooltip.
 *
 * Why not Vega-Lite, as every other chart: the map is 3,142 shapes from a topology that never changes, and
 * going through vega (compile, parse, a dataflow of topojson features, a lookup, d3-geo's path stream) cost
 * about 190 ms of the census run; decoding the arcs once and writing the paths costs a tenth of that.
 * @module
 */
import { escapeMarkup } from "../../util/escape-markup.js";
import { dejaVuAdvances, measureText } from "../font-metrics.js";
import { FONT_DIR } from "../fonts.js";
import { NO_DATA_COLOUR, NO_DATA_LABEL, svgText } from "./theme.js";

/** One county (or state) as the map needs it. */
export interface MapCounty {
  /** The us-atlas feature id: a 5-digit county FIPS code, or a 2-digit state one. */
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

/** The part of a us-atlas topology the map reads. */
interface Topology {
  readonly transform?: { readonly scale: [number, number]; readonly translate: [number, number] };
  readonly arcs: readonly (readonly (readonly [number, number])[])[];
  readonly objects: Readonly<Record<string, { readonly geometries: readonly Geometry[] }>>;
}

interface Geometry {
  readonly type: string;
  readonly id?: string;
  readonly properties?: { readonly name?: string };
  readonly arcs?: readonly (readonly number[])[] | readonly (readonly (readonly number[])[])[];
}

/** Separates a description's "Name: value" fields; the report's tooltip script splits on it. */
export const DESCRIPTION_SEPARATOR = "; ";

/** Layout, in px: the topology's extent is 975 × 610. */
const MAP = { left: 8, top: 52, width: 980, height: 612 } as const;
const TITLE = { size: 15, subtitleSize: 12, subtitleColour: "#555" } as const;
const LEGEND = { titleSize: 12, labelSize: 11, symbol: 12, row: 18, gap: 24, columns: 2 } as const;

/** A topology's arcs as path text: each without its first point, forward and reversed, and its two ends. */
interface ArcPaths {
  readonly forward: string[];
  readonly backward: string[];
  /** Each arc's first and last point. */
  readonly ends: [string, string][];
}

/** A number with one decimal: the map's precision (a tenth of a pixel). */
function coordinate(v: number): string {
  return String(Math.round(v * 10) / 10);
}

/** The arcs as "x,yLx,y…" strings without their first point (rings join arcs end to start). */
function arcPaths(topology: Topology): ArcPaths {
  const [sx, sy] = topology.transform?.scale ?? [1, 1];
  const [tx, ty] = topology.transform?.translate ?? [0, 0];
  const forward: string[] = [];
  const backward: string[] = [];
  const ends: [string, string][] = [];
  for (const arc of topology.arcs) {
    const points: string[] = [];
    let x = 0;
    let y = 0;
    for (const [dx, dy] of arc) {
      // Quantized topologies store each point as a delta from the previous one.
      x = topology.transform === undefined ? dx : x + dx;
      y = topology.transform === undefined ? dy : y + dy;
      points.push(`${coordinate(x * sx + tx)},${coordinate(y * sy + ty)}`);
    }
    ends.push([points[0]!, points[points.length - 1]!]);
    forward.push(points.slice(1).join("L"));
    backward.push(points.slice(0, -1).reverse().join("L"));
  }
  return { forward, backward, ends };
}

/** One ring (a list of arc indices; ~i is arc i reversed) as "M…Z". */
function ringPath(ring: readonly number[], arcs: ArcPaths): string {
  const first = ring[0]!;
  let d = `M${first >= 0 ? arcs.ends[first]![0] : arcs.ends[~first]![1]}`;
  for (const i of ring) d += `L${i >= 0 ? arcs.forward[i] : arcs.backward[~i]}`;
  return `${d}Z`;
}

/** A Polygon's or MultiPolygon's path. */
function geometryPath(g: Geometry, arcs: ArcPaths): string {
  if (g.type === "Polygon")
    return (g.arcs as readonly (readonly number[])[]).map((r) => ringPath(r, arcs)).join("");
  if (g.type === "MultiPolygon")
    return (g.arcs as readonly (readonly (readonly number[])[])[])
      .flatMap((polygon) => polygon.map((r) => ringPath(r, arcs)))
      .join("");
  return "";
}

/** Every arc the object's geometries use, once each: the borders between and around them. */
function meshPath(object: { readonly geometries: readonly Geometry[] }, arcs: ArcPaths): string {
  const used = new Set<number>();
  const visit = (a: unknown): void => {
    if (typeof a === "number") used.add(a < 0 ? ~a : a);
    else if (Array.isArray(a)) for (const x of a) visit(x);
  };
  for (const g of object.geometries) visit(g.arcs);
  return [...used].map((i) => `M${arcs.ends[i]![0]}L${arcs.forward[i]}`).join("");
}

/** One shape of the map: its us-atlas id (a FIPS code), its name and its SVG path. */
export interface MapShape {
  readonly id: string | undefined;
  readonly name: string;
  readonly d: string;
}

/**
 * What the map draws that never changes: every county's and state's path and the state borders. The topology
 * decoded into paths (the arcs' points as text): about 60 ms of a fresh process, so `npm run build` writes
 * them once (report/assets.ts, `writeMapShapesFile`) and a report reads them.
 */
export interface MapShapes {
  /** Changes with the format, so a file of another build is decoded again rather than misread. */
  readonly version: typeof MAP_SHAPES_VERSION;
  readonly counties: readonly MapShape[];
  readonly states: readonly MapShape[];
  /** Every arc of the states, once each. */
  readonly stateBorders: string;
}

export const MAP_SHAPES_VERSION = 1;

/**
 * The map's shapes from a us-atlas topology.
 * @param topology us-atlas counties-albers-10m.json, parsed.
 */
export function mapShapes(topology: object): MapShapes {
  const topo = topology as Topology;
  const arcs = arcPaths(topo);
  const shapes = (object: string): MapShape[] =>
    topo.objects[object]!.geometries.map((g) => ({
      id: g.id,
      name: g.properties?.name ?? g.id ?? "",
      d: geometryPath(g, arcs),
    }));
  return {
    version: MAP_SHAPES_VERSION,
    counties: shapes("counties"),
    states: shapes("states"),
    stateBorders: meshPath(topo.objects["states"]!, arcs),
  };
}

/** A shape's description: its name, state and segment, and what stands out, or "Segment: No data". */
function description(name: string, states: boolean, place: MapCounty | undefined): string {
  const fields = [states ? `State: ${name}` : `County: ${name}`];
  if (place === undefined) fields.push(`Segment: ${NO_DATA_LABEL}`);
  else {
    if (!states) fields.push(`State: ${place.state}`);
    fields.push(`Segment: ${place.segment}`, `Stands out: ${place.standsOut}`);
  }
  return fields.join(DESCRIPTION_SEPARATOR);
}

/**
 * The map as an SVG document.
 * @param shapes the map's shapes ({@link mapShapes} of us-atlas counties-albers-10m.json).
 * @example countyMapSvg(mapShapes(topology), counties, { labels, colours }, { level: "county" })
 */
export function countyMapSvg(
  shapes: MapShapes,
  counties: readonly MapCounty[],
  legend: MapLegend,
  options: { level?: "county" | "state" } = {},
): string {
  const states = options.level === "state";
  const byId = new Map(counties.map((c) => [c.fips, c]));
  const colourOf = new Map(legend.labels.map((label, i) => [label, legend.colours[i]!]));
  const paths = (states ? shapes.states : shapes.counties).map((shape) => {
    const place = shape.id === undefined ? undefined : byId.get(shape.id);
    const fill = place === undefined ? NO_DATA_COLOUR : (colourOf.get(place.segment) ?? NO_DATA_COLOUR);
    const label = escapeMarkup(description(shape.name, states, place));
    return `<path aria-label="${label}" role="graphics-symbol" aria-roledescription="geoshape" fill="${fill}" d="${shape.d}"/>`;
  });
  const borders = states
    ? ""
    : `<path aria-hidden="true" fill="none" stroke="#3b3b3b" stroke-width="0.6" d="${shapes.stateBorders}"/>`;

  // The legend: its title, then the segments and "No data" in rows of two columns, each column as wide as its
  // widest label.
  const items = [
    ...legend.labels.map((label, i) => [label, legend.colours[i]!] as const),
    [NO_DATA_LABEL, NO_DATA_COLOUR] as const,
  ];
  const { regular } = dejaVuAdvances(FONT_DIR);
  const widths = Array.from({ length: LEGEND.columns }, (_, c) =>
    Math.max(
      0,
      ...items
        .filter((_, i) => i % LEGEND.columns === c)
        .map(([label]) => measureText(regular, label, LEGEND.labelSize)),
    ),
  );
  const legendTop = MAP.top + MAP.height + 14;
  const entries = items.map(([label, colour], i) => {
    const column = i % LEGEND.columns;
    const x = MAP.left + widths.slice(0, column).reduce((a, w) => a + LEGEND.symbol + 6 + w + LEGEND.gap, 0);
    const y = legendTop + 22 + Math.floor(i / LEGEND.columns) * LEGEND.row;
    return `<rect x="${x}" y="${y - LEGEND.symbol + 2}" width="${LEGEND.symbol}" height="${LEGEND.symbol}" fill="${colour}"/>${svgText(x + LEGEND.symbol + 6, y, LEGEND.labelSize, label, ' fill="#333"')}`;
  });
  const rows = Math.ceil(items.length / LEGEND.columns);
  const height = legendTop + 22 + (rows - 1) * LEGEND.row + 12;
  const width = Math.max(
    MAP.left * 2 + MAP.width,
    MAP.left * 2 + widths.reduce((a, w) => a + LEGEND.symbol + 6 + w + LEGEND.gap, 0),
  );
  const title = "Segments across the United States";
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="graphics-document" aria-roledescription="map" aria-label="${title}">`,
    `<rect width="${width}" height="${height}" fill="white"/>`,
    svgText(MAP.left, 20, TITLE.size, title, ' font-weight="bold" fill="#000"'),
    svgText(
      MAP.left,
      38,
      TITLE.subtitleSize,
      `${states ? "State" : "County"} segments (K-Means on the kept components)`,
      ` fill="${TITLE.subtitleColour}"`,
    ),
    `<g transform="translate(${MAP.left},${MAP.top})">`,
    `<g class="counties_marks" role="graphics-object" aria-roledescription="${states ? "states" : "counties"}" stroke="white" stroke-width="0.2">${paths.join("")}</g>`,
    borders,
    "</g>",
    `<g class="legend" role="graphics-object" aria-roledescription="legend" aria-label="Segment legend">`,
    svgText(MAP.left, legendTop, LEGEND.titleSize, "Segment", ' font-weight="bold" fill="#000"'),
    ...entries,
    "</g>",
    "</svg>",
  ].join("\n");
}
