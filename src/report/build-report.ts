/**
 * Builds the report of a run into its out dir: charts/<name>.svg for every chart (and .png when asked: `--png`),
 * and report.html.
 *
 *   summary.json + assignments.csv ──model──▶ labels, colours, centres, counties
 *     ──specs──▶ Vega-Lite per chart ──vega View──▶ SVG ──resvg (thread pool)──▶ PNG
 *     ──page──▶ report.html (inline SVGs, the page's data and its own small script)
 *
 * `strata run` calls it with the summary it has just built; `strata report` with the files read back. Every
 * file is written atomically. Returns what it wrote and how long each part took.
 * @module
 */
import { mkdir } from "node:fs/promises";
import { join, resolve } from "node:path";
import { writeFileAtomic } from "../data/sources/atomic-file.js";
import { StrataError } from "../errors.js";
import type { Summary } from "../explain/summary-document.js";
import { type Logger, silentLogger } from "../util/logger.js";
import { countyMapShapes } from "./assets.js";
import { renderSvg } from "./render.js";
import { MAP_CHART, mapInputs, mapSvg, reportCharts } from "./report-charts.js";
import { reportHtml } from "./report-html.js";
import type { CountyRow } from "./report-input.js";
import { buildReportModel } from "./report-model.js";
import { prefixSvgIds } from "./svg-text.js";

/** Options of {@link buildReport}. */
export interface BuildReportOptions {
  readonly logger?: Logger;
  /**
   * Also write charts/<name>.png (default false). Rasterising every chart with resvg cost the census run about
   * 0.65 s of its 2.3 s (measured spawn to exit: 2.25–2.39 s with PNGs, 1.56–1.71 s without), for files
   * report.html does not use (it inlines the SVGs); they are for slides and documents.
   */
  readonly png?: boolean;
  /** PNG pixels per SVG unit (default 2). */
  readonly pngZoom?: number;
}

/** What {@link buildReport} wrote. */
export interface BuiltReport {
  /** Absolute path of report.html. */
  readonly file: string;
  /** Absolute paths of the chart files (SVG, and PNG when asked). */
  readonly charts: string[];
  /** Wall time: the whole build, and the SVG rendering inside it. */
  readonly elapsedMs: number;
  readonly svgMs: number;
}

/**
 * Renders every chart and writes charts/ and report.html into `outDir`.
 * @throws OUTPUT_NOT_WRITABLE when the out dir cannot be written.
 * @example const { file } = await buildReport("strata-out", summary, parseAssignments(csv));
 */
export async function buildReport(
  outDir: string,
  summary: Summary,
  rows: readonly CountyRow[],
  options: BuildReportOptions = {},
): Promise<BuiltReport> {
  const started = performance.now();
  const logger = options.logger ?? silentLogger;
  const dir = resolve(outDir);
  const chartsDir = join(dir, "charts");
  try {
    await mkdir(chartsDir, { recursive: true });
  } catch (cause) {
    throw new StrataError(
      "OUTPUT_NOT_WRITABLE",
      `Could not create ${chartsDir}: ${(cause as Error).message}.`,
      {
        details: { path: chartsDir },
        cause,
      },
    );
  }
  const model = buildReportModel(summary, rows);
  const t = performance.now();
  const drawn = new Map<string, string>();
  for (const chart of reportCharts(model))
    drawn.set(chart.name, "svg" in chart ? chart.svg : await renderSvg(chart.spec, logger));
  // The map's shapes are loaded when any row has a place on it (rows without one are left off the map).
  const map = mapInputs(model);
  if (map !== undefined) drawn.set(MAP_CHART, mapSvg(await countyMapShapes(), map));
  const svgMs = performance.now() - t;
  const rasterise = options.png === true ? (await import("./rasterise.js")).renderPngAsync : undefined;

  const svgs: Record<string, string> = {};
  const writes: Promise<void>[] = [];
  const files: string[] = [];
  for (const [name, svg] of drawn) {
    svgs[name] = prefixSvgIds(svg, name);
    const svgPath = join(chartsDir, `${name}.svg`);
    files.push(svgPath);
    writes.push(writeFileAtomic(svgPath, svg));
    if (rasterise !== undefined) {
      const pngPath = join(chartsDir, `${name}.png`);
      files.push(pngPath);
      writes.push(
        rasterise(svg, { zoom: options.pngZoom ?? 2 }).then((png) => writeFileAtomic(pngPath, png)),
      );
    }
  }
  const file = join(dir, "report.html");
  const html = reportHtml(model, { svgs });
  writes.push(writeFileAtomic(file, html));
  await Promise.all(writes);
  return { file, charts: files, elapsedMs: performance.now() - started, svgMs };
}
