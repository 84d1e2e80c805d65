/**
 * Which way a K-Means fit trains, and why: the one switch point between full-batch Lloyd (full-batch.ts) and
 * SageMaker's web-scale k-means (web-scale/). `training_mode=full-batch` and `=web-scale` are obeyed;
 * `auto` (the default) trains full-batch when the rows are held in memory — every in-memory matrix and, today,
 * every training channel — and web-scale when they are streamed: a channel read chunk by chunk cannot be
 * iterated over again and again by Lloyd, while web-scale needs each row once per epoch. The streaming
 * channels pass `inMemory: false`; nothing else changes the choice.
 * @module
 */
import { assertNever } from "../util/assert-never.js";
import type { TrainingMode } from "./hyperparameters.js";

/** How the data reaches the fit. */
export interface TrainingSource {
  /** Whether every row is in memory at once (a Matrix); false for a channel streamed in chunks. */
  readonly inMemory: boolean;
  /** Rows, when known (for the reason only). */
  readonly numRows?: number | undefined;
}

export interface TrainingModeChoice {
  readonly mode: "full-batch" | "web-scale";
  /** Why, for logs: "training_mode=auto and the 3218 rows are in memory". */
  readonly reason: string;
}

/**
 * @example chooseTrainingMode("auto", { inMemory: true, numRows: 3218 }).mode; // "full-batch"
 */
export function chooseTrainingMode(mode: TrainingMode, source: TrainingSource): TrainingModeChoice {
  switch (mode) {
    case "full-batch":
    case "web-scale":
      return { mode, reason: `training_mode=${mode}` };
    case "auto": {
      const rows = source.numRows === undefined ? "rows" : `${source.numRows} rows`;
      return source.inMemory
        ? { mode: "full-batch", reason: `training_mode=auto and the ${rows} are in memory` }
        : {
            mode: "web-scale",
            reason: `training_mode=auto and the ${rows} are streamed, not held in memory`,
          };
    }
    default:
      return assertNever(mode, "training mode");
  }
}
