/**
 * The report reads back Strata's own assignments.csv: its record parser against an RFC 4180 encoder
 * (property-tested, seeded), and ids holding a comma, a quote and a line break through a real `strata run`,
 * back as written. `strata run` builds its report from assignmentRows instead of printing and parsing the
 * file: the rows must be exactly those parseAssignments reads back, for the census and for awkward values.
 * @module
 */
import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import fc from "fast-check";
import { Frame } from "../../src/data/frame.js";
import { matrix } from "../../src/linalg/matrix.js";
import { parseAssignments, parseCsvRecords } from "../../src/report/report-input.js";
import { DEFAULT_OPTIONS } from "../../src/workflow/options.js";
import {
  assignmentLines,
  assignmentRows,
  assignmentsCsv,
  assignmentsHeader,
} from "../../src/workflow/outputs.js";
import { runSegmentation } from "../../src/workflow/segmentation.js";
import { censusCsvPath } from "../helpers/census.js";
import { runCli, tempDir } from "../helpers/cli.js";

/** RFC 4180, written independently of src/: quote a field that holds a comma, a quote or a line end. */
const encodeField = (f: string): string => (/[",\r\n]/.test(f) ? `"${f.replaceAll('"', '""')}"` : f);
const encodeRecord = (r: readonly string[]): string =>
  r.length === 1 && r[0] === "" ? '""' : r.map(encodeField).join(",");

test("parseCsvRecords reads back any records an RFC 4180 writer writes, with any line ends", () => {
  const field = fc.string({ unit: fc.constantFrom("a", "b", " ", ",", '"', "\n", "\r", "é"), maxLength: 8 });
  fc.assert(
    fc.property(
      fc.array(fc.array(field, { minLength: 1, maxLength: 5 }), { maxLength: 6 }),
      fc.constantFrom("\n", "\r\n", "\r"),
      (records, eol) => {
        const text = records.map(encodeRecord).join(eol) + (records.length > 0 ? eol : "");
        assert.deepEqual(parseCsvRecords(text), records);
      },
    ),
    { seed: 13, numRuns: 400 },
  );
});

test("ids with a comma, a quote and a line break come back from a real run's assignments.csv as written", async () => {
  const dir = tempDir();
  const data = join(dir, "places.csv");
  const names = ['Smith, "North"', "Line\nBreak", "Plain", 'Quote"d', "Last, one"];
  const rows = names.map((n, i) => `${i + 1},${encodeField(n)},${100 + i * 7},${(i * 13) % 5}.5,${i * i}`);
  writeFileSync(data, ["Id,Place,Population,Score,Visits", ...rows].join("\n"));
  const out = join(dir, "out");
  const result = await runCli([
    "run",
    "--data",
    data,
    "--out",
    out,
    "--index",
    "Place",
    "--id",
    "Id",
    "--components",
    "2",
    "--clusters",
    "2",
    "--no-report",
    "--quiet",
  ]);
  assert.equal(result.code, 0, result.stderr);
  const counties = parseAssignments(readFileSync(join(out, "assignments.csv"), "utf8"));
  assert.deepEqual(
    counties.map((c) => c.ids["Place"]),
    names,
  );
  assert.ok(counties.every((c) => c.comps.length === 2 && (c.cluster === 0 || c.cluster === 1)));
});

test("assignmentRows are the census rows parseAssignments reads back from assignments.csv", async () => {
  const result = await runSegmentation({ ...DEFAULT_OPTIONS, source: censusCsvPath() });
  const ids = result.columns.identifiers;
  const rows = assignmentRows(result, ids);
  assert.equal(rows.length, 3218);
  assert.deepStrictEqual(rows, parseAssignments(assignmentsCsv(result, ids)));
});

test("assignmentRows match the read-back rows for awkward ids and values: quotes, commas, missing text, -0", () => {
  const identifiers = Frame.fromColumns({
    Code: Float64Array.of(7, 8.5, -0, 1e21),
    Place: ['Smith, "North"', "Line\nBreak", null, "Plain"],
  });
  const result = {
    identifiers,
    projections: matrix(4, 2, Float64Array.of(-0, 0.1 + 0.2, 1 / 3, -1e-300, 5e-324, 2 ** 53 + 2, -7, 0)),
    closestCluster: Int32Array.of(0, 1, 2, 0),
    distanceToCluster: Float64Array.of(0.25, -0, 1e-17, 123456.789),
  };
  for (const idColumns of [["Code", "Place"], ["Place"], ["Code"]]) {
    const read = parseAssignments(assignmentsHeader(idColumns, 2) + assignmentLines(result, idColumns));
    assert.deepStrictEqual(assignmentRows(result, idColumns), read, idColumns.join(","));
  }
});
