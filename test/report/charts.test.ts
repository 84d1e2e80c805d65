/**
 * Issue 5: the chart spec functions are pure data → Vega-Lite: given small inputs, each spec has the right
 * encodings and values, and compiles without a warning.
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { TopLevelSpec } from "vega-lite";
import { centroidCells, centroidHeatmapSpec } from "../../src/report/charts/centroid-heatmap.js";
import { clusterSizesSpec } from "../../src/report/charts/cluster-sizes.js";
import { componentMakeupSpec, loadingBars } from "../../src/report/charts/component-makeup.js";
import { countyMapSvg, fipsCode, mapShapes } from "../../src/report/charts/county-map.js";
import { describeCells, describeTableSvg } from "../../src/report/charts/describe-table.js";
import { histogramBars, histogramsSpec } from "../../src/report/charts/histograms.js";
import { screePoints, screeSpec } from "../../src/report/charts/scree.js";
import { centreCells, MEDIAN_COLUMN, segmentCentresSpec } from "../../src/report/charts/segment-centres.js";
import { NO_DATA_COLOUR, NO_DATA_LABEL } from "../../src/report/charts/theme.js";
import { compileSpec } from "../../src/report/render.js";
import { MemoryLogger } from "../../src/util/logger.js";

// biome-ignore lint/suspicious/noExplicitAny: specs are checked field by field
const any = (spec: TopLevelSpec): any => spec;

function compilesCleanly(spec: TopLevelSpec): void {
  const logger = new MemoryLogger();
  compileSpec(spec, logger);
  assert.deepEqual(logger.events, [], "no Vega-Lite warnings");
}

describe("chart specs", () => {
  test("histograms: one panel per chosen feature, bars from the stored bins", () => {
    const histograms = { A: { start: 0, step: 5, counts: [1, 3] }, B: { start: 10, step: 1, counts: [2] } };
    assert.deepEqual(histogramBars(histograms, ["B"]), [{ feature: "B", start: 10, end: 11, count: 2 }]);
    const spec = any(histogramsSpec(histograms, ["A", "B"]));
    assert.equal(spec.concat.length, 2);
    assert.deepEqual(spec.concat[1].transform, [{ filter: { field: "feature", equal: "B" } }]);
    assert.equal(spec.concat[0].encoding.x.field, "start");
    assert.equal(spec.concat[0].encoding.x2.field, "end");
    assert.equal(spec.data.values.length, 3);
    compilesCleanly(spec);
  });

  test("describe table: one cell per feature and statistic, in pandas' order, drawn as an SVG table", () => {
    const d = {
      columns: ["a", "b"],
      stats: {
        count: [2, 2],
        mean: [1.5, 10],
        std: [0.7, null],
        min: [1, 10],
        "25%": [1, 10],
        "50%": [1.5, 10],
        "75%": [2, 10],
        max: [2, 10],
      },
    };
    const cells = describeCells(d);
    assert.equal(cells.length, 16);
    assert.deepEqual(cells[9], { feature: "b", stat: "mean", text: "10" });
    assert.equal(cells.find((c) => c.feature === "b" && c.stat === "std")!.text, "NaN");
    assert.equal(describeCells(d, { scaled: true })[1]!.text, "1.500");
    // Drawn as an SVG table: the statistics in pandas' order above, the features down the left, every cell's
    // text right-aligned in its 84 × 17 px cell, the second row banded.
    const svg = describeTableSvg(d, { title: "Raw <features>" });
    const texts = [...svg.matchAll(/<text x="([\d.]+)" y="([\d.]+)"[^>]*>([^<]*)<\/text>/g)].map((m) => ({
      x: Number(m[1]),
      y: Number(m[2]),
      text: m[3]!,
    }));
    assert.deepEqual(
      texts.slice(0, 2).map((t) => t.text),
      ["Raw &#60;features&#62;", "2 features × pandas describe()"],
    );
    assert.deepEqual(
      texts.slice(2, 10).map((t) => t.text),
      ["count", "mean", "std", "min", "25%", "50%", "75%", "max"],
    );
    const rows = texts.slice(10);
    assert.deepEqual(
      rows.map((t) => t.text),
      [
        "a",
        "2",
        "1.5",
        "0.7",
        "1",
        "1",
        "1.5",
        "2",
        "2",
        "b",
        "2",
        "10",
        "NaN",
        "10",
        "10",
        "10",
        "10",
        "10",
      ],
    );
    const left = rows[0]!.x + 1.5;
    assert.deepEqual(
      rows.slice(1, 9).map((t) => t.x),
      [1, 2, 3, 4, 5, 6, 7, 8].map((c) => left + 84 * c - 6),
    );
    assert.equal(rows[10]!.y - rows[1]!.y, 17);
    assert.match(svg, /aria-label="b, std: NaN"/);
    assert.equal((svg.match(/fill="#f1f4f8"/g) ?? []).length, 1);
    assert.match(svg, /^<svg [^>]*width="(\d+)" height="(\d+)"/);
    assert.equal(Number(svg.match(/ height="(\d+)"/)![1]), 51 + 2 * 17 + 5);
  });

  test("scree: per-component and cumulative share, the chosen number marked after it", () => {
    const points = screePoints([0.5, 0.3, 0.2], 2);
    assert.deepEqual(
      points.map((p) => p.status),
      ["kept", "kept", "not kept"],
    );
    assert.ok(Math.abs(points[1]!.cumulative - 0.8) < 1e-12);
    const spec = any(screeSpec([0.5, 0.3, 0.2], 2));
    const marker = spec.layer[2];
    assert.equal(marker.data.values[0].at, 2.5);
    assert.match(marker.data.values[0].label, /2 kept: 80\.0% cumulative/);
    assert.equal(spec.layer[1].encoding.y.field, "cumulative");
    compilesCleanly(spec);
  });

  test("component makeup: signed loadings per named component, one symmetric domain", () => {
    const components = [
      {
        label: "comp_1 · a vs b",
        top: [
          { feature: "a", weight: 0.62 },
          { feature: "b", weight: -0.3 },
        ],
      },
      { label: "comp_2 · b", top: [{ feature: "b", weight: 0.5 }] },
    ];
    assert.deepEqual(
      loadingBars(components).map((b) => b.sign),
      ["positive", "negative", "positive"],
    );
    const spec = any(componentMakeupSpec(components));
    assert.deepEqual(spec.facet.sort, ["comp_1 · a vs b", "comp_2 · b"]);
    assert.deepEqual(spec.spec.encoding.x.scale.domain, [-0.7, 0.7]);
    assert.deepEqual(spec.spec.encoding.y.sort, { field: "weight", order: "descending" });
    compilesCleanly(spec);
  });

  test("cluster sizes: bars in the segments' colours", () => {
    const spec = any(
      clusterSizesSpec([
        { label: "0 · x", size: 3, colour: "#111111" },
        { label: "1 · y", size: 1, colour: "#222222" },
      ]),
    );
    const colour = spec.layer[0].encoding.color.scale;
    assert.deepEqual(colour, { domain: ["0 · x", "1 · y"], range: ["#111111", "#222222"] });
    assert.equal(spec.data.values[0].share, 0.75);
    compilesCleanly(spec);
  });

  test("centroid heatmap: clusters × components on a diverging scale centred on 0", () => {
    const centroids = [
      [0.5, -1],
      [0.2, 0.1],
    ];
    const cells = centroidCells(centroids, ["s0", "s1"], ["c1", "c2"]);
    assert.deepEqual(cells[1], { segment: "s0", component: "c2", value: -1, strong: true });
    const spec = any(centroidHeatmapSpec(centroids, ["s0", "s1"], ["c1", "c2"]));
    const scale = spec.layer[0].encoding.color.scale;
    assert.deepEqual(scale.domain, [-1, 1]);
    assert.equal(scale.domainMid, 0);
    assert.equal(scale.scheme, "blueorange");
    compilesCleanly(spec);
  });

  test("segments by their members: medians in their units beside the US median, colour clamped at 2.5 SDs", () => {
    const input = {
      features: ["Income", "White"],
      medians: [[60000, 12]],
      segmentLabels: ["0 · rich"],
      nationalMedian: [45000, 84],
      nationalStd: [10000, 20],
    };
    const cells = centreCells(input);
    assert.deepEqual(
      cells.map((c) => c.column),
      [MEDIAN_COLUMN, "0 · rich", MEDIAN_COLUMN, "0 · rich"],
    );
    assert.equal(cells[1]!.text, "$60,000");
    assert.equal(cells[1]!.sds, 1.5);
    assert.equal(cells[3]!.text, "12.0%");
    assert.equal(cells[3]!.sds, -2.5, "(12 − 84) / 20 = −3.6, clamped to 2.5 SDs");
    compilesCleanly(segmentCentresSpec(input));
  });

  test("county map: FIPS join, quantized arcs decoded, state borders on top, a legend naming every segment and no-data counties", () => {
    assert.equal(fipsCode(6019), "06019");
    assert.equal(fipsCode("48301"), "48301");
    // Two triangles, quantized as us-atlas stores them (deltas, then scale and translate): Fresno, with a row,
    // and Kalawao, without one; one state made of both.
    const topology = {
      type: "Topology",
      transform: { scale: [0.5, 2], translate: [100, 10] },
      objects: {
        counties: {
          type: "GeometryCollection",
          geometries: [
            { type: "Polygon", arcs: [[0]], id: "06019", properties: { name: "Fresno" } },
            { type: "Polygon", arcs: [[~1]], id: "15005", properties: { name: "Kalawao" } },
          ],
        },
        states: { type: "GeometryCollection", geometries: [{ type: "MultiPolygon", arcs: [[[0]], [[1]]] }] },
      },
      arcs: [
        [
          [0, 0],
          [10, 0],
          [0, 10],
          [-10, -10],
        ],
        [
          [20, 0],
          [0, 10],
          [10, -10],
          [-10, 0],
        ],
      ],
    };
    const counties = [
      { fips: "06019", county: "Fresno", state: "California", segment: "1 · x", standsOut: "high Hispanic" },
    ];
    const svg = countyMapSvg(mapShapes(topology), counties, {
      labels: ["0 · y", "1 · x"],
      colours: ["#111", "#222"],
    });
    const shapes = [...svg.matchAll(/<path aria-label="([^"]*)" [^>]*fill="([^"]*)" d="([^"]*)"/g)].map(
      (m) => ({
        label: m[1],
        fill: m[2],
        d: m[3],
      }),
    );
    // Each shape's description is its aria-label: the report's tooltip and what screen readers read.
    assert.deepEqual(shapes, [
      {
        label: "County: Fresno; State: California; Segment: 1 · x; Stands out: high Hispanic",
        fill: "#222",
        d: "M100,10L105,10L105,30L100,10Z",
      },
      // Arc 1 reversed: (110,10) (115,30) (110,30) back to (110,10).
      {
        label: "County: Kalawao; Segment: No data",
        fill: NO_DATA_COLOUR,
        d: "M110,10L115,10L110,30L110,10Z",
      },
    ]);
    // The state borders: every arc of the states, once, after (on top of) the counties.
    const borders = svg.indexOf('stroke="#3b3b3b"');
    assert.ok(borders > svg.indexOf("County: Kalawao"));
    assert.match(svg.slice(borders), /d="M100,10L105,10L105,30L100,10M110,10L110,30L115,10L110,10"/);
    const legend = [...svg.slice(svg.indexOf('class="legend"')).matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map(
      (m) => m[1],
    );
    assert.deepEqual(legend, ["Segment", "0 · y", "1 · x", NO_DATA_LABEL]);
    // A state map names states, and no county.
    const stateMap = countyMapSvg(
      mapShapes(topology),
      [],
      { labels: ["0 · y"], colours: ["#111"] },
      { level: "state" },
    );
    assert.doesNotMatch(stateMap, /County: /);
    assert.doesNotMatch(stateMap, /stroke="#3b3b3b"/);
  });
});
