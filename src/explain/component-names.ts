/**
 * Short automatic names for principal components, from their strongest loadings: the two largest positive
 * features against the two largest negative ones, e.g. "White & Drive vs Hispanic & Poverty". A component with
 * loadings of one sign only is named by its top features alone. Components are sign-fixed (the largest
 * |loading| is positive), so the positive side always leads. Names are made distinct across components; users
 * override them with `--component-names` or a names file (see names.ts).
 * @module
 */
import { uniquify } from "./segment-names.js";

/** One feature's weight on a component. */
export interface Loading {
  readonly feature: string;
  readonly weight: number;
}

/** A side whose best loading is below this share of the strongest one says nothing about the component. */
const MEANINGFUL_SHARE = 0.25;

/**
 * Names one component from its loadings (any order). `perSide` features are taken from each sign.
 * @example nameComponent([{ feature: "White", weight: 0.5 }, { feature: "Hispanic", weight: -0.4 }]) // "White vs Hispanic"
 */
export function nameComponent(loadings: readonly Loading[], perSide = 2): string {
  const byWeight = [...loadings].sort((a, b) => b.weight - a.weight);
  const positive = byWeight.filter((l) => l.weight > 0).slice(0, perSide);
  const negative = byWeight
    .filter((l) => l.weight < 0)
    .reverse()
    .slice(0, perSide);
  const strongest = Math.max(...loadings.map((l) => Math.abs(l.weight)), 0);
  const meaningful = (side: Loading[]) =>
    side.filter((l) => Math.abs(l.weight) >= MEANINGFUL_SHARE * strongest);
  const pos = meaningful(positive).map((l) => l.feature);
  const neg = meaningful(negative).map((l) => l.feature);
  if (strongest === 0 || (pos.length === 0 && neg.length === 0)) return "(no variance)";
  if (neg.length === 0) return pos.join(" & ");
  if (pos.length === 0) return `vs ${neg.join(" & ")}`;
  return `${pos.join(" & ")} vs ${neg.join(" & ")}`;
}

/**
 * Names for every kept component, distinct from one another: components whose two-per-side names collide get
 * a third feature per side, and a numeric suffix as a last resort.
 * @param loadings one list of loadings per component, largest component first.
 * @example nameComponents(summary.pca.components.map((c) => c.top))
 */
export function nameComponents(loadings: readonly (readonly Loading[])[]): string[] {
  const names = loadings.map((l) => nameComponent(l));
  const counts = new Map<string, number>();
  for (const n of names) counts.set(n, (counts.get(n) ?? 0) + 1);
  const richer = names.map((n, i) => (counts.get(n)! > 1 ? nameComponent(loadings[i]!, 3) : n));
  return uniquify(richer);
}

/**
 * Pairs feature names with one row of loadings.
 * @example loadingsOf(["a", "b"], [0.6, -0.8]) // [{ feature: "a", weight: 0.6 }, { feature: "b", weight: -0.8 }]
 */
export function loadingsOf(features: readonly string[], weights: ArrayLike<number>): Loading[] {
  return features.map((feature, j) => ({ feature, weight: weights[j]! }));
}
