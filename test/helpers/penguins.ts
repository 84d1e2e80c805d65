/**
 * vega-datasets' penguins for the serving tests: the raw rows an endpoint takes, and the segments a run gave
 * the same rows (read with the report's own assignments.csv parser).
 * @module
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parseAssignments } from "../../src/report/report-input.js";
import { PROJECT_ROOT } from "./census.js";

export const PENGUINS = join(PROJECT_ROOT, "node_modules/vega-datasets/data/penguins.json");
const FEATURES = ["Beak Length (mm)", "Beak Depth (mm)", "Flipper Length (mm)", "Body Mass (g)"];

/** The first `n` penguins that have every measurement, as headerless CSV (what InvokeEndpoint takes). */
export function penguinRowsCsv(n: number): string {
  const penguins = JSON.parse(readFileSync(PENGUINS, "utf8")) as Record<string, number | null>[];
  const rows = penguins.filter((p) => FEATURES.every((f) => p[f] !== null)).slice(0, n);
  return `${rows.map((p) => FEATURES.map((f) => p[f]).join(",")).join("\n")}\n`;
}

/** The segments of the first `n` rows of a run's assignments.csv (the rows the run kept, in order). */
export function assignedClusters(outDir: string, n: number): number[] {
  return parseAssignments(readFileSync(join(outDir, "assignments.csv"), "utf8"))
    .slice(0, n)
    .map((r) => r.cluster);
}
