/**
 * Per-feature transforms applied before scaling, as practitioners of geodemographic classification apply them
 * to skewed counts and money (the UK's Output Area Classification uses an inverse hyperbolic sine): `log1p`
 * (log(1 + x), for values above −1) and `asinh` (defined everywhere, log-like for large |x|, linear near 0).
 * A transform is one function per feature (null: none), applied in place, with its inverse for mapping
 * results back to the original units.
 * @module
 */
import { quote, StrataError } from "../errors.js";
import type { Matrix } from "../linalg/matrix.js";

export const TRANSFORMS = ["log1p", "asinh"] as const;
export type TransformName = (typeof TRANSFORMS)[number];

/** One entry per feature, in feature order. */
export type FeatureTransforms = readonly (TransformName | null)[];

const forward: Record<TransformName, (v: number) => number> = { log1p: Math.log1p, asinh: Math.asinh };
const inverse: Record<TransformName, (v: number) => number> = { log1p: Math.expm1, asinh: Math.sinh };

/**
 * The transformed copy of `x` (n × d), each column by its function.
 * @throws StrataError NON_NUMERIC_VALUE naming the feature, the row and the value, for a log1p of −1 or less
 * @example applyTransforms(x, ["log1p", null], ["Income", "Poverty"])
 */
export function applyTransforms(x: Matrix, transforms: FeatureTransforms, names: readonly string[]): Matrix {
  const { rows, cols } = x;
  const out = Float64Array.from(x.data);
  for (let j = 0; j < cols; j++) {
    const name = transforms[j];
    if (name === null || name === undefined) continue;
    const f = forward[name];
    for (let i = 0; i < rows; i++) {
      const v = out[i * cols + j]!;
      const t = f(v);
      if (!Number.isFinite(t))
        throw new StrataError(
          "NON_NUMERIC_VALUE",
          `Row ${i + 1} of the features: ${quote(names[j] ?? `column ${j}`)} is ${v}, and ${name} needs values above −1; use asinh for it, or no transform.`,
          { details: { row: i + 1, column: j, value: String(v), transform: name } },
        );
      out[i * cols + j] = t;
    }
  }
  return { rows, cols, data: out };
}

/** A value of feature j back in its original units. */
export function invertTransform(v: number, name: TransformName | null | undefined): number {
  return name === null || name === undefined ? v : inverse[name](v);
}

/** Applies the forward functions to rows of a buffer in place (the serving pipeline's first stage). */
export function transformRowsInPlace(data: Float64Array, rows: number, transforms: FeatureTransforms): void {
  const d = transforms.length;
  for (let j = 0; j < d; j++) {
    const name = transforms[j];
    if (name === null || name === undefined) continue;
    const f = forward[name];
    for (let r = 0; r < rows; r++) data[r * d + j] = f(data[r * d + j]!);
  }
}
