/**
 * Maps points in the space of the kept principal components back to the original features in their own units:
 * inverse PCA with the kept components only (z·L + mean, in the scaled space), then inverse min-max scaling
 * (x' = dataMin + x·(dataMax − dataMin)). This is how a segment's centroid becomes "median household income
 * $X, Y% professional", and how a county's top features are estimated from its coordinates. Everything here
 * works on the plain arrays summary.json stores, so `strata report` needs no fitted model objects.
 * @module
 */
import { type FeatureTransforms, invertTransform } from "../preprocess/feature-transform.js";

/** The scaler of a run, as the back-mapping needs it: original = offset + scaled × factor, per feature. */
export type ScalerParams =
  | { readonly kind: "min-max"; readonly dataMin: readonly number[]; readonly dataMax: readonly number[] }
  | { readonly kind: "standard"; readonly mean: readonly number[]; readonly scale: readonly number[] };

/**
 * The back-mapping's two per-feature arrays for a scaler: min-max maps [0, 1] back onto [dataMin, dataMax];
 * standard maps z back to mean + z·scale, written as the range [mean, mean + scale].
 */
export function unscaleRange(s: ScalerParams): { dataMin: number[]; dataMax: number[] } {
  return s.kind === "min-max"
    ? { dataMin: [...s.dataMin], dataMax: [...s.dataMax] }
    : { dataMin: [...s.mean], dataMax: s.mean.map((m, j) => m + s.scale[j]!) };
}

/** The parameters of the mapping, as summary.json stores them. */
export interface BackMapping {
  /** kept × features: the loadings of the kept components, largest first. */
  readonly loadings: readonly (readonly number[])[];
  /** PCA mean of the scaled data, one per feature. */
  readonly mean: readonly number[];
  /** Per feature: original = dataMin + scaled × (dataMax − dataMin) (unscaleRange gives them for any scaler). */
  readonly dataMin: readonly number[];
  readonly dataMax: readonly number[];
  /** Per feature, the transform applied before scaling (inverted last), when the run used any. */
  readonly transforms?: FeatureTransforms | undefined;
}

/**
 * A point in component space (length kept) mapped to the scaled feature space (length features).
 * @example toScaled([0.1, -0.2], mapping) // z·L + mean
 */
export function toScaled(point: readonly number[], m: BackMapping): number[] {
  const out = [...m.mean];
  point.forEach((z, c) => {
    const row = m.loadings[c]!;
    for (let j = 0; j < out.length; j++) out[j]! += z * row[j]!;
  });
  return out;
}

/** A scaled value of feature j back in original units (inverse min-max scaling). */
export function unscale(value: number, j: number, m: BackMapping): number {
  const min = m.dataMin[j]!;
  const range = m.dataMax[j]! - min;
  return min + value * (range === 0 ? 1 : range);
}

/**
 * A point in component space mapped back to the original features in their own units.
 * @returns one value per feature, in feature order.
 * @example toOriginalUnits(centroid, mapping)[featureIndex("Income")] // dollars
 */
export function toOriginalUnits(point: readonly number[], m: BackMapping): number[] {
  return toScaled(point, m).map((v, j) => invertTransform(unscale(v, j, m), m.transforms?.[j]));
}

/**
 * Every centroid mapped back to original units: k × features.
 * @example segmentCentres(summary.kmeans.centroids, mapping)
 */
export function segmentCentres(centroids: readonly (readonly number[])[], m: BackMapping): number[][] {
  return centroids.map((c) => toOriginalUnits(c, m));
}

/**
 * How far a value in original units lies from the national median, in national standard deviations (0 when
 * the feature does not vary). The sign says above or below.
 */
export function standardDeviation(value: number, median: number, std: number): number {
  return std > 0 && Number.isFinite(std) ? (value - median) / std : 0;
}
