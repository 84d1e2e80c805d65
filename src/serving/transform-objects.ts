/**
 * A batch transform as an algorithm of the contract (src/contract): every input object is a shard by
 * reference, transformed where it runs (transform-object.ts) — on the worker threads of the contract's
 * executor, so the server's event loop keeps answering, and objects run side by side up to the job's
 * MaxConcurrentTransforms. One round; the partials are the objects written, merged in object order, and
 * `finalize` gives the job's outcome.
 *
 * The stop flag (util/stop-flag.ts) is shared by every shard of the job: StopTransformJob raises
 * it, and so does the first object that fails, so the others stop between batches instead of running on for
 * a job that has failed. A failure wins over a stop in the outcome; the first failure in object order names
 * the FailureReason.
 * @module
 */
import type { AlgorithmRef, ShardAlgorithm } from "../contract/contract.js";
import { checkObjectRead } from "../data/sources/access.js";
import { StrataError } from "../errors.js";
import { definedRef } from "../util/module-ref.js";
import { raiseStopFlag, signalFromStopFlag } from "../util/stop-flag.js";
import { loadPipeline } from "./model-loader.js";
import { modelContainers } from "./model-spec.js";
import type { CompiledPipeline } from "./pipeline.js";
import {
  type ObjectTransformed,
  type TransformRunInput,
  transformFailureReason,
  transformObject,
} from "./transform-object.js";

/** What every shard of a transform gets. */
export interface TransformState {
  readonly input: TransformRunInput;
  /** Raised by StopTransformJob, or by a failed object (createStopFlag). */
  readonly stopFlag: Int32Array;
}

/** The objects of a run of shards, in object order. */
export interface TransformPartial {
  readonly written: readonly ObjectTransformed[];
  /** FailureReason of the first object in order that failed. */
  readonly failure: string | null;
  readonly stopped: boolean;
}

/** How a transform ended. */
export interface TransformOutcome {
  readonly status: "Completed" | "Failed" | "Stopped";
  readonly failureReason: string | null;
  readonly records: number;
  readonly objects: number;
}

/** The partial of no objects. */
export const NO_OBJECTS: TransformPartial = { written: [], failure: null, stopped: false };

/**
 * The job's pipeline, loaded once per job in each thread that runs its objects (a thread runs objects of
 * few jobs at a time, so only the latest few are kept).
 */
const pipelines = new Map<string, Promise<CompiledPipeline>>();
const KEPT_PIPELINES = 4;

function pipelineOf(input: TransformRunInput): Promise<CompiledPipeline> {
  const key = `${input.request.TransformJobName}\n${JSON.stringify(input.model)}\n${JSON.stringify(input.access)}`;
  let pipeline = pipelines.get(key);
  if (pipeline === undefined) {
    pipeline = loadAllowed(input);
    pipelines.set(key, pipeline);
    pipeline.catch(() => pipelines.delete(key));
    for (const old of pipelines.keys()) if (pipelines.size > KEPT_PIPELINES) pipelines.delete(old);
  }
  return pipeline;
}

/** The job's pipeline, its artifacts first checked against the rules of the process that loads it. */
async function loadAllowed(input: TransformRunInput): Promise<CompiledPipeline> {
  const containers = modelContainers(input.model);
  for (const c of containers) await checkObjectRead(c.ModelDataUrl, input.access);
  return loadPipeline(input.request.ModelName, containers);
}

export const TRANSFORM_OBJECTS: ShardAlgorithm<TransformState, TransformPartial, TransformOutcome> = {
  name: "batch transform",
  empty: () => NO_OBJECTS,
  update() {
    throw new StrataError("INTERNAL", "A batch transform reads objects, not rows.");
  },
  async objectPartial(shard, state) {
    const { signal } = signalFromStopFlag(state.stopFlag);
    if (signal.aborted) return { ...NO_OBJECTS, stopped: true };
    try {
      const pipeline = await pipelineOf(state.input);
      const done = await transformObject(pipeline, shard.object, state.input, signal);
      return done === "stopped" ? { ...NO_OBJECTS, stopped: true } : { ...NO_OBJECTS, written: [done] };
    } catch (error) {
      raiseStopFlag(state.stopFlag);
      return { ...NO_OBJECTS, failure: transformFailureReason(error, shard.object.uri) };
    }
  },
  atWorker: (state, worker) => ({
    input: { ...state.input, access: worker.access },
    stopFlag: worker.stopFlag,
  }),
  merge: (a, b) => ({
    written: [...a.written, ...b.written],
    failure: a.failure ?? b.failure,
    stopped: a.stopped || b.stopped,
  }),
  finalize(merged) {
    const records = merged.written.reduce((sum, o) => sum + o.records, 0);
    const status = merged.failure !== null ? "Failed" : merged.stopped ? "Stopped" : "Completed";
    return {
      done: true,
      model: { status, failureReason: merged.failure, records, objects: merged.written.length },
    };
  },
};

export const TRANSFORM_OBJECTS_REF: AlgorithmRef = definedRef(
  import.meta.url,
  "TRANSFORM_OBJECTS",
  TRANSFORM_OBJECTS,
);
