/**
 * What Hamerly's bounds (hamerly.ts) need to know about the centres of a pass: how far apart they are, and how
 * far each moved since the last pass. Shared by the in-memory engine (engine.ts) and the contract's Lloyd
 * rounds, whose shards keep their bounds between rounds (lloyd-shard-pass.ts).
 * @module
 */
import { squaredDistance } from "../linalg/kernels.js";
import type { Matrix } from "../linalg/matrix.js";

const largest = new WeakMap<Float64Array, number>();

/** max |v| over `a` (cached per array: inputs are never mutated). */
function largestMagnitude(a: Float64Array): number {
  let max = largest.get(a);
  if (max === undefined) {
    max = 0;
    for (let i = 0; i < a.length; i++) {
      const v = Math.abs(a[i]!);
      if (v > max) max = v;
    }
    largest.set(a, max);
  }
  return max;
}

/**
 * An upper bound on every distance a restart's bounds can hold: the diagonal of the box around 0, every row
 * and every starting centre (later centres are means of rows, or rows, so they stay inside it).
 */
export function boxDiagonal(x: Matrix, initial: Matrix): number {
  return 2 * Math.max(largestMagnitude(x.data), largestMagnitude(initial.data)) * Math.sqrt(x.cols);
}

/** The per-centre inputs of a pass (hamerly.ts `StepShardArgs`: `half`, `drift`, `move`). */
export interface CentreMoves {
  /** k: half the distance from each centre to its nearest other centre (Hamerly's s(j)/2). */
  readonly half: Float64Array;
  /** k: the largest move of any other centre (how far a lower bound falls). */
  readonly drift: Float64Array;
  /** k: how far each centre moved since `previous` (how far an upper bound rises). */
  readonly move: Float64Array;
}

/**
 * The separations of `centres`, and their moves since `previous` (zeros without one: the first pass of a
 * restart, or a pass that keeps no bounds).
 */
export function centreMoves(previous: Matrix | undefined, centres: Matrix): CentreMoves {
  const { rows: k, cols: d, data } = centres;
  const half = new Float64Array(k).fill(Number.POSITIVE_INFINITY);
  for (let j = 0; j < k; j++) {
    for (let q = j + 1; q < k; q++) {
      const h = Math.sqrt(squaredDistance(data, j * d, data, q * d, d)) / 2;
      if (h < half[j]!) half[j] = h;
      if (h < half[q]!) half[q] = h;
    }
  }
  const drift = new Float64Array(k);
  const move = new Float64Array(k);
  if (previous !== undefined) {
    for (let j = 0; j < k; j++) move[j] = Math.sqrt(squaredDistance(previous.data, j * d, data, j * d, d));
    for (let j = 0; j < k; j++) {
      let m = 0;
      for (let q = 0; q < k; q++) if (q !== j && move[q]! > m) m = move[q]!;
      drift[j] = m;
    }
  }
  return { half, drift, move };
}
