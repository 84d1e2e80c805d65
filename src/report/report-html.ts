/**
 * report.html: one self-contained file. Styles, the charts (inline SVG, so the page reads without scripts),
 * the page's data and its own small script are all inlined; a Content-Security-Policy forbids any request (no
 * CDN, no network). With scripts the map shows tooltips, the county tables sort, and the search box finds
 * counties.
 *
 * The page used to inline the vega, vega-lite and vega-embed builds and the county topology (6.7 MB) to redraw
 * the map in the browser only for its tooltips; the map's shapes now carry their own descriptions, and the
 * page is a fifth of the size and opens without compiling any chart.
 * @module
 */

import { escapeMarkup } from "../util/escape-markup.js";
import { CLIENT_SCRIPT } from "./client-script.js";
import { int, jsonForScript, pct } from "./html.js";

import type { ReportModel } from "./report-model.js";
import { type ChartSvgs, renderSections, SECTIONS } from "./report-sections.js";
import { REPORT_CSS } from "./report-styles.js";

/** What the page needs beyond the model. */
export interface ReportPageInputs {
  readonly svgs: ChartSvgs;
}

/** No request may leave the page: everything is inline, and no script is compiled from strings. */
export const REPORT_CSP =
  "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:; font-src data:";

/** The page's data for the client script: compact county rows (label, segment, coordinates, stands out). */
export function clientData(m: ReportModel): unknown {
  return {
    segments: m.segmentLabels,
    colours: m.segmentColours,
    counties: m.shown.map((c) => ({
      l: c.label,
      g: c.cluster,
      z: c.comps.map((v) => Math.round(v * 1e5) / 1e5),
      o: c.standsOut,
    })),
    entity: m.summary.entity.one,
  };
}

function header(m: ReportModel): string {
  const s = m.summary;
  const figure = (value: string, label: string) =>
    `<div class="figure"><b>${escapeMarkup(value)}</b><span>${escapeMarkup(label)}</span></div>`;
  return `<header class="top"><div class="wrap">
<h1>Population segmentation report</h1>
<p>${escapeMarkup(s.source)} · the SageMaker census workflow (min-max scaling, PCA, K-Means), run by Strata</p>
<div class="figures">
${figure(int(s.rows.used), `${s.entity.many} segmented`)}
${figure(String(s.features.length), "features")}
${figure(`${s.pca.kept} of ${s.pca.numComponents}`, `components kept (${pct(s.pca.keptExplainedVariance)} of variance)`)}
${figure(String(s.kmeans.k), "segments (K-Means)")}
${figure(s.kmeans.silhouette.toFixed(3), "silhouette")}
</div>
</div></header>
<nav class="sections" aria-label="Sections"><div class="wrap">${SECTIONS.map((d) => `<a href="#${d.id}">${escapeMarkup(d.title)}</a>`).join("")}</div></nav>`;
}

/**
 * The whole page.
 * @example await writeFile("report.html", reportHtml(model, { svgs }));
 */
export function reportHtml(m: ReportModel, inputs: ReportPageInputs): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${REPORT_CSP}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Strata segmentation report</title>
<link rel="icon" href="data:,">
<style>${REPORT_CSS}</style>
</head>
<body>
${header(m)}
<main>
${renderSections(m, inputs.svgs)}
</main>
<footer><div class="wrap">Made by Strata ${escapeMarkup(m.summary.strataVersion)} from summary.json and assignments.csv; rebuild with <code>strata report &lt;out-dir&gt;</code>. Charts: Vega-Lite. Map: us-atlas (U.S. Census Bureau cartographic boundaries).</div></footer>
<script type="application/json" id="report-data">${jsonForScript(clientData(m))}</script>
<script>${CLIENT_SCRIPT}</script>
</body>
</html>
`;
}
