/**
 * Histograms of the raw features, binned once in Node and stored in summary.json, so `strata report` can draw
 * the histogram of any feature (`--hist`) without the raw table. Bins are "nice": a step of 1, 2, 2.5 or 5
 * times a power of ten, starting at a multiple of the step, about as many bins as the notebook's 20.
 * @module
 */
import { wasmBinCounts } from "../linalg/wasm-columns.js";

/** Equal-width bins: bin i covers [start + i·step, start + (i+1)·step); the last bin includes the maximum. */
export interface Histogram {
  readonly start: number;
  readonly step: number;
  readonly counts: number[];
}

/**
 * The smallest nice step (1, 2, 2.5 or 5 × 10^n) of at least `span / maxBins`.
 * @example niceStep(100, 20) // 5
 */
export function niceStep(span: number, maxBins: number): number {
  if (!(span > 0)) return 1;
  const raw = span / maxBins;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  for (const m of [1, 2, 2.5, 5, 10]) if (m * magnitude >= raw * (1 - 1e-12)) return m * magnitude;
  return 10 * magnitude;
}

/**
 * Bins the finite values (NaN skipped) into at most about `maxBins` nice bins. The range and the counting run
 * in WebAssembly (linalg/wasm-columns.ts): a run bins every feature once (the census: 34 × 3,220 values),
 * and the JavaScript loops ran unoptimised, boxing a double per value.
 * @example histogram(Float64Array.of(0, 1, 2, 10), 5) // { start: 0, step: 2, counts: [2, 1, 0, 0, 0, 1] }
 */
export function histogram(values: ArrayLike<number>, maxBins = 20): Histogram {
  const column = values instanceof Float64Array ? values : Float64Array.from(values);
  let layout: { start: number; step: number } | undefined;
  const counts = wasmBinCounts(column, (min, max) => {
    // Values near ±1.8e308 overflow a difference (1e308 - -1e308 is Infinity): then the span is taken in
    // halves and offsets are divided before they are subtracted.
    const span = max - min;
    const step = Number.isFinite(span) ? niceStep(span, maxBins) : 2 * niceStep(max / 2 - min / 2, maxBins);
    const units = Math.floor(min / step);
    const exactStart = units * step;
    // Only -MAX_VALUE itself can round to a start below the range; the bins are counted in step units then.
    const start = Number.isFinite(exactStart) ? exactStart : -Number.MAX_VALUE;
    const wide = !Number.isFinite(exactStart) || !Number.isFinite(max - start);
    const offset = (v: number) => (wide ? v / step - units : (v - start) / step);
    layout = { start, step };
    return { start, step, units, wide, bins: Math.max(1, Math.ceil(offset(max) + 1e-9)) };
  });
  return counts === undefined || layout === undefined
    ? { start: 0, step: 1, counts: [] }
    : { start: layout.start, step: layout.step, counts };
}
