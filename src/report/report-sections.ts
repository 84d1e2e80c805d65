/**
 * The sections of report.html, in the order of the workflow: data, cleaning, scaling, PCA, choosing
 * components, clustering, segments, map, method and timings. Each is a function of the report model and the
 * rendered charts (inline SVG), so the page reads without scripts.
 * @module
 */

import { droppedSentence, indexPhrase, unusedSentence } from "../explain/cleaning-words.js";
import { countOf, referenceWord } from "../explain/entity.js";
import { formatFeatureValue } from "../explain/feature-info.js";
import { restartsNote, silhouetteSampleNote } from "../explain/summary-document.js";
import { cappedList } from "../util/capped-list.js";
import { escapeMarkup } from "../util/escape-markup.js";
import { chartFigure, htmlTable, int, pct } from "./html.js";

import { listedRows, type ReportCounty, type ReportModel } from "./report-model.js";

/** Rendered SVGs by chart name. */
export type ChartSvgs = Readonly<Record<string, string>>;

/** One section: its id (the anchor) and title (nav and heading). */
export interface SectionDef {
  readonly id: string;
  readonly title: string;
  readonly body: (m: ReportModel, svg: ChartSvgs) => string;
}

const section = (id: string, title: string, body: string) =>
  `<section id="${id}"><div class="wrap"><h2>${escapeMarkup(title)}</h2>\n${body}\n</div></section>`;

function data(m: ReportModel, svg: ChartSvgs): string {
  const s = m.summary;
  return `<p class="lead">${int(s.rows.loaded)} rows of ${s.features.length} numeric features from <code>${escapeMarkup(s.source)}</code>: ${escapeMarkup(s.features.join(", "))}.</p>
${chartFigure(svg["histograms"], "histograms")}
${chartFigure(svg["describe-raw"], "describe-raw")}`;
}

function cleaning(m: ReportModel): string {
  const s = m.summary;
  const how =
    s.rows.impute === null
      ? "Rows with a missing feature value are dropped, as the notebook's <code>dropna()</code>"
      : `Missing feature values are filled with each column's ${s.rows.impute}`;
  const unused = unusedSentence(s);
  return `<p class="lead">${how}: ${escapeMarkup(droppedSentence(s))}; ${int(s.rows.used)} used. Rows are ${escapeMarkup(indexPhrase(s))}; the identifier columns${s.columns.identifiers.length ? ` (${escapeMarkup(s.columns.identifiers.join(", "))})` : ""} are kept in assignments.csv but are not features.</p>${unused ? `\n<p class="lead">Not used as features: ${escapeMarkup(unused)}.</p>` : ""}`;
}

function scaling(m: ReportModel, svg: ChartSvgs): string {
  const scaler = m.summary.scaler;
  const how =
    scaler.kind === "standard"
      ? "standardised to mean 0 and standard deviation 1 (scikit-learn's StandardScaler), so counts, dollars and percentages weigh alike in the PCA. The scaler's mean and scale of each feature are kept in summary.json to map results back."
      : "min-max scaled to [0, 1] (scikit-learn's MinMaxScaler), so counts, dollars and percentages weigh alike in the PCA. The scaler's minimum and maximum of each feature are kept in summary.json to map results back.";
  const transformed = m.summary.features
    .map((f, j) => (m.summary.transforms[j] ? `${f} (${m.summary.transforms[j]})` : null))
    .filter((t) => t !== null);
  const first = transformed.length
    ? `Before scaling, ${escapeMarkup(cappedList(transformed))} ${transformed.length === 1 ? "is" : "are"} transformed, so a skewed count weighs by its order of magnitude; results are mapped back through the inverse. `
    : "";
  return `<p class="lead">${first}Every feature is ${how}</p>
${chartFigure(svg["describe-scaled"], "describe-scaled")}`;
}

function pca(m: ReportModel, svg: ChartSvgs): string {
  const s = m.summary;
  const rows = s.pca.components.map((c, i) => ({ c, i }));
  const table = htmlTable(rows, [
    { header: "component", text: (r) => `comp_${r.i + 1}` },
    { header: "name", text: (r) => r.c.name },
    {
      header: "explained",
      text: (r) => pct(s.pca.explainedVarianceRatio[r.i]!),
      value: (r) => s.pca.explainedVarianceRatio[r.i]!,
    },
    {
      header: "singular value",
      text: (r) => s.pca.singularValues[r.i]!.toFixed(4),
      value: (r) => s.pca.singularValues[r.i]!,
    },
  ]);
  return `<p class="lead">PCA of the scaled data computes ${s.pca.numComponents} components (SageMaker's <code>num_components</code>); each kept component is named after its strongest positive and negative loadings.</p>
${table}
${chartFigure(svg["component-makeup"], "component-makeup")}`;
}

function choosing(m: ReportModel, svg: ChartSvgs): string {
  const p = m.summary.pca;
  const rule = p.keptRule === null ? "" : ` (chosen as ${escapeMarkup(p.keptRule)})`;
  return `<p class="lead">The top ${p.kept} components are kept for clustering${rule}: they explain ${pct(p.keptExplainedVariance)} of the total variance (${pct(p.keptExplainedVarianceSageMaker)} of the ${p.numComponents} components' variance, the notebook's measure).</p>
${chartFigure(svg["scree"], "scree")}`;
}

function clustering(m: ReportModel, svg: ChartSvgs): string {
  const k = m.summary.kmeans;
  return `<p class="lead">K-Means with k = ${k.k} on the ${m.summary.pca.kept} kept components: inertia ${k.inertia.toFixed(4)}${escapeMarkup(restartsNote(k))} after ${k.iterations} iterations, silhouette ${k.silhouette.toFixed(3)}${escapeMarkup(silhouetteSampleNote(k))}, Calinski–Harabasz ${k.calinskiHarabasz.toFixed(1)}, Davies–Bouldin ${k.daviesBouldin.toFixed(3)}.</p>
${sweepText(m)}${chartFigure(svg["k-sweep"], "k-sweep")}
${chartFigure(svg["cluster-sizes"], "cluster-sizes")}
${chartFigure(svg["centroid-heatmap"], "centroid-heatmap")}`;
}

/** What the k sweep tried and chose, when there was one. */
function sweepText(m: ReportModel): string {
  const sweep = m.summary.kSweep;
  if (sweep === null) return "";
  const ks = sweep.points.map((p) => p.k);
  return `<p class="lead">k was chosen by a sweep over k = ${ks[0]}..${ks.at(-1)}: ${escapeMarkup(sweep.rule)} gives k = ${sweep.chosen}.</p>
`;
}

const countyColumns = (kept: number, one: string) => [
  { header: one, text: (c: ReportCounty) => c.label },
  {
    header: "distance to centre",
    text: (c: ReportCounty) => c.distance.toFixed(4),
    value: (c: ReportCounty) => c.distance,
  },
  ...Array.from({ length: kept }, (_, j) => ({
    header: `comp_${j + 1}`,
    text: (c: ReportCounty) => c.comps[j]!.toFixed(3),
    value: (c: ReportCounty) => c.comps[j]!,
  })),
  { header: "stands out (estimated)", text: (c: ReportCounty) => c.standsOut },
];

function segments(m: ReportModel, svg: ChartSvgs): string {
  const word = referenceWord(m.summary.entity);
  const s = m.summary;
  const cards = s.segments
    .map(
      (g, i) => `<div class="segment" style="border-left-color:${m.segmentColours[i]}" data-segment="${g.id}">
<h3><span class="swatch" style="background:${m.segmentColours[i]}"></span>${escapeMarkup(m.segmentLabels[i]!)}</h3>
<p>${escapeMarkup(g.description)}</p>${stabilityLine(m, g.id)}</div>`,
    )
    .join("\n");
  const tables = s.segments
    .map((g, i) => {
      const members = m.counties.filter((c) => c.cluster === g.id).sort((a, b) => a.distance - b.distance);
      const shown = members.slice(0, listedRows(m));
      const more =
        shown.length < members.length
          ? ` (the ${shown.length} most typical listed; every one is in assignments.csv)`
          : "";
      return `<details data-segment="${g.id}"><summary><span class="swatch" style="background:${m.segmentColours[i]}"></span>${escapeMarkup(m.segmentLabels[i]!)}: ${escapeMarkup(countOf(members.length, s.entity))}${escapeMarkup(weightShare(s, g.weight))}${more}</summary>
<div class="scroll">${htmlTable(shown, countyColumns(s.pca.kept, s.entity.one), { sortable: true })}</div></details>`;
    })
    .join("\n");
  const income = s.features.indexOf("Income");
  const richest =
    income < 0
      ? -1
      : m.medians.reduce((best, c, i) => (c[income]! > m.medians[best]![income]! ? i : best), 0);
  const note =
    richest >= 0
      ? ` The richest, ${m.segmentLabels[richest]}, has a median household income of ${formatFeatureValue("Income", m.medians[richest]![income])} among its ${s.entity.many}, against ${formatFeatureValue("Income", s.nationalMedian[income])} for the median ${s.entity.one}.`
      : "";
  const weighted = s.weight
    ? `<p class="lead">Weighted by ${escapeMarkup(s.weight.column)}: each ${escapeMarkup(s.entity.one)} counts as much as its ${escapeMarkup(s.weight.column)} in K-Means (sample weights) and in every median, mean and index below, so the ${word} median is the median over the total ${escapeMarkup(s.weight.column)}, not over ${escapeMarkup(s.entity.many)}.</p>\n`
    : "";
  return `${weighted}<p class="lead">Each segment is named from its members: the features on which its ${escapeMarkup(s.entity.many)}' median lies furthest from the ${word} median, in ${word} standard deviations; its description lists those medians and the ${escapeMarkup(s.entity.many)} closest to its centre. The index table compares each segment's mean with the ${word} mean (100 = the same, 200 = twice).${escapeMarkup(note)}</p>
<div class="segments">${cards}</div>
${chartFigure(svg["segment-centres"], "segment-centres")}
<h3>Index: each segment's mean against the ${word} mean</h3>
<div class="scroll">${indexTable(m)}</div>
<h3>${escapeMarkup(capitalized(s.entity.many))} by segment</h3>
<p class="lead">Closest to the centre first; click a header to sort. "Stands out" is estimated from the ${escapeMarkup(s.entity.one)}'s coordinates on the kept components.</p>
${tables}`;
}

/** ", 18.6% of TotalPop" in a weighted run; "" otherwise. */
function weightShare(s: ReportModel["summary"], weight: number | undefined): string {
  if (!s.weight || weight === undefined) return "";
  return `, ${((100 * weight) / s.weight.total).toFixed(1)}% of ${s.weight.column}`;
}

/** The search box (answered by the client script), in the rows' words. */
function searchBox(m: ReportModel): string {
  const { one } = m.summary.entity;
  const example = m.counties[0]?.county ?? "";
  return `<div class="search" role="search"><label for="county-search">Find a ${escapeMarkup(one)}</label><input id="county-search" type="search" placeholder="e.g. ${escapeMarkup(example)}" autocomplete="off">
<div id="search-results" aria-live="polite"><noscript>The search needs scripts; the tables under Segments list every ${escapeMarkup(one)}.</noscript></div></div>`;
}

function map(m: ReportModel, svg: ChartSvgs): string {
  const geography = m.summary.geography;
  if (!svg["county-map"])
    return `<p class="lead">No map: no column holds one US county FIPS code, or one US state, per row (a FIPS column such as CensusId, or state names or postal codes), so the ${escapeMarkup(m.summary.entity.many)} cannot be placed on a map.</p>`;
  const level = geography?.level === "state" ? "state" : "county";
  return `<p class="lead">Every ${level} coloured by its segment, joined on ${escapeMarkup(geography?.column ?? "")}; grey ${level === "state" ? "states" : "counties"} have no data (not in the table, or rows dropped in cleaning). Puerto Rico lies outside the Albers USA projection and is not drawn. Hover a ${level} for its segment and what stands out about it.</p>
${searchBox(m)}
${chartFigure(svg["county-map"], "county-map")}`;
}

function method(m: ReportModel): string {
  const s = m.summary;
  const timings = Object.entries(s.timings);
  const total = timings.reduce((a, [, ms]) => a + ms, 0);
  const table = htmlTable(
    [...timings, ["total", total] as [string, number]],
    [
      { header: "step", text: (r) => r[0] },
      { header: "ms", text: (r) => r[1].toFixed(1), value: (r) => r[1] },
    ],
  );
  return `<p class="lead">Load (DuckDB) → drop rows with missing values → ${s.scaler.kind === "standard" ? "standardise" : "min-max scale"} → PCA (exact, sign-fixed so each component's largest loading is positive) → keep the top ${s.pca.kept} components → K-Means (k-means++ seeding, best of several restarts by inertia${s.weight ? `; each row weighted by ${escapeMarkup(s.weight.column)}` : ""}) → assign each ${escapeMarkup(s.entity.one)} its closest centroid (Euclidean). Segment profiles are their members' means and medians in original units; each centroid's reconstruction through the kept loadings (inverse PCA, then inverse scaling) is in summary.json as reconstructedCentre. Strata ${escapeMarkup(s.strataVersion)}, summary format ${s.formatVersion}.</p>
<p class="lead">Building this report (every chart to SVG and PNG, and this page) is timed as <code>timings.report</code> in summary.json.</p>
<h3>Timings</h3>
${table}`;
}

/** The sections, in order. */
export const SECTIONS: readonly SectionDef[] = [
  { id: "data", title: "Data", body: data },
  { id: "cleaning", title: "Cleaning", body: cleaning },
  { id: "scaling", title: "Scaling", body: scaling },
  { id: "pca", title: "PCA", body: pca },
  { id: "choosing-components", title: "Choosing components", body: choosing },
  { id: "clustering", title: "Clustering", body: clustering },
  { id: "segments", title: "Segments", body: segments },
  { id: "map", title: "Map", body: map },
  { id: "method", title: "Method and timings", body: method },
];

/** Renders every section. */
export function renderSections(m: ReportModel, svg: ChartSvgs): string {
  return SECTIONS.map((d) => section(d.id, d.title, d.body(m, svg))).join("\n");
}

/**
 * The segments' index per feature (members' mean ÷ the national mean × 100, as geodemographic pen portraits
 * read them): a row per feature, a column per segment; "—" where the national mean is 0.
 */
function indexTable(m: ReportModel): string {
  const s = m.summary;
  const rows = s.features.map((feature, j) => ({ feature, j }));
  return htmlTable(
    rows,
    [
      { header: "feature", text: (r) => r.feature },
      ...s.segments.map((g, c) => ({
        header: m.segmentLabels[c]!,
        text: (r: { j: number }) => {
          const index = g.profile.index[r.j];
          return index === null || index === undefined ? "—" : String(Math.round(index));
        },
        value: (r: { j: number }) => g.profile.index[r.j] ?? 0,
      })),
    ],
    { sortable: true },
  );
}

function capitalized(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** A segment's bootstrap stability, when the run measured it. */
function stabilityLine(m: ReportModel, id: number): string {
  const st = m.summary.stability;
  if (st === null) return "";
  const j = st.jaccard[id]!;
  const verdict = j >= 0.75 ? "stable" : j >= 0.5 ? "fairly stable" : "unstable";
  return `\n<p class="stability">Stability ${j.toFixed(2)} (${verdict}): the mean Jaccard similarity to its best match over ${st.resamples} bootstrap resamples.</p>`;
}
