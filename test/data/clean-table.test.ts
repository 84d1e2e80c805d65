/**
 * cleanTable: the notebook's order (dropna, then the index, then dropping id columns), dropped rows named by
 * their index labels, the duplicate check on used rows only, and its errors.
 * @module
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { cleanTable } from "../../src/data/clean/clean-table.js";
import { Frame } from "../../src/data/frame.js";
import { isStrataError } from "../../src/errors.js";

const table = (): Frame =>
  Frame.fromColumns({
    Id: Float64Array.of(1, 2, 3, 4),
    State: ["Ohio", "Ohio", "Texas", "Texas"],
    County: ["Adams", "Adams", "Loving", "Lee"],
    Note: ["a", "b", "c", "d"],
    Pop: Float64Array.of(10, Number.NaN, 30, 40),
    Income: Float64Array.of(1, 2, Number.NaN, 4),
  });

describe("cleanTable", () => {
  test("drops incomplete rows first, so a duplicate among dropped rows is not an error", () => {
    const r = cleanTable(table().drop(["Note"]), { indexColumns: ["State", "County"], dropColumns: ["Id"] });
    assert.deepEqual(r.droppedRows, ["Ohio-Adams", "Texas-Loving"]);
    assert.deepEqual([r.loadedRows, r.usedRows], [4, 2]);
    assert.deepEqual(r.frame.index, ["Ohio-Adams", "Texas-Lee"]);
    assert.deepEqual(r.frame.columnNames, ["Pop", "Income"]);
    assert.deepEqual(r.ignoredTextColumns, []);
  });

  test("text columns that are neither index nor dropped are reported and left out of the features", () => {
    const r = cleanTable(table(), { indexColumns: ["State", "County"], dropColumns: ["Id"] });
    assert.deepEqual(r.ignoredTextColumns, ["Note"]);
    assert.deepEqual(r.frame.columnNames, ["Pop", "Income"]);
  });

  test("without index columns, labels stay the row positions", () => {
    const r = cleanTable(table());
    assert.deepEqual(r.droppedRows, ["1", "2"]);
    assert.deepEqual(r.frame.index, ["0", "3"]);
    assert.deepEqual(r.frame.columnNames, ["Id", "Pop", "Income"]);
  });

  test("duplicates among used rows are DUPLICATE_INDEX naming their data rows", () => {
    const f = Frame.fromColumns({
      State: ["Ohio", "Ohio"],
      County: ["Adams", "Adams"],
      Pop: Float64Array.of(1, 2),
    });
    assert.throws(
      () => cleanTable(f, { indexColumns: ["State", "County"] }),
      (e: unknown) => isStrataError(e, "DUPLICATE_INDEX") && e.message.includes('"Ohio-Adams" (rows 0, 1)'),
    );
  });

  test("an unknown index or drop column is MISSING_COLUMN; nothing left is NO_ROWS_LEFT", () => {
    assert.throws(
      () => cleanTable(table(), { indexColumns: ["Sate"] }),
      (e: unknown) => isStrataError(e, "MISSING_COLUMN"),
    );
    assert.throws(
      () => cleanTable(table(), { dropColumns: ["CensusId"] }),
      (e: unknown) => isStrataError(e, "MISSING_COLUMN"),
    );
    const empty = Frame.fromColumns({ x: Float64Array.of(Number.NaN, Number.NaN) });
    assert.throws(
      () => cleanTable(empty),
      (e: unknown) => isStrataError(e, "NO_ROWS_LEFT") && e.message.includes("2 rows"),
    );
  });
});
