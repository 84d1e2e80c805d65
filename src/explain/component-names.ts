/**
 * Short automatic names for principal components, from their strongest loadings: the two largest positive
 * features against the two largest negative ones, e.g. "White & Drive vs Hispanic & Poverty". A component with
 * loadings of one sign only is named by its top features alone. Users can override names later (report issue).
 * @module
 */

export interface Loading {
  readonly feature: string;
  readonly weight: number;
}

/** Names one component from its loadings (any order). `perSide` features are taken from each sign. */
export function nameComponent(loadings: readonly Loading[], perSide = 2): string {
  const byWeight = [...loadings].sort((a, b) => b.weight - a.weight);
  const positive = byWeight.filter((l) => l.weight > 0).slice(0, perSide);
  const negative = byWeight
    .filter((l) => l.weight < 0)
    .reverse()
    .slice(0, perSide);
  const strongest = Math.max(...loadings.map((l) => Math.abs(l.weight)), 0);
  // A side whose best loading is tiny next to the strongest one says nothing about the component.
  const meaningful = (side: Loading[]) => side.filter((l) => Math.abs(l.weight) >= 0.25 * strongest);
  const pos = meaningful(positive).map((l) => l.feature);
  const neg = meaningful(negative).map((l) => l.feature);
  if (pos.length === 0 && neg.length === 0) return "(no variance)";
  if (neg.length === 0) return pos.join(" & ");
  if (pos.length === 0) return `vs ${neg.join(" & ")}`;
  return `${pos.join(" & ")} vs ${neg.join(" & ")}`;
}
