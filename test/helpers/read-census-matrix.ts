/**
 * A test-only reader for the census CSV, independent of src/data (which is written in parallel): split on
 * CRLF/LF, split on commas (the file has no quoted fields — checked below), drop rows with an empty cell
 * (the notebook's `dropna()`: 3,220 → 3,218), drop CensusId, State and County, and label each row
 * "State-County" as the notebook's index does.
 * @module
 */
import { readFileSync } from "node:fs";
import { type Matrix, matrix } from "../../src/linalg/matrix.js";
import { censusCsvPath } from "./census.js";

export interface CensusMatrix {
  /** 3218×34, row-major, in file order. */
  readonly matrix: Matrix;
  /** The 34 numeric column names, in file order. */
  readonly featureNames: string[];
  /** "State-County" per row. */
  readonly index: string[];
}

const DROPPED = ["CensusId", "State", "County"];
let cached: CensusMatrix | undefined;

/** Reads (once per process) the census CSV as a dense matrix. Callers must not modify the result. */
export function readCensusMatrix(): CensusMatrix {
  if (cached !== undefined) return cached;
  const text = readFileSync(censusCsvPath(), "utf8");
  if (text.includes('"')) throw new Error("census CSV has quoted fields; this tiny parser cannot read it");
  const lines = text.split(/\r?\n/).filter((line) => line.length > 0);
  const header = lines[0]!.split(",");
  const keep = header.map((name, j) => (DROPPED.includes(name) ? -1 : j)).filter((j) => j >= 0);
  const stateAt = header.indexOf("State");
  const countyAt = header.indexOf("County");
  const values: number[] = [];
  const index: string[] = [];
  for (const line of lines.slice(1)) {
    const cells = line.split(",");
    if (cells.length !== header.length) throw new Error(`ragged census line: ${line.slice(0, 40)}`);
    if (cells.some((c) => c.trim() === "")) continue;
    for (const j of keep) {
      const v = Number(cells[j]);
      if (!Number.isFinite(v)) throw new Error(`non-numeric census cell ${JSON.stringify(cells[j])}`);
      values.push(v);
    }
    index.push(`${cells[stateAt]}-${cells[countyAt]}`);
  }
  const m = matrix(index.length, keep.length, Float64Array.from(values));
  cached = { matrix: m, featureNames: keep.map((j) => header[j]!), index };
  return cached;
}
