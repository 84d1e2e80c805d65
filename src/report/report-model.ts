/**
 * Everything the charts and the HTML show, derived once from summary.json and the county rows: the labels and
 * colours of segments and components, each segment's centre in original units, and for each county its
 * segment, map key (FIPS) and the features it stands out on (estimated from its coordinates on the kept
 * components, mapped back to original units, against the national median).
 * @module
 */
import { referenceWord, STATE_NAMES } from "../explain/entity.js";
import { formatFeatureValue } from "../explain/feature-info.js";
import { type BackMapping, toOriginalUnits, unscaleRange } from "../explain/segment-centres.js";
import { notableFeatures } from "../explain/segment-names.js";
import type { Summary } from "../explain/summary-document.js";
import { fipsCode } from "./charts/county-map.js";
import { componentLabel, segmentColour, segmentLabel } from "./charts/theme.js";
import type { CountyRow } from "./report-input.js";

/** One county, ready for the map, the tables and the search box. */
export interface ReportCounty {
  readonly label: string;
  readonly state: string;
  readonly county: string;
  /** 5-digit FIPS code, when the table has a CensusId. */
  readonly fips: string | undefined;
  readonly cluster: number;
  readonly distance: number;
  readonly comps: readonly number[];
  /** "high Hispanic ≈ 47%, low White ≈ 40%, …" */
  readonly standsOut: string;
}

/** The derived view of a run. */
export interface ReportModel {
  readonly summary: Summary;
  readonly mapping: BackMapping;
  readonly segmentLabels: string[];
  readonly segmentColours: string[];
  readonly componentLabels: string[];
  /** k × features: each segment's members' median, original units. */
  readonly medians: number[][];
  readonly nationalStd: number[];
  readonly counties: ReportCounty[];
  /**
   * The rows the page lists and searches: every row up to SEARCH_ROWS, else each segment's TABLE_ROWS most
   * typical ones (closest to the centre), in segment order. Only these carry a "stands out" line.
   */
  readonly shown: ReportCounty[];
}

/**
 * The report stays a quick page at any size: up to LIST_ALL_ROWS rows (the census's 3,218) a segment's table
 * lists every member; above, its TABLE_ROWS most typical (closest to the centre). The page's search data
 * holds every row up to SEARCH_ROWS, else the listed ones. The full assignment of every row is
 * assignments.csv.
 */
export const LIST_ALL_ROWS = 5_000;
export const TABLE_ROWS = 100;
export const SEARCH_ROWS = 20_000;

/** How many of a segment's members its table lists. */
export function listedRows(m: ReportModel): number {
  return m.counties.length <= LIST_ALL_ROWS ? Number.POSITIVE_INFINITY : TABLE_ROWS;
}

/** See {@link ReportModel.shown}. */
function shownOf<T extends { cluster: number; distance: number }>(
  counties: T[],
  segments: readonly { id: number }[],
): T[] {
  if (counties.length <= SEARCH_ROWS) return counties;
  const bySegment = new Map<number, T[]>(segments.map((g) => [g.id, []]));
  for (const c of counties) bySegment.get(c.cluster)?.push(c);
  return segments.flatMap((g) =>
    bySegment
      .get(g.id)!
      .sort((a, b) => a.distance - b.distance)
      .slice(0, TABLE_ROWS),
  );
}

/** How many features a county's "stands out" line names. */
const STANDS_OUT = 3;

/**
 * Derives the report's model from a summary and the county rows.
 * @example buildReportModel(summary, parseAssignments(csv)).segmentLabels[0] // "0 · High Income, low Poverty"
 */
export function buildReportModel(summary: Summary, rows: readonly CountyRow[]): ReportModel {
  const mapping: BackMapping = {
    loadings: summary.pca.loadings,
    mean: summary.pca.mean,
    ...unscaleRange(summary.scaler),
    transforms: summary.transforms,
  };
  const features = summary.features;
  const median = summary.nationalMedian;
  const std = summary.describe.raw.stats.std.map((v) => v ?? 0);
  // Estimates are shown within the observed range of each feature (describe's min and max).
  const lo = summary.describe.raw.stats.min;
  const hi = summary.describe.raw.stats.max;
  const clamp = (v: number, j: number) => Math.min(hi[j] ?? v, Math.max(lo[j] ?? v, v));
  const standsOutOf = (comps: readonly number[]): string => {
    const values = toOriginalUnits(comps, mapping).map(clamp);
    const line = notableFeatures(features, values, median, std, STANDS_OUT)
      .map(
        (d) =>
          `${d.sds > 0 ? "high" : "low"} ${d.feature} ≈ ${formatFeatureValue(d.feature, values[d.index])}`,
      )
      .join(", ");
    return line || `close to the ${referenceWord(summary.entity)} median`;
  };
  const counties = rows.map((r) => ({
    label: r.label,
    state: r.ids["State"] ?? "",
    county: r.ids["County"] ?? r.label,
    fips: mapId(summary.geography, r),
    cluster: r.cluster,
    distance: r.distance,
    comps: r.comps,
    standsOut: "",
  }));
  // Only the rows the page shows get their (back-mapped, so costly) "stands out" line.
  const shown = shownOf(counties, summary.segments);
  for (const c of shown) c.standsOut = standsOutOf(c.comps);
  return {
    summary,
    mapping,
    segmentLabels: summary.segments.map((s) => segmentLabel(s.id, s.name)),
    segmentColours: summary.segments.map((s) => segmentColour(s.id)),
    componentLabels: summary.pca.components.map((c, i) => componentLabel(i, c.name)),
    medians: summary.segments.map((s) => s.profile.median),
    nationalStd: std,
    counties,
    shown,
  };
}

/**
 * The us-atlas id a row is drawn with: its county's 5-digit FIPS code, or its state's 2-digit one (from a
 * name, a postal code or a number); undefined when the table has no geography or the value is not one.
 */
function mapId(geography: Summary["geography"], row: CountyRow): string | undefined {
  if (geography === null) return undefined;
  const value = row.ids[geography.column]?.trim();
  if (value === undefined || value === "") return undefined;
  if (geography.level === "county") return fipsCode(String(Math.round(Number(value))));
  const fips =
    STATE_NAMES.get(value.toLowerCase()) ?? (/^\d+(\.0)?$/.test(value) ? Number(value) : undefined);
  return fips === undefined ? undefined : String(fips).padStart(2, "0");
}
