/**
 * Issue 14, item 5: the report stays a readable, quick page for large tables. Above LIST_ALL_ROWS rows each
 * segment lists its TABLE_ROWS most typical members with a count, the page's search data holds those, and
 * every row's assignment is in assignments.csv, not in the HTML.
 * @module
 */
import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { createRng } from "../../src/linalg/rng.js";
import { parseAssignments } from "../../src/report/report-input.js";
import { LIST_ALL_ROWS, TABLE_ROWS } from "../../src/report/report-model.js";
import { runCli, tempDir } from "../helpers/cli.js";

test("a 6,000-row table: 100 most typical per segment listed, all in assignments.csv", async () => {
  const dir = tempDir();
  const rng = createRng(9);
  const n = LIST_ALL_ROWS + 1_000;
  const lines = Array.from({ length: n }, (_, i) => {
    const g = i % 3;
    const v = (base: number) => (base * (g + 1) + rng.nextFloat() * 3).toFixed(3);
    return `S${i + 1},${v(10)},${v(4)},${v(7)}`;
  });
  const data = join(dir, "shops.csv");
  writeFileSync(data, `Shop,Sales,Staff,Area\n${lines.join("\n")}\n`);
  const out = join(dir, "out");
  const r = await runCli([
    "run",
    "--data",
    data,
    "--out",
    out,
    "--quiet",
    "--clusters",
    "3",
    "--entity",
    "shops",
  ]);
  assert.equal(r.code, 0, r.stderr);
  const html = readFileSync(join(out, "report.html"), "utf8");
  const summaries = [...html.matchAll(/<details data-segment="\d+"><summary>[\s\S]*?<\/summary>/g)].map(
    (m) => m[0],
  );
  assert.equal(summaries.length, 3);
  for (const s of summaries)
    assert.match(s, /: [\d,]+ shops \(the 100 most typical listed; every one is in assignments\.csv\)/);
  const bodyRows = [...html.matchAll(/<details data-segment[\s\S]*?<\/details>/g)].map(
    (m) => (m[0].match(/<tr>/g) ?? []).length - 1,
  );
  assert.deepEqual(bodyRows, [TABLE_ROWS, TABLE_ROWS, TABLE_ROWS]);
  const data_ = JSON.parse(
    /<script type="application\/json" id="report-data">([\s\S]*?)<\/script>/.exec(html)![1]!,
  );
  assert.equal(data_.counties.length, n, "up to SEARCH_ROWS rows the search covers every one");
  const assigned = parseAssignments(readFileSync(join(out, "assignments.csv"), "utf8"));
  assert.equal(assigned.length, n, "every row in assignments.csv");
});
