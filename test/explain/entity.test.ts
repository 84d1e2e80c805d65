/**
 * Issue 14, item 2: words from the data. What the rows are comes from a geography column (US county FIPS
 * codes, or US states by name, postal code or FIPS) or from --entity, else "rows"; the segment descriptions
 * and the report then speak of counties only when the rows are counties.
 * @module
 */
import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, test } from "node:test";
import { Frame } from "../../src/data/frame.js";
import { loadTable } from "../../src/data/load.js";
import { detectGeography, entityFor, referenceMedian, singular } from "../../src/explain/entity.js";
import { censusCsvPath, PROJECT_ROOT } from "../helpers/census.js";
import { runCli, tempDir } from "../helpers/cli.js";

const DATA = join(PROJECT_ROOT, "node_modules/vega-datasets/data");

describe("what the rows are", () => {
  test("county FIPS codes (CensusId, the unemployment table's id), states by name or code, or nothing", async () => {
    const census = await loadTable(censusCsvPath());
    assert.deepEqual(detectGeography(census, ["CensusId", "State", "County"]), {
      level: "county",
      column: "CensusId",
    });
    const unemployment = await loadTable(join(DATA, "unemployment.tsv"));
    assert.deepEqual(detectGeography(unemployment, ["id"]), { level: "county", column: "id" });
    const states = Frame.fromColumns({
      Name: ["Ohio", "Texas", "new york", "WA"],
      Pop: Float64Array.of(1, 2, 3, 4),
    });
    assert.deepEqual(detectGeography(states, ["Name"]), { level: "state", column: "Name" });
    const penguins = await loadTable(join(DATA, "penguins.json"));
    assert.equal(detectGeography(penguins, ["Species", "Island", "Sex"]), undefined);
    // Consecutive customer numbers inside one state's block are not county codes (those are mostly odd).
    const customers = Frame.fromColumns({
      customer_id: Float64Array.from({ length: 200 }, (_, i) => 1001 + i),
      x: Float64Array.from({ length: 200 }, (_, i) => i % 7),
    });
    assert.equal(detectGeography(customers, ["customer_id"]), undefined);
    // Repeated values are not one place per row.
    const repeated = Frame.fromColumns({ S: ["Ohio", "Ohio"], x: Float64Array.of(1, 2) });
    assert.equal(detectGeography(repeated, ["S"]), undefined);
  });

  test("--entity wins; counties and states speak of the US median, other rows of the overall one", () => {
    assert.deepEqual(entityFor("customers", undefined), { one: "customer", many: "customers", area: null });
    assert.deepEqual(entityFor(undefined, { level: "county", column: "id" }), {
      one: "county",
      many: "counties",
      area: "US",
    });
    assert.equal(referenceMedian(entityFor(undefined, undefined)), "overall median");
    assert.deepEqual(["counties", "boxes", "places", "penguins", "sheep", "matches"].map(singular), [
      "county",
      "box",
      "place",
      "penguin",
      "sheep",
      "match",
    ]);
  });
});

describe("the words and the map of a run", () => {
  test("penguins: rows, the overall median, no map and why; the county words nowhere", async () => {
    const out = join(tempDir(), "out");
    const r = await runCli(["run", "--data", join(DATA, "penguins.json"), "--out", out, "--quiet"]);
    assert.equal(r.code, 0, r.stderr);
    assert.doesNotMatch(r.stdout, /count(y|ies)/i);
    assert.match(r.stdout, /cluster {6}rows {2}segment/);
    const summary = JSON.parse(readFileSync(join(out, "summary.json"), "utf8"));
    assert.deepEqual(summary.entity, { one: "row", many: "rows", area: null });
    assert.equal(summary.geography, null);
    for (const s of summary.segments) {
      assert.match(s.description, /^\d+ rows? like /);
      assert.doesNotMatch(s.description, /\(US /);
    }
    const html = readFileSync(join(out, "report.html"), "utf8");
    assert.match(html, /rows segmented/);
    assert.match(html, /No map: no column holds one US county FIPS code, or one US state/);
    assert.match(html, /Overall median/);
    // Outside the scripts and the sentence that says why there is no map, no county words.
    const words = html.replace(/<script[\s\S]*?<\/script>/g, "").replace(/No map: [^<]*/, "");
    assert.doesNotMatch(words, /\b(county|counties|US median)\b/i);
  });

  test("the county unemployment table: counties on the county map, joined on its id column; --entity renames", async () => {
    const out = join(tempDir(), "out");
    const r = await runCli([
      "run",
      "--data",
      join(DATA, "unemployment.tsv"),
      "--out",
      out,
      "--quiet",
      "--clusters",
      "4",
    ]);
    assert.equal(r.code, 0, r.stderr);
    const summary = JSON.parse(readFileSync(join(out, "summary.json"), "utf8"));
    assert.deepEqual(summary.geography, { level: "county", column: "id" });
    assert.equal(summary.entity.many, "counties");
    const html = readFileSync(join(out, "report.html"), "utf8");
    assert.match(html, /Every county coloured by its segment, joined on id/);
    assert.ok(
      readFileSync(join(out, "charts", "county-map.svg"), "utf8").length > 100_000,
      "the county shapes",
    );

    const renamed = join(tempDir(), "out");
    const again = await runCli([
      "run",
      "--data",
      join(DATA, "penguins.json"),
      "--out",
      renamed,
      "--quiet",
      "--no-report",
      "--entity",
      "penguins",
    ]);
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stdout, /cluster {2}penguins {2}segment/);
    const named = JSON.parse(readFileSync(join(renamed, "summary.json"), "utf8"));
    assert.match(named.segments[0].description, /^\d+ penguins? like /);
  });

  test("a table of US states is drawn on the state map", async () => {
    const dir = tempDir();
    const data = join(dir, "states.csv");
    const names = [
      "Alabama",
      "Alaska",
      "Arizona",
      "Arkansas",
      "California",
      "Colorado",
      "Connecticut",
      "Delaware",
      "Florida",
      "Georgia",
      "Hawaii",
      "Idaho",
      // One blank state: the row stays, and the map is still drawn without it.
      "",
    ];
    writeStates(data, names);
    const out = join(dir, "out");
    const r = await runCli(["run", "--data", data, "--out", out, "--quiet", "--clusters", "3"]);
    assert.equal(r.code, 0, r.stderr);
    const summary = JSON.parse(readFileSync(join(out, "summary.json"), "utf8"));
    assert.deepEqual(summary.geography, { level: "state", column: "State" });
    assert.equal(summary.entity.many, "states");
    const html = readFileSync(join(out, "report.html"), "utf8");
    assert.match(html, /Every state coloured by its segment, joined on State/);
    // The map draws us-atlas' states, each described by its state and segment (Idaho is in the table).
    assert.match(html, /<path aria-label="State: Idaho; Segment: [^"]+; Stands out: [^"]+"/);
    assert.match(html, /<path aria-label="State: Texas; Segment: No data"/);
    assert.doesNotMatch(html, /aria-label="County: /);
  });
});

function writeStates(path: string, names: readonly string[]): void {
  const lines = names.map(
    (n, i) => `${n},${((i * 37) % 11) + 1},${((i * 13) % 7) + 2},${((i * 5) % 9) + 0.5}`,
  );
  writeFileSync(path, `State,Income,Poverty,Density\n${lines.join("\n")}\n`);
}
