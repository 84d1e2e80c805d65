/**
 * Issue 14, "input formats by content, not by extension": JSON arrays and JSON Lines, Parquet, Arrow IPC, CSV
 * with any delimiter, gzip and zstd, each read into the same table whatever the file is called; a file that
 * is no table is refused naming what it looks like; zero-padded codes stay text.
 * @module
 */
import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { before, describe, test } from "node:test";
import { gzipSync } from "node:zlib";
import { tableFromArrays, tableToIPC } from "apache-arrow";
import { withConnection } from "../../src/data/duckdb.js";
import { loadTable } from "../../src/data/load.js";
import { detectTableFormat } from "../../src/data/table-format.js";
import { isStrataError } from "../../src/errors.js";
import { tempDir } from "../helpers/cli.js";

const ROWS = [
  { Code: "00501", Place: "Holtsville", Income: 51000.5, Poverty: 12.5 },
  { Code: "01001", Place: "Agawam", Income: 62000, Poverty: 8 },
  { Code: "99950", Place: "Ketchikan", Income: 70250.25, Poverty: 6.5 },
];
const csv = (sep: string) =>
  `${Object.keys(ROWS[0]!).join(sep)}\n${ROWS.map((r) => Object.values(r).join(sep)).join("\n")}\n`;

let dir: string;
const file = (name: string, bytes: string | Uint8Array) => {
  const path = join(dir, name);
  writeFileSync(path, bytes);
  return path;
};

/** The table as plain rows, whatever the format gave. */
async function rowsOf(path: string) {
  const frame = await loadTable(path);
  assert.deepEqual(frame.columnNames, ["Code", "Place", "Income", "Poverty"], path);
  assert.deepEqual(frame.numericColumnNames, ["Income", "Poverty"], `${path}: Code stays text`);
  return Array.from({ length: frame.numRows }, (_, i) => ({
    Code: frame.stringColumn("Code")[i],
    Place: frame.stringColumn("Place")[i],
    Income: frame.column("Income")[i],
    Poverty: frame.column("Poverty")[i],
  }));
}

describe("table formats by content", () => {
  before(() => {
    dir = tempDir("strata-formats-");
  });

  test("CSV, TSV, semicolons, JSON array, JSON Lines, Arrow IPC, gzip, Parquet and zstd: the same rows, whatever the name", async () => {
    const arrow = tableToIPC(
      tableFromArrays({
        Code: ROWS.map((r) => r.Code),
        Place: ROWS.map((r) => r.Place),
        Income: Float64Array.from(ROWS.map((r) => r.Income)),
        Poverty: Float64Array.from(ROWS.map((r) => r.Poverty)),
      }),
      "file",
    );
    const sources = [
      file("comma.txt", csv(",")),
      file("tabs.data", csv("\t")),
      file("semi.csv", csv(";")),
      file("array.dat", JSON.stringify(ROWS)),
      file("lines.log", `${ROWS.map((r) => JSON.stringify(r)).join("\n")}\n`),
      file("table.bin", arrow),
      file("zipped", gzipSync(csv(","))),
      file("zipped-json", gzipSync(JSON.stringify(ROWS))),
    ];
    const parquet = join(dir, "table.noext");
    const zstd = join(dir, "table.csv.zst");
    await withConnection(async (con) => {
      await con.run(
        `COPY (SELECT * FROM read_csv('${sources[0]}', types={'Code': 'VARCHAR'})) TO '${parquet}' (FORMAT parquet)`,
      );
      await con.run(
        `COPY (SELECT * FROM read_csv('${sources[0]}', types={'Code': 'VARCHAR'})) TO '${zstd}' (FORMAT csv, COMPRESSION zstd)`,
      );
    });
    assert.deepEqual(await detectTableFormat(parquet), { format: "parquet", compression: "none" });
    assert.deepEqual(await detectTableFormat(zstd), { format: "csv", compression: "zstd" });
    assert.deepEqual(await detectTableFormat(sources[6]!), { format: "csv", compression: "gzip" });
    assert.deepEqual(await detectTableFormat(sources[7]!), { format: "json", compression: "gzip" });
    for (const path of [...sources, parquet, zstd]) assert.deepEqual(await rowsOf(path), ROWS, path);
  });

  test("one width with leading zeros is a code; mixed widths with a stray 05 are numbers; gzip around Parquet is named", async () => {
    const codes = file("codes.csv", "zip,hours,v\n00501,5,1\n12345,05,2\n99950,13,3\n");
    const frame = await loadTable(codes);
    assert.deepEqual(frame.numericColumnNames, ["hours", "v"]);
    assert.deepEqual(frame.stringColumn("zip"), ["00501", "12345", "99950"]);
    const parquet = join(dir, "inner.parquet");
    await withConnection((con) => con.run(`COPY (SELECT 1 AS a) TO '${parquet}' (FORMAT parquet)`));
    const zipped = file("outer.parquet.gz", gzipSync(readFileSync(parquet)));
    await assert.rejects(loadTable(zipped), (e: unknown) => {
      assert.ok(isStrataError(e, "UNSUPPORTED_SOURCE"));
      assert.match((e as Error).message, /is Parquet inside gzip/);
      return true;
    });
  });

  test("what the first sniff (2,048 rows) cannot see is read as the whole file says: text, codes and bad cells further down", async () => {
    // 6,000 rows: "note" is numbers for 2,500 rows, then words (mostly text: a text column); "mostly" is numbers
    // but for one word at row 5,000 (mostly numbers: DOUBLE, and the bad cell is named); "zip" is numbers until
    // a zero-padded code at row 4,000 (codes at one width: text).
    const lines = ["id,note,zip,v"];
    for (let i = 1; i <= 6000; i++)
      lines.push(`${i},${i <= 2500 ? i : `word${i}`},${i === 4000 ? "01001" : String(10000 + i)},${i / 2}`);
    const frame = await loadTable(file("late.csv", `${lines.join("\n")}\n`));
    assert.equal(frame.numRows, 6000);
    assert.deepEqual(frame.numericColumnNames, ["id", "v"]);
    assert.equal(frame.stringColumn("note")[2499], "2500");
    assert.equal(frame.stringColumn("note")[2500], "word2501");
    assert.equal(frame.stringColumn("zip")[3999], "01001");
    assert.equal(frame.stringColumn("zip")[0], "10001");

    const bad = ["id,mostly"];
    for (let i = 1; i <= 6000; i++) bad.push(`${i},${i === 5000 ? "oops" : i / 4}`);
    await assert.rejects(loadTable(file("bad-late.csv", `${bad.join("\n")}\n`)), (e: unknown) => {
      assert.ok(isStrataError(e, "NON_NUMERIC_VALUE"), String(e));
      assert.match((e as Error).message, /line 5001/);
      assert.match((e as Error).message, /mostly/);
      return true;
    });
  });

  test("a file that is no table is refused, naming what it looks like", async () => {
    const cases: [string, Uint8Array, RegExp][] = [
      [
        "book.csv",
        Buffer.from([0x50, 0x4b, 0x03, 0x04, 1, 2, 3]),
        /looks like a ZIP archive \(an Excel \.xlsx file is one/,
      ],
      ["scan.csv", Buffer.from("%PDF-1.7\n..."), /looks like a PDF document/],
      ["image.csv", Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a]), /looks like a PNG image/],
      ["db.csv", Buffer.from("SQLite format 3\u0000..."), /looks like an SQLite database/],
      ["blob.csv", Buffer.from([1, 2, 0, 4, 5]), /looks like binary data/],
    ];
    for (const [name, bytes, pattern] of cases)
      await assert.rejects(loadTable(file(name, bytes)), (e: unknown) => {
        assert.ok(isStrataError(e, "UNSUPPORTED_SOURCE"), String(e));
        assert.match((e as Error).message, pattern);
        return true;
      });
  });
});
