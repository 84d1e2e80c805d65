/**
 * The scalers' statistics as algorithms of the contract (src/contract): per-column minimum and maximum
 * (MinMaxScaler), and count, mean and centred second moment (StandardScaler), merged with Chan, Golub &
 * LeVeque's pairwise update (1979). One round each; the model is the statistics.
 * @module
 */

import { checkChunkWidth, checkSameWidth } from "../contract/checks.js";
import type { AlgorithmRef, ShardAlgorithm } from "../contract/contract.js";
import { definedRef } from "../util/module-ref.js";

export interface MinMaxStats {
  readonly count: number;
  readonly dataMin: Float64Array;
  readonly dataMax: Float64Array;
}

export const MIN_MAX_STATS: ShardAlgorithm<null, MinMaxStats, MinMaxStats> = {
  name: "min-max statistics",
  empty: (_state, width) => ({
    count: 0,
    dataMin: new Float64Array(width).fill(Number.POSITIVE_INFINITY),
    dataMax: new Float64Array(width).fill(Number.NEGATIVE_INFINITY),
  }),
  update(p, chunk) {
    const d = p.dataMin.length;
    checkChunkWidth(chunk, d, this.name);
    const dataMin = new Float64Array(p.dataMin);
    const dataMax = new Float64Array(p.dataMax);
    for (let i = 0; i < chunk.rows; i++) widenRange(chunk.data, i * d, d, dataMin, dataMax);
    return { count: p.count + chunk.rows, dataMin, dataMax };
  },
  merge(a, b) {
    checkSameWidth(a.dataMin.length, b.dataMin.length, this.name);
    return {
      count: a.count + b.count,
      dataMin: a.dataMin.map((v, j) => Math.min(v, b.dataMin[j]!)),
      dataMax: a.dataMax.map((v, j) => Math.max(v, b.dataMax[j]!)),
    };
  },
  finalize: (merged) => ({ done: true, model: merged }),
};

export const MIN_MAX_STATS_REF: AlgorithmRef = definedRef(import.meta.url, "MIN_MAX_STATS", MIN_MAX_STATS);

export interface MomentStats {
  readonly count: number;
  readonly mean: Float64Array;
  /** Σ (x − mean)² per column. */
  readonly m2: Float64Array;
}

/** Chan et al.'s pairwise merge of two moment summaries. */
function mergeMoments(a: MomentStats, b: MomentStats): MomentStats {
  if (a.count === 0) return b;
  if (b.count === 0) return a;
  const n = a.count + b.count;
  const mean = new Float64Array(a.mean.length);
  const m2 = new Float64Array(a.mean.length);
  for (let j = 0; j < mean.length; j++) {
    const delta = b.mean[j]! - a.mean[j]!;
    mean[j] = a.mean[j]! + (delta * b.count) / n;
    m2[j] = a.m2[j]! + b.m2[j]! + (delta * delta * a.count * b.count) / n;
  }
  return { count: n, mean, m2 };
}

export const MOMENT_STATS: ShardAlgorithm<null, MomentStats, MomentStats> = {
  name: "moment statistics",
  empty: (_state, width) => ({ count: 0, mean: new Float64Array(width), m2: new Float64Array(width) }),
  update(p, chunk) {
    const d = p.mean.length;
    checkChunkWidth(chunk, d, this.name);
    if (chunk.rows === 0) return p;
    // Two passes over the chunk (mean, then squared deviations), then the pairwise merge.
    const mean = new Float64Array(d);
    for (let i = 0; i < chunk.rows; i++) for (let j = 0; j < d; j++) mean[j]! += chunk.data[i * d + j]!;
    for (let j = 0; j < d; j++) mean[j]! /= chunk.rows;
    const m2 = new Float64Array(d);
    for (let i = 0; i < chunk.rows; i++)
      for (let j = 0; j < d; j++) {
        const dev = chunk.data[i * d + j]! - mean[j]!;
        m2[j]! += dev * dev;
      }
    return mergeMoments(p, { count: chunk.rows, mean, m2 });
  },
  merge(a, b) {
    checkSameWidth(a.mean.length, b.mean.length, this.name);
    return mergeMoments(a, b);
  },
  finalize: (merged) => ({ done: true, model: merged }),
};

export const MOMENT_STATS_REF: AlgorithmRef = definedRef(import.meta.url, "MOMENT_STATS", MOMENT_STATS);

/**
 * Widens [dataMin, dataMax] to the row of `d` values at `off` (NaN widens nothing). A function per row so that
 * V8 optimises it after its first calls: a loop over a whole table inside a function that runs once stays
 * interpreted in a fresh process and boxes a double per value.
 */
function widenRange(
  data: Float64Array,
  off: number,
  d: number,
  dataMin: Float64Array,
  dataMax: Float64Array,
): void {
  for (let j = 0; j < d; j++) {
    const v = data[off + j]!;
    if (v < dataMin[j]!) dataMin[j] = v;
    if (v > dataMax[j]!) dataMax[j] = v;
  }
}
