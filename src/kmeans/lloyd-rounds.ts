/**
 * Full-batch Lloyd as an algorithm of the contract (src/contract): a round broadcasts the centres, every shard
 * assigns its rows to the nearest centre and sums them (lloyd-step.ts), the partials add up in shard order,
 * and `updateCentres` moves each centre to its cluster's mean (an empty cluster takes a far row, as
 * lloyd-step.ts writes down). Rounds continue until the squared centre shift is at most `tol` or
 * `maxIterations` rounds have run. This is Lloyd's algorithm exactly; the in-memory engine's Hamerly bounds
 * skip distance computations but assign the same rows.
 * @module
 */

import { checkChunkWidth } from "../contract/checks.js";
import type { AlgorithmRef, ShardAlgorithm } from "../contract/contract.js";
import type { Matrix } from "../linalg/matrix.js";
import {
  emptyLloydPartial,
  type LloydPartial,
  lloydStep,
  mergeLloydPartials,
  updateCentres,
} from "./lloyd-step.js";

export interface LloydRoundState {
  /** k × d centres the round assigns rows to. */
  readonly centres: Matrix;
  /** Rounds already run. */
  readonly iteration: number;
  readonly maxIterations: number;
  /** Stop once Σ‖new − old‖² over the centres is at most this. */
  readonly tol: number;
}

export interface LloydModel {
  readonly centres: Matrix;
  /** Sum of squared distances to the centres of the last round's assignment. */
  readonly inertia: number;
  readonly iterations: number;
  readonly converged: boolean;
}

export const LLOYD_ROUNDS: ShardAlgorithm<LloydRoundState, LloydPartial, LloydModel> = {
  name: "K-Means (Lloyd)",
  empty: (state, width) => {
    return emptyLloydPartial(state.centres.rows, width);
  },
  update(partial, chunk, state) {
    checkChunkWidth(chunk, state.centres.cols, this.name);
    return mergeLloydPartials(partial, lloydStep(chunk, state.centres));
  },
  merge: (a, b) => mergeLloydPartials(a, b),
  finalize(merged, state) {
    const update = updateCentres(merged, state.centres);
    const iteration = state.iteration + 1;
    const converged = update.centreShift <= state.tol;
    if (converged || iteration >= state.maxIterations)
      return {
        done: true,
        model: { centres: update.centres, inertia: merged.inertia, iterations: iteration, converged },
      };
    return { done: false, state: { ...state, centres: update.centres, iteration } };
  },
};

export const LLOYD_ROUNDS_REF: AlgorithmRef = { module: import.meta.url, name: "LLOYD_ROUNDS" };
