/**
 * Issue 5: `strata report <out-dir>` rebuilds the report from summary.json and assignments.csv alone, and
 * user names (--component-names, --segment-names, --names) flow into the summary, the charts, the page and the
 * terminal. Through the real CLI.
 */
import assert from "node:assert/strict";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { before, describe, test } from "node:test";
import { censusCsvPath } from "../helpers/census.js";
import { runCli, tempDir } from "../helpers/cli.js";
import { decodePng } from "./png.js";

describe("strata report", () => {
  const out = join(tempDir(), "out");
  before(async () => {
    const run = await runCli(["run", "--data", censusCsvPath(), "--out", out, "--quiet", "--no-report"]);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /cluster {2}counties {2}segment/);
  });

  test("--no-report writes no report; `strata report` builds it from the two files", async () => {
    assert.equal(existsSync(join(out, "report.html")), false);
    const result = await runCli(["report", out, "--quiet"]);
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stderr, "");
    assert.ok(existsSync(join(out, "report.html")));
    assert.ok(existsSync(join(out, "charts", "county-map.svg")));
    assert.equal(existsSync(join(out, "charts", "county-map.png")), false, "PNGs only with --png");
    assert.match(result.stdout, /Report: .*report\.html \(built in \d+\.\d\d s\)/);
  });

  test("--png also writes every chart as a PNG", async () => {
    const result = await runCli(["report", out, "--quiet", "--png"]);
    assert.equal(result.code, 0, result.stderr);
    const png = decodePng(readFileSync(join(out, "charts", "county-map.png")));
    assert.ok(png.width > 400 && png.height > 200, `${png.width}x${png.height}`);
  });

  test("names from flags and a names file flow into summary.json, the charts, the page and the terminal", async () => {
    const namesFile = join(tempDir(), "names.json");
    writeFileSync(
      namesFile,
      JSON.stringify({ segments: { "1": "Hispanic Southwest" }, components: ["Race & income"] }),
    );
    const result = await runCli([
      "report",
      out,
      "--quiet",
      "--names",
      namesFile,
      "--segment-names",
      "Comfortable heartland",
      "--hist",
      "Income,Poverty",
    ]);
    assert.equal(result.code, 0, result.stderr);
    const summary = JSON.parse(readFileSync(join(out, "summary.json"), "utf8"));
    assert.equal(summary.segments[0].name, "Comfortable heartland");
    assert.equal(summary.segments[1].name, "Hispanic Southwest");
    assert.notEqual(summary.segments[0].autoName, "Comfortable heartland");
    assert.equal(summary.pca.components[0].name, "Race & income");
    assert.deepEqual(summary.report.histFeatures, ["Income", "Poverty"]);
    assert.equal(typeof summary.timings.report, "number");
    assert.match(result.stdout, /comp_1 +\S+ +Race & income/);
    assert.match(result.stdout, /1 +\d+ +Hispanic Southwest/);
    const html = readFileSync(join(out, "report.html"), "utf8");
    assert.ok(html.includes("0 · Comfortable heartland"));
    assert.ok(html.includes("comp_1 · Race &amp; income"));
    const map = readFileSync(join(out, "charts", "county-map.svg"), "utf8");
    assert.ok(map.includes("1 · Hispanic Southwest"));
    const histograms = readFileSync(join(out, "charts", "histograms.svg"), "utf8");
    assert.ok(histograms.includes(">Poverty<") && !histograms.includes(">Professional<"));
  });

  test("a --hist feature that does not exist is a usage error naming the features", async () => {
    const result = await runCli(["report", out, "--hist", "Nope"]);
    assert.equal(result.code, 2);
    assert.match(
      result.stderr,
      /--hist "Nope" is invalid: "Nope" is not a feature; expected names from TotalPop/,
    );
  });

  test("a directory without summary.json says so", async () => {
    const result = await runCli(["report", tempDir()]);
    assert.equal(result.code, 1);
    assert.match(result.stderr, /Could not read .*summary\.json.*Is .* the out dir of `strata run`\?/);
  });

  test("strata run with more segment names than clusters fails before writing anything", async () => {
    const fresh = join(tempDir(), "out");
    const result = await runCli([
      "run",
      "--data",
      censusCsvPath(),
      "--out",
      fresh,
      "--clusters",
      "2",
      "--segment-names",
      "a,b,c",
    ]);
    assert.equal(result.code, 2);
    assert.match(result.stderr, /--segment-names has 3 names; there are only 2 segments/);
    assert.equal(existsSync(fresh), false);
  });
});
