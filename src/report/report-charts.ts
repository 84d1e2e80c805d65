/**
 * The report's charts, in reading order: which spec function draws each, from the report model, and the map,
 * drawn without Vega (charts/county-map.ts). Each chart has a file name (charts/<name>.svg and .png) and the
 * section of report.html it belongs to.
 * @module
 */
import type { TopLevelSpec } from "vega-lite";
import { centroidHeatmapSpec } from "./charts/centroid-heatmap.js";
import { clusterSizesSpec } from "./charts/cluster-sizes.js";
import { componentMakeupSpec } from "./charts/component-makeup.js";
import { countyMapSvg, type MapCounty, type MapLegend, type MapShapes } from "./charts/county-map.js";
import { describeTableSvg } from "./charts/describe-table.js";
import { histogramsSpec } from "./charts/histograms.js";
import { kSweepSpec } from "./charts/k-sweep.js";
import { screeSpec } from "./charts/scree.js";
import { segmentCentresSpec } from "./charts/segment-centres.js";
import type { ReportModel } from "./report-model.js";

/** A chart of the report. */
export type ReportChart =
  | {
      /** File stem under charts/. */
      readonly name: string;
      /** A Vega-Lite chart, rendered by render.ts. */
      readonly spec: TopLevelSpec;
    }
  | {
      readonly name: string;
      /** A chart Strata draws itself (the describe tables; the map is mapSvg's). */
      readonly svg: string;
    };

/** What the map needs besides the shapes: its places, its legend and whether it shows counties or states. */
export interface MapInputs {
  readonly counties: readonly MapCounty[];
  readonly legend: MapLegend;
  readonly level: "county" | "state";
}

/** The map's inputs, or undefined when no column places the rows on a US map. */
export function mapInputs(model: ReportModel): MapInputs | undefined {
  const geography = model.summary.geography;
  // Rows whose geography value is blank or unknown are left off the map (their places show as no data).
  const placed = model.counties.filter((c) => c.fips !== undefined);
  if (geography === null || placed.length === 0) return undefined;
  return {
    counties: placed.map((c) => ({
      fips: c.fips!,
      county: c.county,
      state: c.state,
      segment: model.segmentLabels[c.cluster]!,
      standsOut: c.standsOut,
    })),
    legend: { labels: model.segmentLabels, colours: model.segmentColours },
    level: geography.level,
  };
}

/** The map (counties or states) on us-atlas' topology, as an SVG document. */
export function mapSvg(shapes: MapShapes, inputs: MapInputs): string {
  return countyMapSvg(shapes, inputs.counties, inputs.legend, { level: inputs.level });
}

/** The map's file stem. */
export const MAP_CHART = "county-map";

/** Every chart of the report but the map (mapChart), in reading order. */
export function reportCharts(model: ReportModel): ReportChart[] {
  const s = model.summary;
  const charts: ReportChart[] = [
    { name: "histograms", spec: histogramsSpec(s.histograms, s.report.histFeatures, s.entity) },
    { name: "describe-raw", svg: describeTableSvg(s.describe.raw, { title: "Raw features" }) },
    {
      name: "describe-scaled",
      svg: describeTableSvg(s.describe.scaled, {
        title: "Scaled features (min-max to [0, 1])",
        scaled: true,
      }),
    },
    { name: "scree", spec: screeSpec(s.pca.explainedVarianceRatio, s.pca.kept) },
    {
      name: "component-makeup",
      spec: componentMakeupSpec(
        s.pca.components.map((c, i) => ({ label: model.componentLabels[i]!, top: c.top })),
      ),
    },
    {
      name: "cluster-sizes",
      spec: clusterSizesSpec(
        s.segments.map((g, i) => ({
          label: model.segmentLabels[i]!,
          size: g.size,
          colour: model.segmentColours[i]!,
        })),
        s.entity,
      ),
    },
    {
      name: "centroid-heatmap",
      spec: centroidHeatmapSpec(s.kmeans.centroids, model.segmentLabels, model.componentLabels, s.entity),
    },
    {
      name: "segment-centres",
      spec: segmentCentresSpec({
        features: s.features,
        medians: model.medians,
        segmentLabels: model.segmentLabels,
        nationalMedian: s.nationalMedian,
        nationalStd: model.nationalStd,
        medianLabel: s.entity.area === null ? "Overall median" : `${s.entity.area} median`,
      }),
    },
  ];
  if (s.kSweep !== null) charts.push({ name: "k-sweep", spec: kSweepSpec(s.kSweep) });
  return charts;
}
