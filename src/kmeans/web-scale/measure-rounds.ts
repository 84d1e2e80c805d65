/**
 * The measuring pass that ends a web-scale fit, as an algorithm of the contract: one round over the rows
 * against the final k centres, giving the inertia (Σ w·‖x − c‖², for `train:msd`), each cluster's rows and,
 * with sample weights, their total weight — in one pass, where a Lloyd round (lloyd-rounds.ts) would also
 * keep labels, bounds and sums the fit has no use for, and copy every row into its WebAssembly memory first.
 * The rows go through batch-kernel.ts's `measureRows` a slice at a time.
 *
 * Each shard's totals run on row by row whatever its chunks, and shards add up in shard order, so the result
 * depends on the plan only — never on the executor or the order in which shards finish.
 * @module
 */
import { checkChunkWidth, checkSameWidth } from "../../contract/checks.js";
import type { AlgorithmRef, ShardAlgorithm } from "../../contract/contract.js";
import type { Matrix } from "../../linalg/matrix.js";
import { definedRef } from "../../util/module-ref.js";
import { measureRows } from "./batch-kernel.js";

export interface MeasureState {
  /** The k × d centres measured against. */
  readonly centres: Matrix;
}

export interface MeasurePartial {
  readonly width: number;
  inertia: number;
  /** k: each cluster's rows' total weight (its rows, unweighted). */
  readonly mass: Float64Array;
  /** k: each cluster's rows. */
  readonly counts: Float64Array;
}

export interface MeasureModel {
  readonly inertia: number;
  /** Rows nearest to each centre. */
  readonly sizes: readonly number[];
  /** Their total weight (equal to `sizes` without sample weights). */
  readonly weights: readonly number[];
}

export const WEB_SCALE_MEASURE: ShardAlgorithm<MeasureState, MeasurePartial, MeasureModel> = {
  name: "K-Means (measure)",
  empty: (state, width) => ({
    width,
    inertia: 0,
    mass: new Float64Array(state.centres.rows),
    counts: new Float64Array(state.centres.rows),
  }),
  update(partial, chunk, state, _firstRow, weights) {
    const { centres } = state;
    checkChunkWidth(chunk, centres.cols, this.name);
    measureRows(centres.cols, centres.data, centres.rows, chunk.data, chunk.rows, weights, partial);
    return partial;
  },
  merge(a, b) {
    checkSameWidth(a.width, b.width, this.name);
    const mass = Float64Array.from(a.mass, (v, j) => v + b.mass[j]!);
    const counts = Float64Array.from(a.counts, (v, j) => v + b.counts[j]!);
    return { width: a.width, inertia: a.inertia + b.inertia, mass, counts };
  },
  finalize(merged) {
    return {
      done: true,
      model: { inertia: merged.inertia, sizes: Array.from(merged.counts), weights: Array.from(merged.mass) },
    };
  },
};

export const WEB_SCALE_MEASURE_REF: AlgorithmRef = definedRef(
  import.meta.url,
  "WEB_SCALE_MEASURE",
  WEB_SCALE_MEASURE,
);
