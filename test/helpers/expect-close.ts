/**
 * One tolerance helper for every numeric comparison in the tests. It reports the worst index, the two values
 * and the difference, so a failure says where and by how much, not just "not equal".
 * @module
 */
import assert from "node:assert/strict";

export interface Tolerance {
  /** Relative tolerance (fraction of |expected|). */
  readonly rtol?: number;
  /** Absolute tolerance. */
  readonly atol?: number;
}

/** Asserts |actual - expected| <= atol + rtol * |expected| elementwise. */
export function expectClose(
  actual: ArrayLike<number> | number,
  expected: ArrayLike<number> | number,
  { rtol = 0, atol = 0 }: Tolerance,
  what = "value",
): void {
  const a = typeof actual === "number" ? [actual] : actual;
  const e = typeof expected === "number" ? [expected] : expected;
  assert.equal(a.length, e.length, `${what}: length ${a.length}, expected ${e.length}`);
  let worst = -1;
  let worstExcess = 0;
  for (let i = 0; i < a.length; i++) {
    const ai = a[i]!;
    const ei = e[i]!;
    if (Number.isNaN(ai) && Number.isNaN(ei)) continue;
    const diff = Math.abs(ai - ei);
    const excess = diff - (atol + rtol * Math.abs(ei));
    if (!(excess <= 0) && (worst < 0 || excess > worstExcess || Number.isNaN(excess))) {
      worst = i;
      worstExcess = excess;
    }
  }
  if (worst >= 0) {
    const ai = a[worst]!;
    const ei = e[worst]!;
    assert.fail(
      `${what}[${worst}] = ${ai}, expected ${ei} (|diff| ${Math.abs(ai - ei)} > atol ${atol} + rtol ${rtol} x |expected|)`,
    );
  }
}
