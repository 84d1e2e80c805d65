/**
 * The real census file end to end through the data layer: 3220 rows loaded, exactly Hawaii-Kalawao and
 * Texas-Loving dropped, 3218 used, 34 features in file order, and describe() equal to pandas' describe() of
 * the same frames (fixture made by test/fixtures/scripts/census_describe.py).
 * Tolerance: rtol 1e-12. Strata and pandas parse the same decimal strings and use the same quantile rule, so
 * min/max/quantiles and counts agree exactly; means and stds differ only by summation order (numpy pairwise
 * vs Strata's compensated sum), a few ulps.
 * @module
 */
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { before, describe, test } from "node:test";
import { type CleanResult, cleanTable } from "../../src/data/clean/clean-table.js";
import { planColumns } from "../../src/data/clean/column-roles.js";
import { DESCRIBE_STATS, describe as describeFrame } from "../../src/data/describe.js";
import type { Frame } from "../../src/data/frame.js";
import { loadTable } from "../../src/data/load.js";
import { censusCsvPath, PROJECT_ROOT } from "../helpers/census.js";
import { expectClose } from "../helpers/expect-close.js";

interface PandasDescribe {
  columns: string[];
  stats: Record<string, (number | null)[]>;
}
const fixture = JSON.parse(
  readFileSync(join(PROJECT_ROOT, "test/fixtures/census-describe.json"), "utf8"),
) as {
  data: { sha256: string };
  rows: { loaded: number; dropped: string[]; used: number };
  raw: PandasDescribe;
  cleaned: PandasDescribe;
};

function assertDescribeMatches(frame: Frame, expected: PandasDescribe, what: string): void {
  const actual = describeFrame(frame);
  assert.deepEqual(actual.columns, expected.columns, `${what}: columns`);
  for (const s of DESCRIBE_STATS) {
    const want = expected.stats[s]!.map((v) => (v === null ? Number.NaN : v));
    expectClose(actual.stats[s], want, { rtol: 1e-12 }, `${what} ${s}`);
  }
}

describe("census data layer", () => {
  let raw: Frame;
  let cleaned: CleanResult;
  before(async () => {
    raw = await loadTable(censusCsvPath());
    // The notebook's cleaning comes out of the general rules: index State-County, CensusId an id.
    const plan = planColumns(raw);
    assert.deepEqual(plan.index, ["State", "County"]);
    assert.deepEqual(plan.identifiers, ["CensusId", "State", "County"]);
    cleaned = cleanTable(raw, {
      indexColumns: plan.index,
      dropColumns: ["CensusId"],
      features: plan.features,
    });
  });

  test("the fixture was made from this exact file", () => {
    const sha = createHash("sha256").update(readFileSync(censusCsvPath())).digest("hex");
    assert.equal(sha, fixture.data.sha256);
  });

  test("3220 rows x 37 columns load, State and County as text", () => {
    assert.equal(raw.numRows, 3220);
    assert.equal(raw.columnNames.length, 37);
    assert.deepEqual(raw.stringColumnNames, ["State", "County"]);
    assert.deepEqual(raw.columnNames.slice(0, 4), ["CensusId", "State", "County", "TotalPop"]);
  });

  test("cleaning drops exactly Hawaii-Kalawao and Texas-Loving and keeps 34 features in file order", () => {
    assert.deepEqual(cleaned.droppedRows, ["Hawaii-Kalawao", "Texas-Loving"]);
    assert.deepEqual([cleaned.loadedRows, cleaned.usedRows], [3220, 3218]);
    assert.equal(cleaned.frame.numRows, 3218);
    assert.deepEqual(cleaned.frame.columnNames, fixture.cleaned.columns);
    assert.equal(cleaned.frame.columnNames.length, 34);
    assert.deepEqual(cleaned.frame.columnNames.slice(0, 2), ["TotalPop", "Men"]);
    assert.equal(cleaned.frame.columnNames.at(-1), "Unemployment");
    assert.deepEqual(cleaned.frame.index.slice(0, 2), ["Alabama-Autauga", "Alabama-Baldwin"]);
    assert.deepEqual(cleaned.droppedRows, fixture.rows.dropped);
  });

  test("describe of the raw frame equals pandas (numeric columns incl. CensusId)", () => {
    assertDescribeMatches(raw, fixture.raw, "raw");
  });

  test("describe of the cleaned frame equals pandas (34 features)", () => {
    assertDescribeMatches(cleaned.frame, fixture.cleaned, "cleaned");
  });

  test("toMatrix gives the 3218 x 34 feature matrix row-major", () => {
    const m = cleaned.frame.toMatrix();
    assert.deepEqual([m.rows, m.cols], [3218, 34]);
    assert.equal(m.data[0], 55221); // Alabama-Autauga TotalPop
    assert.equal(m.data[33], 7.6); // Alabama-Autauga Unemployment
  });
});
