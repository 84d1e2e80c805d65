/**
 * Agreement between two clusterings of the same rows, independent of how clusters are numbered: the adjusted
 * Rand index (Hubert & Arabie 1985), as scikit-learn's `adjusted_rand_score`. Tests use it to compare
 * K-Means runs "up to relabelling"; it is also what a report shows when two fits are compared.
 * @module
 */
import { StrataError } from "../errors.js";
import type { Labels } from "./metrics.js";

function choose2(n: number): number {
  return (n * (n - 1)) / 2;
}

/**
 * The adjusted Rand index of two labelings: 1 for identical partitions (whatever the label values), about 0
 * for independent ones. Like scikit-learn, returns 1 when both put every row in one cluster or every row in
 * its own cluster.
 *
 * @throws StrataError INVALID_ARGUMENT when the lengths differ
 * @example
 * adjustedRandIndex([0, 0, 1, 1], [5, 5, 2, 2]); // 1
 */
export function adjustedRandIndex(a: Labels, b: Labels): number {
  if (a.length !== b.length) {
    throw new StrataError("INVALID_ARGUMENT", `adjustedRandIndex got ${a.length} and ${b.length} labels.`, {
      details: { a: a.length, b: b.length },
    });
  }
  const n = a.length;
  const pairs = new Map<string, number>();
  const rowsA = new Map<number, number>();
  const rowsB = new Map<number, number>();
  for (let i = 0; i < n; i++) {
    const key = `${a[i]},${b[i]}`;
    pairs.set(key, (pairs.get(key) ?? 0) + 1);
    rowsA.set(a[i]!, (rowsA.get(a[i]!) ?? 0) + 1);
    rowsB.set(b[i]!, (rowsB.get(b[i]!) ?? 0) + 1);
  }
  if ((rowsA.size === 1 && rowsB.size === 1) || (rowsA.size === n && rowsB.size === n) || n < 2) return 1;
  let index = 0;
  for (const c of pairs.values()) index += choose2(c);
  let sumA = 0;
  for (const c of rowsA.values()) sumA += choose2(c);
  let sumB = 0;
  for (const c of rowsB.values()) sumB += choose2(c);
  const expected = (sumA * sumB) / choose2(n);
  const max = (sumA + sumB) / 2;
  return max === expected ? 0 : (index - expected) / (max - expected);
}
