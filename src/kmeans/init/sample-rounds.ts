/**
 * A uniform sample of a streamed channel's rows, as one round of the algorithm contract: the rows a full-batch
 * fit over a channel it cannot hold seeds its restarts from (full-batch-streamed.ts). Each row gets a
 * pseudo-random key, a hash of the seed and its index in the channel, and the sample is the `size` rows of
 * smallest key (a bottom-k sample: every set of `size` rows equally likely). A shard keeps its own smallest,
 * and merging keeps the smallest of both — so the sample depends on the seed and the data only, never on the
 * shard plan, the executor or the chunks. The sample's rows come in channel order; a channel of at most
 * `size` rows is its own sample, row for row.
 * @module
 */
import { checkChunkWidth, checkSameWidth } from "../../contract/checks.js";
import type { AlgorithmRef, ShardAlgorithm } from "../../contract/contract.js";
import { type Matrix, matrix } from "../../linalg/matrix.js";
import { definedRef } from "../../util/module-ref.js";

export interface SampleState {
  /** Rows the sample keeps. */
  readonly size: number;
  readonly seed: number;
}

export interface SamplePartial {
  readonly width: number;
  /** Rows held (at most 2 × size between compactions). */
  count: number;
  keys: Float64Array;
  /** Each held row's index in the channel. */
  rows: Float64Array;
  values: Float64Array;
  /** The size-th smallest key once `size` rows have been seen: rows of larger keys are not kept. */
  threshold: number;
}

export interface RowSample {
  /** Up to `size` rows, in channel order. */
  readonly sample: Matrix;
  /** Their indices in the channel. */
  readonly rows: Float64Array;
}

function fmix(h: number): number {
  let x = h ^ (h >>> 16);
  x = Math.imul(x, 0x85ebca6b);
  x ^= x >>> 13;
  x = Math.imul(x, 0xc2b2ae35);
  return (x ^ (x >>> 16)) >>> 0;
}

/** Row `row`'s key in [0, 1) under `seed`: 53 bits of a murmur3-finalizer mix of both. */
export function rowKey(seed: number, row: number): number {
  const lo = row >>> 0;
  const hi = Math.floor(row / 2 ** 32) >>> 0;
  const h = fmix((hi ^ fmix((seed ^ 0x5bd1e995) >>> 0)) >>> 0);
  const a = fmix((lo ^ h) >>> 0);
  const b = fmix(((a + 0x9e3779b9) ^ h) >>> 0);
  return (a * 2 ** 21 + (b >>> 11)) / 2 ** 53;
}

function empty(width: number, capacity: number): SamplePartial {
  return {
    width,
    count: 0,
    keys: new Float64Array(capacity),
    rows: new Float64Array(capacity),
    values: new Float64Array(capacity * width),
    threshold: Number.POSITIVE_INFINITY,
  };
}

/** Whether held row i comes before held row j: the smaller key, then the smaller row index. */
function before(p: SamplePartial, i: number, j: number): boolean {
  return p.keys[i]! < p.keys[j]! || (p.keys[i] === p.keys[j] && p.rows[i]! < p.rows[j]!);
}

/** Keeps the `size` rows of smallest key (in key order) and sets the threshold once `size` are held. */
function compact(p: SamplePartial, size: number): void {
  if (p.count < size) return;
  const order = Array.from({ length: p.count }, (_, i) => i).sort((i, j) =>
    before(p, i, j) ? -1 : before(p, j, i) ? 1 : 0,
  );
  const keep = order.slice(0, size);
  const d = p.width;
  // Exactly the kept rows: a partial travels (threads, a cluster's queue), and grows again by doubling.
  const keys = new Float64Array(keep.length);
  const rows = new Float64Array(keys.length);
  const values = new Float64Array(keys.length * d);
  keep.forEach((from, to) => {
    keys[to] = p.keys[from]!;
    rows[to] = p.rows[from]!;
    values.set(p.values.subarray(from * d, (from + 1) * d), to * d);
  });
  p.keys = keys;
  p.rows = rows;
  p.values = values;
  p.count = keep.length;
  if (p.count === size) p.threshold = keys[size - 1]!;
}

function hold(p: SamplePartial, key: number, row: number, from: Float64Array, at: number): void {
  if (p.count === p.keys.length) {
    const grown = empty(p.width, Math.max(16, 2 * p.count));
    grown.keys.set(p.keys);
    grown.rows.set(p.rows);
    grown.values.set(p.values);
    p.keys = grown.keys;
    p.rows = grown.rows;
    p.values = grown.values;
  }
  p.keys[p.count] = key;
  p.rows[p.count] = row;
  p.values.set(from.subarray(at, at + p.width), p.count * p.width);
  p.count++;
}

export const ROW_SAMPLE: ShardAlgorithm<SampleState, SamplePartial, RowSample> = {
  name: "row sample",
  empty: (state, width) => empty(width, Math.min(state.size, 1024)),
  update(partial, chunk, state, firstRow) {
    checkChunkWidth(chunk, partial.width, this.name);
    const d = chunk.cols;
    for (let i = 0; i < chunk.rows; i++) {
      const row = firstRow + i;
      const key = rowKey(state.seed, row);
      if (key > partial.threshold) continue;
      hold(partial, key, row, chunk.data, i * d);
      if (partial.count >= 2 * state.size) compact(partial, state.size);
    }
    return partial;
  },
  merge(a, b, state) {
    checkSameWidth(a.width, b.width, this.name);
    const merged = empty(a.width, a.count + b.count);
    for (const p of [a, b])
      for (let i = 0; i < p.count; i++) hold(merged, p.keys[i]!, p.rows[i]!, p.values, i * p.width);
    compact(merged, state.size);
    return merged;
  },
  finalize(merged, state) {
    compact(merged, state.size);
    const d = merged.width;
    const order = Array.from({ length: merged.count }, (_, i) => i).sort(
      (i, j) => merged.rows[i]! - merged.rows[j]!,
    );
    const sample = matrix(order.length, d);
    const rows = new Float64Array(order.length);
    order.forEach((from, to) => {
      sample.data.set(merged.values.subarray(from * d, (from + 1) * d), to * d);
      rows[to] = merged.rows[from]!;
    });
    return { done: true, model: { sample, rows } };
  },
};

export const ROW_SAMPLE_REF: AlgorithmRef = definedRef(import.meta.url, "ROW_SAMPLE", ROW_SAMPLE);
