/**
 * The worker thread of one batch transform (started by TransformService through src/util/worker-module.ts):
 * runs transform-run.ts with the job's plain-data input, posts a message per object written and the outcome,
 * and reads the parent's stop flag between batches.
 * @module
 */
import { parentPort, workerData } from "node:worker_threads";
import { signalFromStopFlag } from "../jobs/executors/stop-signal.js";
import { runTransform, type TransformOutcome, type TransformRunInput } from "./transform-run.js";

/** What the parent sends. */
export interface TransformWorkerData {
  readonly input: TransformRunInput;
  readonly stopFlag: Int32Array;
}

/** What the worker posts. */
export type TransformWorkerMessage =
  | { readonly type: "object"; readonly uri: string; readonly records: number; readonly target: string }
  | { readonly type: "outcome"; readonly outcome: TransformOutcome };

const { input, stopFlag } = workerData as TransformWorkerData;
const { signal } = signalFromStopFlag(stopFlag);
const post = (message: TransformWorkerMessage) => parentPort!.postMessage(message);
const outcome = await runTransform(
  input,
  (uri, records, target) => post({ type: "object", uri, records, target }),
  signal,
);
post({ type: "outcome", outcome });
