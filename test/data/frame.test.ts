/**
 * Frame: column access and its errors, select/drop/take, dropna (property: keeps exactly the rows with no
 * missing value, in order), the index from columns and its duplicate check, and the matrix round trip.
 * @module
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import fc from "fast-check";
import { Frame } from "../../src/data/frame.js";
import { isStrataError } from "../../src/errors.js";
import { fromRows, toRows } from "../../src/linalg/matrix.js";

const toy = (): Frame =>
  Frame.fromColumns({
    State: ["Ohio", "Ohio", "Iowa", null],
    County: ["Adams", "Allen", "Adams", "Lee"],
    Pop: Float64Array.of(10, Number.NaN, 30, 40),
    Income: Float64Array.of(1.5, 2.5, 3.5, 4.5),
  });

describe("Frame", () => {
  test("column names, kinds and default index", () => {
    const f = toy();
    assert.equal(f.numRows, 4);
    assert.deepEqual(f.columnNames, ["State", "County", "Pop", "Income"]);
    assert.deepEqual(f.numericColumnNames, ["Pop", "Income"]);
    assert.deepEqual(f.stringColumnNames, ["State", "County"]);
    assert.deepEqual(f.index, ["0", "1", "2", "3"]);
    assert.ok(f.hasColumn("Pop") && !f.hasColumn("pop"));
  });

  test("an unknown column is MISSING_COLUMN naming the available ones; a text column is not numeric", () => {
    const f = toy();
    assert.throws(
      () => f.column("Population"),
      (e: unknown) =>
        isStrataError(e, "MISSING_COLUMN") &&
        e.message.includes('"Population"') &&
        e.message.includes('"Income"'),
    );
    assert.throws(
      () => f.column("State"),
      (e: unknown) => isStrataError(e, "NON_NUMERIC_VALUE"),
    );
    assert.throws(
      () => f.drop(["Nope"]),
      (e: unknown) => isStrataError(e, "MISSING_COLUMN"),
    );
    assert.throws(
      () => f.select(["Pop", "Nope"]),
      (e: unknown) => isStrataError(e, "MISSING_COLUMN"),
    );
  });

  test("select keeps the given order; drop and selectNumeric do not touch the original", () => {
    const f = toy();
    assert.deepEqual(f.select(["Income", "State"]).columnNames, ["Income", "State"]);
    assert.deepEqual(f.drop(["State", "Pop"]).columnNames, ["County", "Income"]);
    assert.deepEqual(f.selectNumeric().columnNames, ["Pop", "Income"]);
    assert.deepEqual(f.columnNames, ["State", "County", "Pop", "Income"]);
  });

  test("take and rowsWhere subset rows with their labels", () => {
    const f = toy();
    const t = f.take([3, 0, 0]);
    assert.deepEqual(t.index, ["3", "0", "0"]);
    assert.deepEqual([...t.column("Income")], [4.5, 1.5, 1.5]);
    assert.deepEqual(t.stringColumn("County"), ["Lee", "Adams", "Adams"]);
    assert.deepEqual(f.rowsWhere((i) => f.column("Income")[i]! > 2).index, ["1", "2", "3"]);
    assert.throws(
      () => f.take([4]),
      (e: unknown) => isStrataError(e, "INVALID_ARGUMENT"),
    );
  });

  test("dropna drops rows with NaN or null anywhere and reports their labels", () => {
    const { frame, dropped } = toy().dropna();
    assert.deepEqual(dropped, ["1", "3"]);
    assert.deepEqual(frame.index, ["0", "2"]);
    assert.deepEqual([...frame.column("Pop")], [10, 30]);
  });

  test("withIndexFrom joins columns; duplicates are DUPLICATE_INDEX naming the value and rows", () => {
    const f = toy().take([0, 1, 2]);
    assert.deepEqual(f.withIndexFrom(["State", "County"]).index, ["Ohio-Adams", "Ohio-Allen", "Iowa-Adams"]);
    assert.deepEqual(f.withIndexFrom(["Income"]).index, ["1.5", "2.5", "3.5"]);
    assert.throws(
      () => f.withIndexFrom(["County"], "/"),
      (e: unknown) =>
        isStrataError(e, "DUPLICATE_INDEX") &&
        e.message.includes('"Adams" (rows 0, 2)') &&
        JSON.stringify(e.details["duplicates"]) === '{"Adams":["0","2"]}',
    );
  });

  test("toMatrix / fromMatrix round-trip row-major; withNumericColumns replaces columns", () => {
    const f = toy();
    const m = f.toMatrix(["Income", "Pop"]);
    assert.deepEqual([m.rows, m.cols], [4, 2]);
    assert.deepEqual(Array.from(m.data.subarray(0, 4)), [1.5, 10, 2.5, Number.NaN]);
    const back = Frame.fromMatrix(m, ["Income", "Pop"], f.index);
    assert.deepEqual(toRows(back.toMatrix()), toRows(m));
    const scaled = f.withNumericColumns(["Income"], fromRows([[0], [1], [2], [3]]));
    assert.deepEqual([...scaled.column("Income")], [0, 1, 2, 3]);
    assert.deepEqual(scaled.columnNames, f.columnNames);
    assert.deepEqual([...f.column("Income")], [1.5, 2.5, 3.5, 4.5], "original untouched");
    assert.throws(
      () => f.toMatrix(["State"]),
      (e: unknown) => isStrataError(e, "NON_NUMERIC_VALUE"),
    );
  });
});

/** A random frame: numeric columns with some NaN, text columns with some null. */
const frameArb = fc
  .record({
    rows: fc.integer({ min: 0, max: 30 }),
    numeric: fc.integer({ min: 0, max: 3 }),
    text: fc.integer({ min: 0, max: 2 }),
  })
  .chain(({ rows, numeric, text }) =>
    fc.record({
      numeric: fc.array(
        fc.array(fc.oneof(fc.double({ noNaN: true }), fc.constant(Number.NaN)), {
          minLength: rows,
          maxLength: rows,
        }),
        {
          minLength: numeric,
          maxLength: numeric,
        },
      ),
      text: fc.array(fc.array(fc.option(fc.string(), { freq: 4 }), { minLength: rows, maxLength: rows }), {
        minLength: text,
        maxLength: text,
      }),
      rows: fc.constant(rows),
    }),
  )
  .map(({ numeric, text, rows }) => {
    const cols: [string, Float64Array | (string | null)[]][] = [
      ...numeric.map((c, j) => [`n${j}`, Float64Array.from(c)] as [string, Float64Array]),
      ...text.map((c, j) => [`s${j}`, c] as [string, (string | null)[]]),
    ];
    return {
      frame: Frame.fromColumns(cols, { index: Array.from({ length: rows }, (_, i) => `r${i}`) }),
      cols,
    };
  });

describe("Frame properties", () => {
  test("dropna keeps exactly the rows without a missing value, in order, and lists the others", () => {
    fc.assert(
      fc.property(frameArb, ({ frame, cols }) => {
        const complete = (i: number): boolean =>
          cols.every(([, c]) => (c instanceof Float64Array ? !Number.isNaN(c[i]!) : c[i] !== null));
        const all = frame.index.map((_, i) => i);
        const { frame: kept, dropped } = frame.dropna();
        assert.deepEqual(
          kept.index,
          all.filter(complete).map((i) => `r${i}`),
        );
        assert.deepEqual(
          dropped,
          all.filter((i) => !complete(i)).map((i) => `r${i}`),
        );
        for (const [name] of cols) {
          assert.deepEqual(
            Array.from<number | string | null>(kept.columnData(name)),
            all.filter(complete).map((i) => frame.columnData(name)[i]),
          );
        }
      }),
      { numRuns: 200, seed: 20240601 },
    );
  });

  test("take then toMatrix equals selecting rows of toMatrix", () => {
    fc.assert(
      fc.property(frameArb, fc.array(fc.nat()), ({ frame }, picks) => {
        if (frame.numRows === 0) return;
        const rows = picks.map((p) => p % frame.numRows);
        const full = toRows(frame.toMatrix());
        assert.deepEqual(
          toRows(frame.take(rows).toMatrix()),
          rows.map((r) => full[r]),
        );
      }),
      { numRuns: 100, seed: 7 },
    );
  });

  test("toMatrix puts column j of row i at i·d + j, and fromMatrix undoes it, for any shape (fast-check)", () => {
    fc.assert(
      fc.property(fc.nat(40), fc.nat(7), fc.integer(), (rows, d, seed) => {
        const value = (i: number, j: number) => Math.sin(seed + i * 31 + j * 7) * 1e3;
        const names = Array.from({ length: d }, (_, j) => `c${j}`);
        const frame = Frame.fromColumns(
          names.map((name, j) => [name, Float64Array.from({ length: rows }, (_, i) => value(i, j))] as const),
          { index: Array.from({ length: rows }, (_, i) => `r${i}`) },
        );
        const m = frame.toMatrix();
        assert.equal(m.data.length, rows * d);
        for (let i = 0; i < rows; i++)
          for (let j = 0; j < d; j++) assert.equal(m.data[i * d + j], value(i, j));
        const back = Frame.fromMatrix(m, names, frame.index);
        for (const name of names) assert.deepEqual(back.column(name), frame.column(name));
      }),
      { numRuns: 200, seed: 20261208 },
    );
  });

  test("toMatrix and fromMatrix across the transpose's blocks of rows: 5,000 rows of 34 columns", () => {
    const [rows, d] = [5000, 34];
    const names = Array.from({ length: d }, (_, j) => `c${j}`);
    const frame = Frame.fromColumns(
      names.map((name, j) => [name, Float64Array.from({ length: rows }, (_, i) => i * 100 + j)] as const),
    );
    const m = frame.toMatrix();
    assert.ok(m.data.every((v, k) => v === Math.floor(k / d) * 100 + (k % d)));
    const back = Frame.fromMatrix(m, names);
    for (const name of names) assert.deepEqual(back.column(name), frame.column(name));
  });
});
