/**
 * One K-Means restart: Lloyd iterations (Lloyd 1982) from given initial centres until the convergence rule
 * in kmeans.ts holds or `maxIterations` is reached. The whole data set is one shard here; the step and update
 * are the mergeable functions of lloyd-step.ts, so a sharded runner only replaces the `lloydStep` call.
 * @module
 */
import type { Matrix } from "../linalg/matrix.js";
import { lloydStep, updateCentres } from "./lloyd-step.js";

/** Progress of one Lloyd iteration. */
export interface LloydIterationEvent {
  /** 1-based iteration within the restart. */
  readonly iteration: number;
  /**
   * Inertia of this iteration's assignment (against the centres it started from), when the pass computed
   * every row's distance: always here, on the first pass of the fast engine and with plain Lloyd; undefined
   * for Hamerly's bounded passes, which skip rows without computing their distances.
   */
  readonly inertia: number | undefined;
  /** Rows whose cluster changed in this assignment (every row on the first pass). */
  readonly moved: number;
  /** Σ‖c(new) − c(old)‖² of this iteration's update. */
  readonly centreShift: number;
  /** Empty clusters relocated in this iteration. */
  readonly relocated: number;
}

/** Settings of one restart. */
export interface TrialOptions {
  /** k × d starting centres (not mutated). */
  readonly initial: Matrix;
  /** Iterations at most (≥ 1). */
  readonly maxIterations: number;
  /** Stop when Σ‖c(new) − c(old)‖² ≤ tolerance (already scaled by the data's variance). */
  readonly tolerance: number;
  /** Checked before each iteration. */
  readonly signal?: AbortSignal | undefined;
  /** Called after each iteration. */
  readonly onIteration?: ((event: LloydIterationEvent) => void) | undefined;
  /**
   * n: each row's positive sample weight (scikit-learn's `sample_weight`): centres are weighted means and the
   * inertia is weighted. Undefined: every row weighs 1.
   */
  readonly weights?: Float64Array | undefined;
}

/** The outcome of one restart. */
export interface TrialResult {
  /** k × d final centres. */
  readonly centres: Matrix;
  /** Inertia of the final centres with the labels of the last assignment (consistent; see below). */
  readonly inertia: number;
  /** Iterations run. */
  readonly iterations: number;
  /** Whether the rule held before maxIterations ran out. */
  readonly converged: boolean;
}

/**
 * Runs Lloyd iterations from `initial`. Each iteration assigns every row against the current centres (ties:
 * lowest index) and moves each centre to its rows' mean. The returned inertia comes from one more assignment
 * against the final centres, unless labels stopped changing, in which case the last assignment already is.
 *
 * @example
 * const { centres, inertia } = runTrial(x, { initial, maxIterations: 300, tolerance: 0 });
 */
export function runTrial(x: Matrix, options: TrialOptions): TrialResult {
  const { initial, maxIterations, tolerance, signal, onIteration, weights } = options;
  let centres = initial;
  let labels = new Int32Array(x.rows).fill(-1);
  let previous = new Int32Array(x.rows).fill(-1);
  let converged = false;
  let iterations = 0;
  let strict = false;
  while (iterations < maxIterations) {
    signal?.throwIfAborted();
    const partial = lloydStep(x, centres, { labels, weights });
    const update = updateCentres(partial, centres);
    iterations++;
    const moved = countChanged(labels, previous);
    onIteration?.({
      iteration: iterations,
      inertia: partial.inertia,
      moved,
      centreShift: update.centreShift,
      relocated: update.relocated.length,
    });
    centres = update.centres;
    strict = update.relocated.length === 0 && moved === 0;
    if (strict || update.centreShift <= tolerance) {
      converged = true;
      break;
    }
    [labels, previous] = [previous, labels];
  }
  const final = lloydStep(x, centres, { weights });
  return { centres, inertia: final.inertia, iterations, converged };
}

function countChanged(a: Int32Array, b: Int32Array): number {
  let n = 0;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) n++;
  return n;
}
