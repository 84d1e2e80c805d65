/**
 * Full-batch Lloyd as an algorithm of the contract (src/contract): a round broadcasts the centres, every shard
 * assigns its rows to the nearest centre and sums them, the partials add up in shard order, and
 * `updateCentres` moves each centre to its cluster's mean (an empty cluster takes a far row, as lloyd-step.ts
 * writes down). Iterations end once the squared centre shift is at most `tol` or `maxIterations` have run;
 * one more round then measures the final centres (the inertia and cluster sizes of the model), as the
 * in-memory engine's last pass does.
 *
 * A shard that keeps its memo between rounds runs the engine's Hamerly kernels over it (lloyd-shard-pass.ts):
 * rows that cannot move are skipped, and the partial has the same sums and counts as the plain step. So that
 * nothing depends on whether a memo was kept, an iteration's partial carries no inertia (a bounded pass does
 * not know it); the measuring round's partial does.
 *
 * Convergence equals the engine's rule (kmeans.ts: no row moved, or the shift within tolerance): when no row
 * moves, the sums are the same rows added in the same order as the round before, so the new centres have
 * the same bits as the old ones and the shift is 0.
 * @module
 */

import { checkChunkWidth } from "../contract/checks.js";
import type { AlgorithmRef, RowShard, ShardAlgorithm } from "../contract/contract.js";
import { fitRounds, type RoundExecutor } from "../contract/executor.js";
import type { Matrix } from "../linalg/matrix.js";
import { definedRef } from "../util/module-ref.js";
import { boxDiagonal } from "./centre-moves.js";
import type { EngineTrialResult } from "./engine.js";
import { lloydShardPass } from "./lloyd-shard-pass.js";
import {
  emptyLloydPartial,
  type LloydPartial,
  lloydStep,
  mergeLloydPartials,
  updateCentres,
} from "./lloyd-step.js";
import type { LloydIterationEvent, TrialOptions } from "./trial.js";

export interface LloydRoundState {
  /** k × d centres the round assigns rows to. */
  readonly centres: Matrix;
  /** Iterations already run. */
  readonly iteration: number;
  readonly maxIterations: number;
  /** Stop once Σ‖new − old‖² over the centres is at most this. */
  readonly tol: number;
  /**
   * A bound on every distance of the fit (centre-moves.ts `boxDiagonal`), under which shards may keep
   * Hamerly's float32 bounds; without it they search every centre each round.
   */
  readonly boxDiagonal?: number | undefined;
  /** The last iteration's update, for progress reports. */
  readonly last?: { readonly centreShift: number; readonly relocated: number } | undefined;
  /** Set once the iterations have ended: this round measures the final centres. */
  readonly ended?: { readonly converged: boolean } | undefined;
  /**
   * A cluster came out empty in this iteration's round, whose shards did not gather their farthest rows:
   * this round repeats it with them (not counted as an iteration).
   */
  readonly farthest?: boolean | undefined;
}

/** A shard's partial, plus how many of its rows changed cluster (NaN when unknown: a chunked pass). */
export interface LloydRoundPartial extends LloydPartial {
  readonly moved: number;
  /** Whether `farthest` holds the rows' farthest rows (a memo pass gathers them only when asked). */
  readonly farthestKnown: boolean;
}

export interface LloydModel {
  readonly centres: Matrix;
  /** Sum of (weighted) squared distances of the rows to the final centres. */
  readonly inertia: number;
  /** Rows nearest to each final centre (their total weight, when the rows have weights). */
  readonly sizes: readonly number[];
  readonly iterations: number;
  readonly converged: boolean;
}

export const LLOYD_ROUNDS: ShardAlgorithm<LloydRoundState, LloydRoundPartial, LloydModel> = {
  name: "K-Means (Lloyd)",
  empty: (state, width) => ({
    ...emptyLloydPartial(state.centres.rows, width),
    moved: 0,
    farthestKnown: true,
  }),
  update(partial, chunk, state, firstRow, weights) {
    checkChunkWidth(chunk, state.centres.cols, this.name);
    const step = lloydStep(chunk, state.centres, { weights });
    // lloydStep numbers the chunk's rows from 0.
    for (let e = 0; e < step.farthest.count; e++) step.farthest.rows[e]! += firstRow;
    const inertia = state.ended === undefined ? Number.NaN : step.inertia;
    return { ...mergeLloydPartials(partial, { ...step, inertia }), moved: Number.NaN, farthestKnown: true };
  },
  shardPartial(shard, state, memo) {
    checkChunkWidth(shard.data, state.centres.cols, this.name);
    const farthest = state.farthest === true;
    const pass = { exact: state.ended !== undefined, restart: state.iteration === 0 && !farthest, farthest };
    const { partial, moved } = lloydShardPass(shard, state.centres, pass, memo, state.boxDiagonal);
    return { ...partial, moved, farthestKnown: farthest };
  },
  merge: (a, b) => ({
    ...mergeLloydPartials(a, b),
    moved: a.moved + b.moved,
    farthestKnown: a.farthestKnown && b.farthestKnown,
  }),
  finalize(merged, state) {
    if (state.ended !== undefined)
      return {
        done: true,
        model: {
          centres: state.centres,
          inertia: merged.inertia,
          sizes: Array.from(merged.counts),
          iterations: state.iteration,
          converged: state.ended.converged,
        },
      };
    if (!merged.farthestKnown && merged.counts.some((c) => c === 0))
      return { done: false, state: { ...state, farthest: true } };
    const update = updateCentres(merged, state.centres);
    const iteration = state.iteration + 1;
    const converged = update.centreShift <= state.tol;
    const last = { centreShift: update.centreShift, relocated: update.relocated.length };
    const ended = converged || iteration >= state.maxIterations ? { converged } : undefined;
    return {
      done: false,
      state: { ...state, centres: update.centres, iteration, last, ended, farthest: undefined },
    };
  },
};

export const LLOYD_ROUNDS_REF: AlgorithmRef = definedRef(import.meta.url, "LLOYD_ROUNDS", LLOYD_ROUNDS);

/** The first state of a restart from `initial` over `x`. */
export function lloydStart(
  x: Matrix,
  options: Pick<TrialOptions, "initial" | "maxIterations" | "tolerance">,
): LloydRoundState {
  return {
    centres: options.initial,
    iteration: 0,
    maxIterations: options.maxIterations,
    tol: options.tolerance,
    boxDiagonal: boxDiagonal(x, options.initial),
  };
}

/**
 * One K-Means restart as rounds of the contract on `executor`: the engine's `runTrialFast` (same iterations,
 * centres, inertia and sizes, bit for bit, for the same shard plan), on any executor.
 * @param shards `x` cut into the plan the result's bits follow (the engine's is KMEANS_SHARD_ROWS)
 * @param fit `memo`: the key the restarts of one fit share (the shards keep their rows' copies; each restart
 *   starts its labels and bounds afresh): only fits over these very shards may share a key, as a memo is
 *   known by its shard's place and shape, not its values; `checked`: the rows were checked already
 */
export async function runTrialRounds(
  executor: RoundExecutor,
  x: Matrix,
  shards: readonly RowShard[],
  options: TrialOptions,
  fit: { readonly memo?: string; readonly checked?: boolean } = {},
): Promise<EngineTrialResult> {
  const { model } = await fitRounds<LloydRoundState, LloydRoundPartial, LloydModel>(
    executor,
    LLOYD_ROUNDS_REF,
    lloydStart(x, options),
    options.weights === undefined ? shards : shards.map((shard) => ({ ...shard, weights: options.weights })),
    {
      ...fit,
      signal: options.signal,
      onRound: iterationEvents(options.onIteration),
    },
  );
  return model;
}

/**
 * The rounds' callback that reports each Lloyd iteration to `onIteration` (a round that only gathered the
 * farthest rows is not an iteration of its own).
 */
export function iterationEvents(
  onIteration: ((event: LloydIterationEvent) => void) | undefined,
): (event: { state: LloydRoundState; merged: LloydRoundPartial; next: LloydRoundState | undefined }) => void {
  return ({ state, merged, next }) => {
    const iterated = next !== undefined && next.iteration > state.iteration;
    if (onIteration === undefined || !iterated || next.last === undefined) return;
    onIteration({
      iteration: next.iteration,
      inertia: undefined,
      // A round that only gathered the farthest rows moved none: the count of its iteration is not known.
      moved: state.farthest === true ? Number.NaN : merged.moved,
      centreShift: next.last.centreShift,
      relocated: next.last.relocated,
    });
  };
}
