/**
 * The JavaScript reader of small CSV files (src/data/read-small-csv.ts) against DuckDB's path (read-duckdb.ts)
 * on generated files: whenever it reads a file, DuckDB reads the same names, kinds and values (bit for bit,
 * NaN for missing); where it declines, nothing is claimed. A share of the generated files must be read by it,
 * so the property cannot pass by declining everything. Then the real census, which must take the fast path.
 * @module
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { isDeepStrictEqual } from "node:util";
import fc from "fast-check";
import type { Frame } from "../../src/data/frame.js";
import { DEFAULT_NA_VALUES } from "../../src/data/load-options.js";
import { readFileWithDuckDb } from "../../src/data/read-duckdb.js";
import { readSmallCsv } from "../../src/data/read-small-csv.js";
import { censusCsvPath } from "../helpers/census.js";

const NA = new Set(DEFAULT_NA_VALUES);

/** Cells of every sort the reader must judge: numbers in and out of its grammar, markers, text, quoting. */
const plainNumberCell = fc.oneof(
  { weight: 20, arbitrary: fc.integer({ min: -1_000_000, max: 1_000_000 }).map(String) },
  {
    weight: 20,
    arbitrary: fc.double({ min: -1e6, max: 1e6, noNaN: true, noDefaultInfinity: true }).map(String),
  },
  { weight: 20, arbitrary: fc.integer({ min: 0, max: 99_999 }).map((x) => (x / 100).toFixed(2)) },
  {
    weight: 3,
    arbitrary: fc.constantFrom(
      "0",
      "-0",
      "1e5",
      "2.5E-3",
      "-7e+2",
      "12345678901234567890",
      "0.1234567890123456789",
    ),
  },
);
/** Numbers, and in some files (`extremes`) ones beyond a double's range. */
const numberCell = (extremes: boolean) =>
  extremes ? fc.oneof(plainNumberCell, fc.constantFrom("1e400", "1e-400")) : plainNumberCell;
const oddCell = fc.constantFrom(
  "",
  "NA",
  "nan",
  "NULL",
  "#N/A",
  "007",
  "00",
  " 5",
  "5 ",
  "+5",
  ".5",
  "5.",
  "inf",
  "-Infinity",
  "0x1F",
  "1_000",
  "true",
  "false",
  "2020-01-05",
  "12:30",
  "Ohio",
  "New York",
  "Doña Ana",
  "Nantucket",
  "a,b",
  'say "hi"',
  "two\nlines",
);
const wordCell = fc.constantFrom("Ohio", "Texas", "Doña Ana", "Kalawao", "St. Louis", "x");

type Kind = "numbers" | "words" | "mixed";
const column = fc.record({
  kind: fc.constantFrom<Kind>("numbers", "numbers", "numbers", "words", "words", "mixed"),
  name: fc.constantFrom("a", "Income", "Total Pop", "x1", "Men", "名前", '"q"', "b;c"),
});

/** A cell as written: quoted when it must be (or sometimes when it need not be). */
function written(cell: string, delimiter: string, quoteAnyway: boolean): string {
  const needs = cell.includes(delimiter) || cell.includes('"') || cell.includes("\n") || cell.includes("\r");
  return needs || quoteAnyway ? `"${cell.replaceAll('"', '""')}"` : cell;
}

const csvFile = fc
  .record({
    columns: fc.uniqueArray(column, { minLength: 1, maxLength: 5, selector: (c) => c.name }),
    badName: fc.constantFrom(undefined, undefined, undefined, undefined, undefined, undefined, "", "a"),
    extremes: fc.boolean(),
    oddWords: fc.boolean(),
    rows: fc.integer({ min: 0, max: 40 }),
    delimiter: fc.constantFrom(",", ",", ";", "\t", "|"),
    lineEnd: fc.constantFrom("\n", "\n", "\r\n"),
    ending: fc.constantFrom("", "one", "one", "blank"),
    bom: fc.boolean(),
    seed: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
    quoteRate: fc.constantFrom(0, 0, 0.05),
  })
  .chain((f) =>
    fc
      .array(
        fc.tuple(
          ...f.columns.map((c) =>
            c.kind === "numbers"
              ? fc.oneof(
                  { weight: 12, arbitrary: numberCell(f.extremes) },
                  { weight: 1, arbitrary: fc.constantFrom("", "NA") },
                )
              : c.kind === "words"
                ? f.oddWords
                  ? fc.oneof({ weight: 10, arbitrary: wordCell }, { weight: 1, arbitrary: oddCell })
                  : wordCell
                : fc.oneof(numberCell(f.extremes), oddCell, wordCell),
          ),
        ),
        { minLength: f.rows, maxLength: f.rows },
      )
      .map((rows) => {
        const quoteAnyway = (k: number) => f.quoteRate > 0 && k % 20 === 0;
        const names: string[] = f.columns.map((c) => c.name);
        if (f.badName !== undefined) names[names.length - 1] = f.badName; // empty, or maybe a repeat
        const header = names.map((name, k) => written(name, f.delimiter, quoteAnyway(k))).join(f.delimiter);
        const lines = rows.map((cells, r) =>
          cells.map((cell, k) => written(cell, f.delimiter, quoteAnyway(r * 7 + k + 1))).join(f.delimiter),
        );
        const end = f.ending === "" ? "" : f.ending === "one" ? f.lineEnd : f.lineEnd + f.lineEnd;
        return `${f.bom ? "\ufeff" : ""}${[header, ...lines].join(f.lineEnd)}${end}`;
      }),
  );

function assertSameFrame(js: Frame, duck: Frame, text: string): void {
  assert.deepEqual(js.columnNames, duck.columnNames, text);
  assert.equal(js.numRows, duck.numRows, text);
  for (const name of js.columnNames) {
    assert.equal(js.isNumeric(name), duck.isNumeric(name), `column ${name} kind\n${text}`);
    assert.ok(
      isDeepStrictEqual(js.columnData(name), duck.columnData(name)),
      `column ${name} values\n${text}`,
    );
  }
}

describe("read-small-csv: the same Frame as DuckDB's path, or none", () => {
  let dir = "";
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), "strata-small-csv-"));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("agrees with DuckDB on every generated file it reads", async () => {
    let read = 0;
    let runs = 0;
    await fc.assert(
      fc.asyncProperty(csvFile, async (text) => {
        runs++;
        const path = join(dir, `t${runs}.csv`);
        await writeFile(path, text);
        const js = readSmallCsv(readFileSync(path), NA);
        if (js === undefined) return;
        read++;
        let duck: Frame;
        try {
          duck = await readFileWithDuckDb(path, "csv", "none");
        } catch (e) {
          assert.fail(`the JS reader read a file DuckDB refuses (${(e as Error).message})\n${text}`);
        }
        assertSameFrame(js, duck, JSON.stringify(text));
      }),
      { numRuns: 300, seed: 20261208 },
    );
    // Not vacuous: a fifth of the files at least take the fast path (a quarter did at this seed; half the
    // files hold a number beyond a double's range somewhere, which DuckDB must judge).
    assert.ok(read >= runs * 0.2, `the JS reader read ${read} of ${runs} files`);
  });

  it("declines what only DuckDB can judge, and reads the plain cases", () => {
    const cases: [string, boolean][] = [
      ["a,b\n1,2\n3,4\n", true],
      ["a,b\r\n1,2\r\n3,4", true],
      ["a,b\n1,2\n\n3,4\n\n\n", true],
      ["a,b\n1,2,3\n", false], // ragged
      ["a,b\n1\n", false],
      ["a,a\n1,2\n", false], // repeated name
      ["a,b\n007,1\n", false], // zero-padded code
      ["a\n1\n\n2\n", false], // a blank line in one column
      ["a,b\n1,x\n2,3\n", false], // mostly numbers with a bad cell: DuckDB names it
      ['a,b\n"1,2\n', false], // unclosed quote
      ["a,b\r1,2\r", false], // bare CR
      ["a,b\n", false], // no rows
    ];
    for (const [text, readable] of cases) {
      assert.equal(readSmallCsv(Buffer.from(text), NA) !== undefined, readable, JSON.stringify(text));
    }
    const f = readSmallCsv(Buffer.from('name,x\n"Doña Ana, NM",1.5\nNA,-2e1\nOhio,\n'), NA)!;
    assert.deepEqual(f.stringColumn("name"), ["Doña Ana, NM", null, "Ohio"]);
    assert.deepEqual([...f.column("x")], [1.5, -20, Number.NaN]);
  });

  it("reads the census itself, equal to DuckDB's reading", async () => {
    const path = censusCsvPath();
    const js = readSmallCsv(readFileSync(path), NA);
    assert.ok(js, "the census takes the fast path");
    assert.equal(js.numRows, 3220);
    assertSameFrame(js, await readFileWithDuckDb(path, "csv", "none"), path);
  });
});
