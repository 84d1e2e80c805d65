/**
 * A worker thread of the contract's ThreadsExecutor: for each task, import the algorithm its ref names (once),
 * fold the shard's chunks into a partial, and send it back; an error goes back with its code and message.
 * Tasks are taken one at a time, in the order they came.
 * @module
 */
import { parentPort } from "node:worker_threads";
import { isStrataError } from "../errors.js";
import {
  type AlgorithmRef,
  loadAlgorithm,
  type RowShard,
  runShard,
  type ShardAlgorithm,
} from "./contract.js";

/** What the executor sends. */
export interface ShardTask {
  readonly id: number;
  readonly ref: AlgorithmRef;
  readonly state: unknown;
  readonly shard: RowShard;
}

/** What the worker answers. */
export interface ShardReply {
  readonly id: number;
  readonly partial?: unknown;
  readonly error?: {
    readonly code: string;
    readonly message: string;
    readonly details?: Record<string, unknown>;
  };
}

const algorithms = new Map<string, ShardAlgorithm<unknown, unknown, unknown>>();
let queue: Promise<void> = Promise.resolve();

async function run(task: ShardTask): Promise<void> {
  try {
    const key = `${task.ref.module}#${task.ref.name}`;
    let algorithm = algorithms.get(key);
    if (algorithm === undefined) {
      algorithm = await loadAlgorithm(task.ref);
      algorithms.set(key, algorithm);
    }
    const reply: ShardReply = { id: task.id, partial: runShard(algorithm, task.state, task.shard) };
    parentPort!.postMessage(reply);
  } catch (error) {
    const reply: ShardReply = {
      id: task.id,
      error: isStrataError(error)
        ? { code: error.code, message: error.message, details: error.details }
        : { code: "INTERNAL", message: (error as Error)?.message ?? String(error) },
    };
    parentPort!.postMessage(reply);
  }
}

parentPort!.on("message", (task: ShardTask) => {
  queue = queue.then(() => run(task));
});
