/**
 * Issue 5: user names for components and segments (--component-names, --segment-names, --names file).
 */
import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, test } from "node:test";
import { isStrataError } from "../../src/errors.js";
import { applyNames, mergeOverrides, parseNameList, readNamesFile } from "../../src/explain/names.js";
import { tempDir } from "../helpers/cli.js";

describe("name overrides", () => {
  test("a list overrides in order and an empty item keeps the current name", () => {
    assert.deepEqual(parseNameList("Urban, ,Rural"), ["Urban", undefined, "Rural"]);
    assert.deepEqual(applyNames(["a", "b", "c"], parseNameList("x,,z"), "segment"), ["x", "b", "z"]);
  });

  test("more names than segments is an INVALID_ARGUMENT naming the flag", () => {
    assert.throws(
      () => applyNames(["a"], ["x", "y"], "segment"),
      (e: unknown) =>
        isStrataError(e) && e.code === "INVALID_ARGUMENT" && /--segment-names has 2 names/.test(e.message),
    );
  });

  test("a names file holds lists or objects keyed comp_N (from 1) and cluster ids (from 0)", () => {
    const dir = tempDir();
    const path = join(dir, "names.json");
    writeFileSync(
      path,
      JSON.stringify({ components: { comp_2: "Diversity" }, segments: ["Suburbs", "", "South"] }),
    );
    const names = readNamesFile(path);
    assert.deepEqual(names.components, [undefined, "Diversity"]);
    assert.deepEqual(names.segments, ["Suburbs", undefined, "South"]);
    const merged = mergeOverrides(names, { segments: [undefined, "Southwest"] });
    assert.deepEqual(merged.segments, ["Suburbs", "Southwest", "South"]);
  });

  test("a bad names file is reported with its path", () => {
    const path = join(tempDir(), "bad.json");
    writeFileSync(path, "[1, 2]");
    assert.throws(() => readNamesFile(path), /names file .*bad\.json is invalid/);
    assert.throws(
      () => readNamesFile(join(tempDir(), "missing.json")),
      (e: unknown) => isStrataError(e) && e.code === "SOURCE_NOT_FOUND",
    );
  });
});
