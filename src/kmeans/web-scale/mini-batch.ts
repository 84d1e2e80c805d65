/**
 * One mini-batch step of SageMaker's web-scale k-means (spec §2.2): Sculley's mini-batch k-means ("Web-scale
 * k-means clustering", WWW 2010) as SageMaker modifies it, with a learning rate per centre and per batch
 * instead of per point. Every row of the batch is assigned to its nearest centre as the centres stood when
 * the batch began (ties: the lowest index, as everywhere in Strata); then each centre c with o points behind
 * it and m new ones moves by
 *
 *   p = m / (o + m),   c ← (1 − p)·c + p·mean(new points of c),   o ← o + m,
 *
 * so a centre is always the mean of every point ever assigned to it (Sculley's per-point rate 1/count, applied
 * to the batch at once). With `half_life_time_size` h > 0 a point's weight halves after h further points: the
 * batch's B points arrive together, so before the update every centre's weight is multiplied by 2^(−B/h) —
 * the centre stays the mean of its points, each weighted by 2^(−(points after it)/h) (the batch's own points
 * count 1). With sample weights, a row of weight w counts as w points everywhere (in m, the mean and B).
 *
 * The assignment and the batch's sums run in batch-kernel.ts's WebAssembly SIMD loop, or where it cannot run
 * in batch-loop.ts's compiled JavaScript loop: the same bits either way. The step
 * mutates the centres it is given: a shard's stream owns them (shard-stream.ts).
 * @module
 */
import { assignBatch } from "./batch-kernel.js";
import { batchLoop } from "./batch-loop.js";

/** A shard's weighted centres while it streams: `count` rows of `d` values, one weight (count) per centre. */
export interface StreamingCentres {
  readonly count: number;
  readonly d: number;
  /** count × d, row-major; updated in place. */
  readonly centres: Float64Array;
  /** count: each centre's (decayed) number of points; updated in place. */
  readonly weights: Float64Array;
  /** count × d and count: per-batch sums and masses, reused from batch to batch. */
  readonly scratchSums: Float64Array;
  readonly scratchMass: Float64Array;
}

/** Streaming centres from initial `centres` (count × d, copied) with the given starting weights (copied). */
export function streamingCentres(centres: Float64Array, weights: Float64Array, d: number): StreamingCentres {
  const count = weights.length;
  return {
    count,
    d,
    centres: Float64Array.from(centres),
    weights: Float64Array.from(weights),
    scratchSums: new Float64Array(count * d),
    scratchMass: new Float64Array(count),
  };
}

/**
 * The factor every old weight is multiplied by when `points` new points arrive: 2^(−points/h), or 1 without
 * decay (h = 0).
 * @example decayFactor(3, 3); // 0.5
 */
export function decayFactor(points: number, halfLife: number): number {
  return halfLife > 0 ? 2 ** (-points / halfLife) : 1;
}

/**
 * Streams rows [from, from + rows) of X (row-major, `set.d` wide) into `set` as one mini-batch.
 * @param W the rows' sample weights, indexed like X's rows (undefined: every row weighs 1)
 * @param halfLife `half_life_time_size` (0: no decay)
 * @returns the batch's number of points (Σ w)
 * @example
 * streamMiniBatch(set, batch.data, 0, batch.rows, undefined, 0);
 */
export function streamMiniBatch(
  set: StreamingCentres,
  X: Float64Array,
  from: number,
  rows: number,
  W: Float64Array | undefined,
  halfLife: number,
): number {
  const { count: K, d, centres: C, weights, scratchSums: sums, scratchMass: mass } = set;
  let points = assignBatch(d, C, K, X, from, rows, W, sums, mass);
  if (points === undefined) {
    sums.fill(0);
    mass.fill(0);
    points = batchLoop(d, W !== undefined)(X, C, K, sums, mass, from, from + rows, W);
  }
  const decay = decayFactor(points, halfLife);
  for (let c = 0; c < K; c++) {
    const o = weights[c]! * decay;
    const m = mass[c]!;
    weights[c] = o + m;
    if (m === 0) continue;
    const p = m / (o + m);
    const q = 1 - p;
    const co = c * d;
    for (let t = 0; t < d; t++) C[co + t] = q * C[co + t]! + p * (sums[co + t]! / m);
  }
  return points;
}
