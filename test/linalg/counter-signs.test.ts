/**
 * Issue 15: the counter-based signs of randomized PCA. A row's signs are a function of (seed, row index) only,
 * balanced, and uncorrelated across components, neighbouring rows, rows 2³² apart, and seeds — each measured
 * on 200,000 signs against 5 standard errors of a fair coin (a correlation of ±1 signs has standard error
 * 1/√N). The first words are pinned: changing the generator changes every randomized model.
 * @module
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { rowSigns, signKey, signWord } from "../../src/linalg/counter-signs.js";

const ROWS = 10_000;
const COMPONENTS = 20;

/** signs[r·COMPONENTS + c] of rows firstRow … firstRow + ROWS − 1. */
function signsOf(seed: number, firstRow = 0): Float64Array {
  const key = signKey(seed);
  const out = new Float64Array(ROWS * COMPONENTS);
  for (let r = 0; r < ROWS; r++) rowSigns(key, firstRow + r, COMPONENTS, out, r * COMPONENTS);
  return out;
}

/** Mean of a[i]·b[i] over the pairs given (±1 values: the correlation). */
function meanProduct(pairs: [number, number][]): number {
  return pairs.reduce((sum, [a, b]) => sum + a * b, 0) / pairs.length;
}

describe("counter-based signs", () => {
  const signs = signsOf(0);
  const n = signs.length;
  const bound = 5 / Math.sqrt(n);

  test("the first words are pinned (a changed generator changes every randomized model)", () => {
    assert.equal(signKey(0), 3490253329);
    assert.equal(signWord(signKey(0), 0, 0), 743727149);
    assert.equal(signWord(signKey(7), 123_456, 1), 678666917);
    // Both halves of a seed count.
    assert.equal(signKey(2 ** 32), 1027204183);
  });

  test("every value is ±1, half of them each", () => {
    assert.ok(signs.every((s) => s === 1 || s === -1));
    const mean = signs.reduce((a, b) => a + b, 0) / n;
    assert.ok(Math.abs(mean) < bound, `mean ${mean}`);
  });

  test("a row's signs do not depend on the rows around it: bits 32 and up come from the next word", () => {
    const key = signKey(3);
    const wide = new Float64Array(70);
    rowSigns(key, 5, 70, wide, 0);
    const word = (w: number) => signWord(key, 5, w);
    for (let c = 0; c < 70; c++) assert.equal(wide[c], (word(c >> 5) >>> (c & 31)) & 1 ? -1 : 1, `sign ${c}`);
  });

  test("uncorrelated across components, neighbouring rows, far rows and seeds", () => {
    const across: [number, number][] = [];
    const down: [number, number][] = [];
    for (let r = 0; r < ROWS; r++)
      for (let c = 0; c < COMPONENTS; c++) {
        across.push([signs[r * COMPONENTS + c]!, signs[r * COMPONENTS + ((c + 1) % COMPONENTS)]!]);
        if (r + 1 < ROWS) down.push([signs[r * COMPONENTS + c]!, signs[(r + 1) * COMPONENTS + c]!]);
      }
    const far = signsOf(0, 2 ** 32);
    const otherSeed = signsOf(1);
    const zip = (a: Float64Array, b: Float64Array) => Array.from(a, (v, i): [number, number] => [v, b[i]!]);
    for (const [what, pairs] of [
      ["components c and c + 1", across],
      ["rows r and r + 1", down],
      ["rows r and r + 2³²", zip(signs, far)],
      ["seeds 0 and 1", zip(signs, otherSeed)],
    ] as const) {
      const correlation = meanProduct(pairs);
      assert.ok(Math.abs(correlation) < 5 / Math.sqrt(pairs.length), `${what}: correlation ${correlation}`);
    }
  });
});
