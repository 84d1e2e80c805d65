/**
 * How many restarts a full-batch fit runs. An explicit `local_lloyd_num_trials` runs exactly that many.
 * `auto` (the default) keeps restarting after the first 10 until 5 restarts in a row have not lowered the
 * best inertia, and stops at 100 at most. It applies where each restart is refined by Hartigan's moves
 * (hartigan.ts, rows held in memory): on the census the first 10 restarts land at or below scikit-learn's
 * best-of-10 for every seed tried, and the extra ones look for a lower optimum while they keep finding one.
 * Where restarts are not refined (a streamed channel, tables over {@link REFINE_MAX_ROWS} rows, the fit option
 * `refine: false`) `auto` is 10, as SageMaker logs it; so is web-scale training's K → k reduction, which
 * refines its 10 restarts over the weighted centres.
 * @module
 */
import { AUTO_TRIALS, type KMeansParams } from "./hyperparameter-table.js";

/**
 * The rule of `local_lloyd_num_trials=auto`: at least `min` restarts, then more until `patience` restarts in a
 * row have not lowered the best inertia, `max` at most.
 */
export const AUTO_RESTARTS = { min: 10, max: 100, patience: 5 } as const;

/**
 * Rows up to which restarts are refined by Hartigan's moves (a single-threaded sweep of O(n·k·d) per move
 * round: milliseconds up to here, and where a fit still runs on one thread, full-batch.ts PARALLEL_MIN_ROWS).
 */
export const REFINE_MAX_ROWS = 65_536;

/** A restart improves on the best when its inertia is lower by more than this, relative (not rounding). */
const IMPROVEMENT = 1e-9;

/** Whether the params ask for `auto` restarts. */
export function autoRestarts(p: Pick<KMeansParams, "numTrials">): boolean {
  return p.numTrials === AUTO_TRIALS;
}

/** A fixed number of restarts: the explicit one, or `auto`'s first 10. */
export function fixedRestarts(p: Pick<KMeansParams, "numTrials">): number {
  return autoRestarts(p) ? AUTO_RESTARTS.min : p.numTrials;
}

/** Counts the restarts as they finish and says when to stop. */
export class RestartCounter {
  private best = Number.POSITIVE_INFINITY;
  /** Restarts run. */
  runs = 0;
  /** Restarts run when the best so far was found. */
  bestAt = 0;

  /** @param adaptive `auto` with refined restarts; otherwise exactly `fixed` restarts run. */
  constructor(
    private readonly fixed: number,
    private readonly adaptive: boolean,
  ) {}

  /** Whether another restart should run. */
  get more(): boolean {
    if (this.runs < this.fixed) return true;
    return this.adaptive && this.runs < AUTO_RESTARTS.max && this.runs - this.bestAt < AUTO_RESTARTS.patience;
  }

  /** Records a finished restart's inertia. */
  record(inertia: number): void {
    this.runs++;
    if (inertia < this.best * (1 - IMPROVEMENT)) {
      this.best = inertia;
      this.bestAt = this.runs;
    }
  }
}
