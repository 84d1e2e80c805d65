/**
 * Issue 5: automatic component names from the strongest positive and negative loadings, made distinct.
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { loadingsOf, nameComponent, nameComponents } from "../../src/explain/component-names.js";

describe("nameComponent", () => {
  test("two strongest positive features against the two strongest negative ones", () => {
    const l = loadingsOf(["White", "Income", "Hispanic", "Poverty", "Walk"], [0.6, 0.3, -0.4, -0.35, 0.01]);
    assert.equal(nameComponent(l), "White & Income vs Hispanic & Poverty");
  });

  test("a side whose loadings are tiny next to the strongest is left out", () => {
    const l = loadingsOf(["Black", "White", "Walk"], [0.8, -0.1, 0.05]);
    assert.equal(nameComponent(l), "Black");
  });

  test("a component with no variance says so", () => {
    assert.equal(nameComponent(loadingsOf(["a", "b"], [0, 0])), "(no variance)");
  });
});

describe("nameComponents", () => {
  test("components whose short names collide get a third feature, then a suffix", () => {
    const features = ["a", "b", "c", "d", "e", "f"];
    const names = nameComponents([
      loadingsOf(features, [0.5, 0.4, 0.3, -0.5, -0.4, -0.3]),
      loadingsOf(features, [0.5, 0.4, -0.3, -0.5, -0.4, 0.3]),
      loadingsOf(features, [0.5, 0.4, -0.3, -0.5, -0.4, 0.3]),
    ]);
    assert.equal(names[0], "a & b & c vs d & e & f");
    assert.equal(names[1], "a & b & f vs d & e & c");
    assert.equal(names[2], "a & b & f vs d & e & c (2)");
    assert.equal(new Set(names).size, 3);
  });

  test("distinct names are left as they are", () => {
    const f = ["x", "y"];
    assert.deepEqual(nameComponents([loadingsOf(f, [0.9, -0.4]), loadingsOf(f, [-0.4, 0.9])]), [
      "x vs y",
      "y vs x",
    ]);
  });
});
