/**
 * The rules of Hamerly's bounds that every Lloyd row loop (js-row-loops.ts, wasm-kernels.ts) shares: the kinds
 * of pass, the margin of the skip test, and how the bounds are stored.
 *
 * Hamerly's per-row bounds are kept as float32 — half the memory traffic of a pass that skips nearly every
 * row, which reads and writes little else — rounded outwards so they stay bounds. Both roundings are
 * branch-free (a clamp costs a branch per store: measured 4 ns per row of an 8 ns skip loop):
 * - up: v · (1 + 2⁻²²) + 2⁻¹⁴⁹, which float32's round-to-nearest (error ≤ 2⁻²⁴ relative for normal values,
 *   ≤ 2⁻¹⁵⁰ absolute for subnormal ones) cannot bring below v;
 * - down: v − |v| · 2⁻²² − 2⁻¹⁴⁹, likewise never above v, negative values included.
 * A bound beyond float32's range would become ±Infinity: Infinity is a valid upper bound, never a valid
 * lower one, so the engine uses bounds only when the data's bounding box is small enough that no bound can
 * reach 2¹²⁷ (see `boundsFit`).
 * @module
 */

/** Relative widening of an upper bound before the float32 store. */
export const F32_UP = 1 + 2 ** -22;
/** Relative widening of a lower bound before the float32 store. */
export const F32_WIDEN = 2 ** -22;
/** float32's smallest subnormal: covers the absolute rounding error below its normal range. */
export const F32_TINY = 2 ** -149;

/** `v` widened so that its float32 rounding is ≥ v. */
export function roundUp(v: number): number {
  return v * F32_UP + F32_TINY;
}

/** `v` widened so that its float32 rounding is ≤ v. */
export function roundDown(v: number): number {
  return v - Math.abs(v) * F32_WIDEN - F32_TINY;
}

/**
 * Whether float32 bounds are safe for rows within `diagonal` of each other (the data's bounding-box
 * diagonal): a bound moves by at most one diagonal per iteration, so 2⁹⁰ leaves room for 2³⁶ iterations
 * below float32's largest value (~2¹²⁸).
 */
export function boundsFit(diagonal: number): boolean {
  return diagonal < 2 ** 90;
}

/** Relative margin of every skip test: far above the rounding of the double-precision test itself. */
export const MARGIN = 1 + 1e-10;

/**
 * "full": no bounds (first pass of a restart, plain Lloyd); "bounded": Hamerly's skip on the upper bound;
 * "exact": the skip on the exact own distance, computed for every row (the last pass: exact inertia).
 */
export type PassKind = "full" | "bounded" | "exact";
