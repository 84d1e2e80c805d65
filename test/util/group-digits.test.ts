import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { groupDigits } from "../../src/util/group-digits.js";

test("groupDigits writes every number as toLocaleString('en-US') does (fast-check, seeded)", () => {
  for (const n of [
    0,
    -0,
    999,
    1000,
    -1234.5,
    1234567.891,
    0.0001234,
    1e21,
    Number.NaN,
    Number.POSITIVE_INFINITY,
  ])
    assert.equal(groupDigits(n), n.toLocaleString("en-US"), String(n));
  fc.assert(
    fc.property(fc.oneof(fc.double(), fc.integer(), fc.maxSafeInteger()), (n) => {
      assert.equal(groupDigits(n), n.toLocaleString("en-US"));
    }),
    { numRuns: 500, seed: 20261207 },
  );
  assert.equal(groupDigits(55221), "55,221");
});
