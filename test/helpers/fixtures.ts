/**
 * Loads a JSON reference fixture from test/fixtures/ (see test/fixtures/scripts/ for how each was made).
 * @module
 */
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { PROJECT_ROOT } from "./census.js";

/** Parses test/fixtures/<name>. The caller states the expected shape. */
export function readFixture<T>(name: string): T {
  return JSON.parse(readFileSync(resolve(PROJECT_ROOT, "test/fixtures", name), "utf8")) as T;
}
