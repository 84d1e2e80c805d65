/**
 * Bad input for loadTable, each from a small file written to a temp directory: every failure has its own
 * code and a message naming the file, line, column or value involved. Also Parquet: a file written by
 * DuckDB's COPY loads to the same Frame as the CSV it came from.
 * @module
 */
import assert from "node:assert/strict";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { cleanTable } from "../../src/data/clean/clean-table.js";
import { sqlString, withConnection } from "../../src/data/duckdb.js";
import type { Frame } from "../../src/data/frame.js";
import { loadTable } from "../../src/data/load.js";
import { type ErrorCode, isStrataError } from "../../src/errors.js";

let dir: string;
before(async () => {
  dir = await mkdtemp(join(tmpdir(), "strata-load-"));
});
after(() => rm(dir, { recursive: true, force: true }));

async function csv(name: string, text: string): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, text);
  return path;
}

async function rejects(p: Promise<unknown>, code: ErrorCode, mentions: (string | RegExp)[]): Promise<void> {
  await assert.rejects(p, (e: unknown) => {
    assert.ok(isStrataError(e), `expected a StrataError, got ${String(e)}`);
    assert.equal(e.code, code, e.message);
    for (const m of mentions) {
      if (typeof m === "string")
        assert.ok(e.message.includes(m), `message should mention ${m}: ${e.message}`);
      else assert.match(e.message, m);
    }
    return true;
  });
}

function assertSameFrame(a: Frame, b: Frame): void {
  assert.deepEqual(a.columnNames, b.columnNames);
  assert.deepEqual(a.numericColumnNames, b.numericColumnNames);
  assert.deepEqual(a.index, b.index);
  for (const c of a.columnNames) assert.deepEqual(a.columnData(c), b.columnData(c), c);
}

describe("loadTable: bad input", () => {
  test("missing file: SOURCE_NOT_FOUND with the absolute path", async () => {
    const path = join(dir, "nope.csv");
    await rejects(loadTable(path), "SOURCE_NOT_FOUND", [path]);
  });

  test("empty file: EMPTY_DATA naming the file", async () => {
    const path = await csv("empty.csv", "");
    await rejects(loadTable(path), "EMPTY_DATA", [path, "empty"]);
  });

  test("header only: EMPTY_DATA naming the file", async () => {
    const path = await csv("header.csv", "State,County,TotalPop\r\n");
    await rejects(loadTable(path), "EMPTY_DATA", [path, "no data rows"]);
  });

  test("ragged row: CSV_RAGGED_ROW naming the line and the field counts", async () => {
    const path = await csv("ragged.csv", "a,b,c\r\n1,x,2.5\r\n2,y,3\r\n3,z,4,9\r\n4,w,5\r\n");
    await rejects(loadTable(path), "CSV_RAGGED_ROW", [path, "Line 4", "4 fields", "header has 3"]);
    const short = await csv("short.csv", 'a,b,c\n1,"x, quoted",2\n\n2,y\n');
    await rejects(loadTable(short), "CSV_RAGGED_ROW", ["Line 4", "2 fields"]);
  });

  test("unterminated quote: CSV_PARSE_ERROR naming the line", async () => {
    const path = await csv("quote.csv", 'a,b\n1,"never closed\n2,3\n');
    await rejects(loadTable(path), "CSV_PARSE_ERROR", ["line 2"]);
  });

  test("non-numeric value in a numeric column: NON_NUMERIC_VALUE naming column, line and value", async () => {
    const path = await csv("nonnum.csv", "id,name,income\n1,x,2.5\n2,y,abc\n3,z,\n4,w,7\n");
    await rejects(loadTable(path), "NON_NUMERIC_VALUE", ['"income"', "line 3", '"abc"', path]);
  });

  test("a bad value after DuckDB's type-sniffing sample is still NON_NUMERIC_VALUE with its line", async () => {
    const rows = Array.from({ length: 25_000 }, (_, i) => `${i},${i / 2}`).join("\n");
    const path = await csv("late.csv", `a,b\n${rows}\n7,oops\n`);
    await rejects(loadTable(path), "NON_NUMERIC_VALUE", ['"b"', "line 25002", '"oops"']);
  });

  test("a float after a sniffed-integer sample reads as a number", async () => {
    const rows = Array.from({ length: 25_000 }, (_, i) => `${i}`).join("\n");
    const frame = await loadTable(await csv("late-float.csv", `a\n${rows}\n1.5\n`));
    assert.equal(frame.column("a")[25_000], 1.5);
  });

  test("text columns stay text; pandas' missing markers read as missing", async () => {
    const path = await csv("na.csv", "State,County,Pop,Empty\nOhio,Adams,NA,\nOhio,NA,12,\nOhio,Allen,3,\n");
    const frame = await loadTable(path);
    assert.deepEqual(frame.stringColumnNames, ["State", "County"]);
    assert.deepEqual([...frame.column("Pop")], [Number.NaN, 12, 3]);
    assert.deepEqual(frame.stringColumn("County"), ["Adams", null, "Allen"]);
    assert.ok(frame.isNumeric("Empty"), "an all-missing column is numeric NaN, as in pandas");
  });

  test("duplicate index values: DUPLICATE_INDEX naming the value and its rows", async () => {
    const path = await csv("dupes.csv", "State,County,Pop\nOhio,Adams,1\nOhio,Allen,2\nOhio,Adams,3\n");
    const frame = await loadTable(path);
    assert.throws(
      () => cleanTable(frame, { indexColumns: ["State", "County"] }),
      (e: unknown) => isStrataError(e, "DUPLICATE_INDEX") && /"Ohio-Adams" \(rows 0, 2\)/.test(e.message),
    );
  });

  test("semicolon- and tab-separated files are read by their header's delimiter", async () => {
    const semi = await loadTable(await csv("semi.csv", "a;b\n1;2\n3;4\n"));
    const tab = await loadTable(await csv("tab.tsv", "a\tb\n1\t2\n3\t4\n"));
    assertSameFrame(semi, tab);
    assert.deepEqual([...semi.column("b")], [2, 4]);
  });
});

describe("loadTable: Parquet", () => {
  test("a Parquet copy of a CSV loads to the same Frame (by extension and by magic bytes)", async () => {
    const src = await csv(
      "small.csv",
      "CensusId,State,County,TotalPop,Income\r\n1001,Alabama,Autauga,55221,51281.0\r\n1003,Alabama,Baldwin,195121,\r\n15005,Hawaii,Kalawao,85,66250.5\r\n",
    );
    const fromCsv = await loadTable(src);
    const pq = join(dir, "small.parquet");
    const noExt = join(dir, "small-data");
    await withConnection(async (con) => {
      await con.run(
        `COPY (SELECT * FROM read_csv(${sqlString(src)}, header=true)) TO ${sqlString(pq)} (FORMAT parquet)`,
      );
      await con.run(
        `COPY (SELECT * FROM read_parquet(${sqlString(pq)})) TO ${sqlString(noExt)} (FORMAT parquet)`,
      );
    });
    assertSameFrame(await loadTable(pq), fromCsv);
    assertSameFrame(await loadTable(noExt), fromCsv);
    assert.ok(Number.isNaN(fromCsv.column("Income")[1]!));
  });

  test("a corrupt Parquet file is CSV_PARSE_ERROR naming the file", async () => {
    const path = join(dir, "broken.parquet");
    await writeFile(path, "PAR1 this is not parquet");
    await rejects(loadTable(path), "CSV_PARSE_ERROR", [path]);
  });
});
