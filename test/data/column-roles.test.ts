/**
 * Issue 14: column roles from the data (clean/column-roles.ts): text and coded columns name rows, distinct
 * whole numbers with an id-like name (or counting the rows) are identifiers, constant and empty columns are
 * left out with their reason, the index is the first distinct text column or pair, and the user's choices win.
 * @module
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import fc from "fast-check";
import { cleanTable } from "../../src/data/clean/clean-table.js";
import { planColumns } from "../../src/data/clean/column-roles.js";
import { Frame } from "../../src/data/frame.js";
import { isStrataError } from "../../src/errors.js";

const customers = () =>
  Frame.fromColumns({
    customer_id: Float64Array.of(17, 4, 99, 23),
    Region: ["North", "South", "North", "East"],
    Name: ["Ann", "Bob", "Cy", "Di"],
    RowNo: Float64Array.of(1, 2, 3, 4),
    Spend: Float64Array.of(120, Number.NaN, 80, 40),
    Visits: Float64Array.of(3, 5, Number.NaN, 2),
    Country: ["US", "US", "US", "US"],
    Flag: Float64Array.of(1, 1, 1, 1),
    Empty: Float64Array.of(Number.NaN, Number.NaN, Number.NaN, Number.NaN),
    Paid: Float64Array.of(10, 20, 30, 40),
  });

describe("planColumns", () => {
  test("roles and reasons, in table order", () => {
    const plan = planColumns(customers());
    assert.deepEqual(
      plan.features,
      ["Spend", "Visits", "Paid"],
      "Paid is distinct whole numbers, but not named as an id",
    );
    assert.deepEqual(plan.index, ["Name"], "the first text column whose values are all distinct");
    assert.deepEqual(plan.identifiers, ["customer_id", "Region", "Name", "RowNo", "Country"]);
    assert.deepEqual(Object.fromEntries(plan.unused.map((u) => [u.column, u.reason])), {
      customer_id: "identifier: a distinct whole number per row",
      Region: "text",
      Name: "text, the row label",
      RowNo: "identifier: a distinct whole number per row",
      Country: "text",
      Flag: "constant: one value in every row",
      Empty: "empty: every value is missing",
    });
  });

  test("the first distinct pair of text columns when no single one is (the census's State and County)", () => {
    const f = Frame.fromColumns({
      State: ["Ohio", "Ohio", "Texas"],
      County: ["Adams", "Lee", "Adams"],
      Pop: Float64Array.of(1, 2, 3),
      Income: Float64Array.of(5, 2, 9),
    });
    assert.deepEqual(planColumns(f).index, ["State", "County"]);
  });

  test("the user's --index, --id, --features and --exclude win; names not in the data are named", () => {
    const plan = planColumns(customers(), { index: [], ids: ["customer_id"], features: ["Spend", "Paid"] });
    assert.deepEqual(plan.index, []);
    assert.deepEqual(plan.identifiers, ["customer_id"]);
    assert.deepEqual(plan.features, ["Spend", "Paid"]);
    assert.equal(plan.unused.find((u) => u.column === "Visits")!.reason, "not in --features");
    assert.equal(
      planColumns(customers(), { exclude: ["Paid"] }).unused.at(-1)!.reason,
      "excluded by --exclude",
    );
    assert.throws(
      () => planColumns(customers(), { features: ["Spnd"] }),
      (e: unknown) =>
        isStrataError(e, "MISSING_COLUMN") &&
        /--features names "Spnd", which is not in the data/.test(e.message),
    );
    assert.throws(
      () => planColumns(customers(), { features: ["Region"] }),
      (e: unknown) => isStrataError(e, "INVALID_ARGUMENT") && /"Region", a text column/.test(e.message),
    );
    assert.throws(
      () => planColumns(customers(), { exclude: ["Spend", "Visits", "Paid"] }),
      (e: unknown) =>
        isStrataError(e, "INVALID_ARGUMENT") && /No column is left to use as a feature/.test(e.message),
    );
  });
});

describe("edge cases found in review", () => {
  test("an id with a missing value or a repeat stays an identifier; a key named by --features is a feature, not the index", () => {
    const f = Frame.fromColumns({
      customer_id: Float64Array.of(5, Number.NaN, 7, 8),
      y: Float64Array.of(1, 2, 3, 4),
      x: Float64Array.of(0.5, 0.1, 0.9, 0.3),
    });
    const plan = planColumns(f);
    assert.equal(
      plan.unused.find((u) => u.column === "customer_id")!.reason,
      "identifier: whole numbers with an id's name",
    );
    assert.ok(!plan.features.includes("customer_id"));
    const chosen = planColumns(f, { features: ["x", "y"] });
    assert.deepEqual(chosen.features, ["y", "x"], "in table order");
    assert.ok(!chosen.index.includes("y"), "y counts the rows, but the user made it a feature");
  });

  test("a column named like assignments.csv's own is not kept beside the results, and asking for it is refused", () => {
    const f = Frame.fromColumns({
      closest_cluster: ["a", "b", "c"],
      Name: ["p", "q", "r"],
      v: Float64Array.of(1, 2, 4),
      w: Float64Array.of(3, 1, 2),
    });
    const plan = planColumns(f);
    assert.ok(!plan.identifiers.includes("closest_cluster"));
    assert.equal(
      plan.unused.find((u) => u.column === "closest_cluster")!.reason,
      "text, named like a column assignments.csv writes itself",
    );
    assert.throws(
      () => planColumns(f, { ids: ["closest_cluster"] }),
      (e: unknown) =>
        isStrataError(e, "INVALID_ARGUMENT") && /assignments\.csv writes itself/.test(e.message),
    );
  });
});

describe("cleanTable on the features only", () => {
  test("rows drop for missing feature values only, counted per column; --impute fills them instead", () => {
    const frame = customers();
    const plan = planColumns(frame);
    const drop = plan.unused.map((u) => u.column).filter((c) => !plan.index.includes(c));
    const dropped = cleanTable(frame, {
      indexColumns: plan.index,
      dropColumns: drop,
      features: plan.features,
    });
    assert.deepEqual(dropped.droppedRows, ["Bob", "Cy"]);
    assert.deepEqual(dropped.missingByColumn, { Spend: 1, Visits: 1 });
    const filled = cleanTable(frame, {
      indexColumns: plan.index,
      dropColumns: drop,
      features: plan.features,
      impute: "median",
    });
    assert.deepEqual(filled.droppedRows, []);
    assert.deepEqual(Array.from(filled.frame.column("Spend")), [120, 80, 80, 40]);
    assert.deepEqual(filled.imputed, { Spend: { count: 1, value: 80 }, Visits: { count: 1, value: 3 } });
    const mean = cleanTable(frame, {
      indexColumns: plan.index,
      dropColumns: drop,
      features: plan.features,
      impute: "mean",
    });
    assert.deepEqual(mean.imputed["Visits"], { count: 1, value: 10 / 3 });
  });
});

describe("planColumns' identifier rule", () => {
  test("an id-named column's role follows the rule written out with a Set (fast-check: repeats, gaps, fractions, ±0)", () => {
    const whole = (v: number) => Number.isFinite(v) && Math.floor(v) === v;
    // The rule as it reads: a key is whole, distinct and present in every row; an id-like column is whole where
    // present and at least 95% distinct there.
    const reference = (values: number[]): string | undefined => {
      const present = values.filter((v) => !Number.isNaN(v));
      if (present.length === 0) return "empty: every value is missing";
      if (present.every((v) => v === present[0])) return "constant: one value in every row";
      const distinct = new Set(present).size;
      if (present.length === values.length && present.every(whole) && distinct === present.length)
        return "identifier: a distinct whole number per row";
      if (present.every(whole) && distinct >= 0.95 * present.length)
        return "identifier: whole numbers with an id's name";
      return undefined;
    };
    const value = fc.oneof(
      fc.integer({ min: -40, max: 40 }),
      fc.constantFrom(Number.NaN, -0, 0.5),
      fc.integer({ min: 0, max: 10_000 }),
    );
    fc.assert(
      fc.property(fc.array(value, { minLength: 2, maxLength: 80 }), (values) => {
        const frame = Frame.fromColumns({
          customer_id: Float64Array.from(values),
          Spend: Float64Array.from(values, (_, i) => i * 1.5),
        });
        const plan = planColumns(frame);
        const reason = plan.unused.find((u) => u.column === "customer_id")?.reason;
        const want = reference(values);
        // A key that names no other column is the index as well.
        assert.equal(
          reason?.replace("identifier, the row label", "identifier: a distinct whole number per row"),
          want,
        );
      }),
      { numRuns: 500, seed: 20261208 },
    );
  });
});
