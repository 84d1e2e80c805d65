/**
 * Issue 5: the census report's files. Every chart is written as SVG and PNG; the PNGs of the map and the
 * heatmaps are not blank (pixel variance of the decoded file) and have text drawn in them (the file differs
 * from a render of the same SVG with its text removed); report.html is self-contained.
 */
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { before, describe, test } from "node:test";
import { renderRaster } from "../../src/report/rasterise.js";
import { type CensusReport, censusReport } from "./fixture.js";
import { decodePng, differingPixels, luminanceVariance } from "./png.js";

const CHARTS = [
  "histograms",
  "describe-raw",
  "describe-scaled",
  "scree",
  "component-makeup",
  "cluster-sizes",
  "centroid-heatmap",
  "segment-centres",
  "county-map",
];

describe("the census report's charts", () => {
  let fx: CensusReport;
  before(async () => {
    fx = await censusReport();
  });

  test("every chart is written as SVG and PNG under charts/, and the build is timed", (t) => {
    for (const name of CHARTS) {
      for (const ext of ["svg", "png"]) {
        assert.ok(existsSync(join(fx.outDir, "charts", `${name}.${ext}`)), `${name}.${ext}`);
      }
    }
    assert.equal(fx.report.charts.length, 2 * CHARTS.length);
    t.diagnostic(
      `report built in ${fx.report.elapsedMs.toFixed(0)} ms (SVG ${fx.report.svgMs.toFixed(0)} ms)`,
    );
    assert.ok(fx.report.elapsedMs > 0);
  });

  for (const name of ["county-map", "centroid-heatmap", "segment-centres"]) {
    test(`${name}.png is not blank and has text drawn in it`, () => {
      const svg = readFileSync(join(fx.outDir, "charts", `${name}.svg`), "utf8");
      const png = decodePng(readFileSync(join(fx.outDir, "charts", `${name}.png`)));
      assert.ok(png.width > 400 && png.height > 200, `${png.width}x${png.height}`);
      assert.ok(luminanceVariance(png.rgba) > 100, `variance ${luminanceVariance(png.rgba)}`);
      assert.ok((svg.match(/<text/g) ?? []).length >= 10, "the SVG has text");
      const textless = renderRaster(svg.replace(/<text[^>]*>[^<]*<\/text>/g, ""));
      assert.equal(textless.width, png.width);
      const changed = differingPixels(png.rgba, textless.pixels);
      assert.ok(changed > 2000, `${changed} pixels are text`);
    });
  }

  test("the map joins every county on its FIPS code, names every segment and marks no-data counties", () => {
    const svg = readFileSync(join(fx.outDir, "charts", "county-map.svg"), "utf8");
    assert.ok((svg.match(/<path/g) ?? []).length > 3000);
    // The text as a reader gets it: character references decoded.
    const text = svg
      .replace(/&#(\d+);/g, (_, c: string) => String.fromCharCode(Number(c)))
      .replaceAll("&amp;", "&");
    for (const s of fx.summary.segments) {
      assert.ok(text.includes(`>${s.id} · ${s.name}</text>`), `${s.name} in the legend`);
    }
    assert.ok(svg.includes("No data"));
  });

  test("report.html is self-contained: a CSP forbidding requests, no remote src or href, unique ids", () => {
    const html = fx.html;
    assert.match(html, /<meta http-equiv="Content-Security-Policy" content="default-src 'none';/);
    assert.doesNotMatch(html, /(src|href)="(https?:)?\/\//);
    const markup = html.slice(0, html.indexOf('<script type="application/json"'));
    const ids = [...markup.matchAll(/\sid="([^"]+)"/g)].map((m) => m[1]);
    const dup = ids.filter((id, i) => ids.indexOf(id) !== i);
    assert.deepEqual(dup, [], "duplicate ids");
    for (const id of [
      "data",
      "cleaning",
      "scaling",
      "pca",
      "choosing-components",
      "clustering",
      "segments",
      "map",
      "method",
    ]) {
      assert.ok(ids.includes(id), `section ${id}`);
    }
    assert.ok((markup.match(/<svg/g) ?? []).length >= CHARTS.length, "charts inline as SVG");
  });
});
