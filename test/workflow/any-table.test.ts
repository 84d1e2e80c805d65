/**
 * Issue 14: `strata run` on tables that are not the census — vega-datasets' penguins (JSON), cars (JSON,
 * missing values), gapminder (JSON), zipcodes (CSV, zero-padded codes) and the county unemployment table
 * (TSV) — with real properties checked: each column's role, what was dropped and why, that features are the
 * numeric columns that are not identifiers, and that every segment's name agrees with its members.
 * @module
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, test } from "node:test";
import { DEFAULT_OPTIONS, type SegmentationOptions } from "../../src/workflow/options.js";
import { runSegmentation } from "../../src/workflow/segmentation.js";
import { buildSummary } from "../../src/workflow/summary.js";
import { PROJECT_ROOT } from "../helpers/census.js";
import { assertNamesAgreeWithMembers } from "../helpers/segment-names.js";

const DATA = join(PROJECT_ROOT, "node_modules/vega-datasets/data");

async function run(file: string, extra: Partial<SegmentationOptions> = {}) {
  const result = await runSegmentation({
    ...DEFAULT_OPTIONS,
    restarts: 3,
    ...extra,
    source: join(DATA, file),
  });
  return { result, summary: buildSummary(result) };
}

const roles = (summary: ReturnType<typeof buildSummary>) =>
  Object.fromEntries(summary.columns.unused.map((u) => [u.column, u.reason]));

describe("segmenting tables that are not the census", () => {
  test("penguins (JSON): the text columns are kept beside the results, rows numbered, 2 rows dropped for their missing measurements", async () => {
    const { result, summary } = await run("penguins.json");
    assert.deepEqual(summary.features, [
      "Beak Length (mm)",
      "Beak Depth (mm)",
      "Flipper Length (mm)",
      "Body Mass (g)",
    ]);
    assert.deepEqual(roles(summary), { Species: "text", Island: "text", Sex: "text" });
    assert.deepEqual(summary.columns.index, []);
    assert.deepEqual(summary.columns.identifiers, ["Species", "Island", "Sex"]);
    assert.equal(summary.pca.kept, 4, "the notebook's 5 components, at most the 4 features");
    assert.deepEqual(summary.rows.missingByColumn, {
      "Beak Length (mm)": 2,
      "Beak Depth (mm)": 2,
      "Flipper Length (mm)": 2,
      "Body Mass (g)": 2,
    });
    // 1-based row numbers in the data: the 4th and the 340th penguins have no measurements.
    assert.deepEqual(summary.droppedRows, ["4", "340"]);
    assert.equal(result.table.index[0], "1");
    assertNamesAgreeWithMembers(summary);
  });

  test("cars (JSON): drops are counted per column; --impute median keeps every row instead", async () => {
    const dropped = await run("cars.json");
    assert.deepEqual(dropped.summary.rows.missingByColumn, { Miles_per_Gallon: 8, Horsepower: 6 });
    assert.equal(dropped.summary.rows.dropped, 14);
    assert.deepEqual(roles(dropped.summary), { Name: "text", Year: "text", Origin: "text" });
    assertNamesAgreeWithMembers(dropped.summary);
    const filled = await run("cars.json", { impute: "median" });
    assert.equal(filled.summary.rows.dropped, 0);
    assert.equal(filled.summary.rows.used, 406);
    assert.deepEqual(
      Object.fromEntries(Object.entries(filled.summary.rows.imputed).map(([c, v]) => [c, v.count])),
      { Miles_per_Gallon: 8, Horsepower: 6 },
    );
    const cars = JSON.parse(readFileSync(join(DATA, "cars.json"), "utf8")) as { Horsepower: number | null }[];
    const hp = cars.flatMap((c) => (c.Horsepower === null ? [] : [c.Horsepower])).sort((a, b) => a - b);
    assert.equal(hp.length, 400);
    assert.equal(
      filled.summary.rows.imputed["Horsepower"]!.value,
      (hp[199]! + hp[200]!) / 2,
      "the median of the 400 cars that have one",
    );
  });

  test("gapminder (JSON): --exclude and --features choose the columns, and the others say why", async () => {
    const { summary } = await run("gapminder.json", { exclude: ["year", "cluster"] });
    assert.deepEqual(summary.features, ["pop", "life_expect", "fertility"]);
    assert.deepEqual(roles(summary), {
      year: "excluded by --exclude",
      country: "text",
      cluster: "excluded by --exclude",
    });
    assertNamesAgreeWithMembers(summary);
    const chosen = await run("gapminder.json", { features: ["life_expect", "fertility"] });
    assert.deepEqual(chosen.summary.features, ["life_expect", "fertility"]);
    assert.equal(roles(chosen.summary)["pop"], "not in --features");
  });

  test("zipcodes (CSV): 00501 stays text and names the rows; the other text columns are identifiers", async () => {
    const { result, summary } = await run("zipcodes.csv", { clusters: 5 });
    assert.deepEqual(summary.columns.index, ["zip_code"]);
    assert.deepEqual(summary.features, ["latitude", "longitude"]);
    assert.equal(result.table.index[0], "00501");
    assert.deepEqual(summary.columns.identifiers, ["zip_code", "city", "state", "county"]);
    assertNamesAgreeWithMembers(summary);
  });

  test("county unemployment (TSV): the id column names the rows, one feature is enough", async () => {
    const { summary } = await run("unemployment.tsv", { clusters: 4 });
    assert.deepEqual(summary.columns.index, ["id"]);
    assert.deepEqual(summary.features, ["rate"]);
    assert.equal(summary.pca.kept, 1);
    assert.equal(summary.rows.used, 3218);
    assertNamesAgreeWithMembers(summary);
  });
});
