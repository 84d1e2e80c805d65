/**
 * A worker thread of the contract's ThreadsExecutor: for each task, import the algorithm its ref names (once),
 * fold the shard's chunks into a partial, and send it back; an error goes back with its code and message.
 * Tasks are taken one at a time, in the order they came. The worker keeps the shard memos of the fits whose
 * shards it ran (contract.ts `ShardMemo`) until the executor says to forget them.
 * @module
 */
import { parentPort } from "node:worker_threads";
import { isStrataError } from "../errors.js";
import { type AlgorithmRef, loadAlgorithm, type Shard, shardPartial } from "./contract.js";
import { ShardMemos } from "./executor.js";

/** What the executor sends. */
export interface ShardTask {
  readonly id: number;
  readonly ref: AlgorithmRef;
  readonly state: unknown;
  readonly shard: Shard;
  /** The shard's index in the round, and the key of its fit's memos (none: no memo is kept). */
  readonly index: number;
  readonly memo: string | undefined;
}

/** Drops the memos of one fit. */
export interface ForgetMemo {
  readonly forget: string;
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

const memos = new ShardMemos();
let queue: Promise<void> = Promise.resolve();

async function run(task: ShardTask): Promise<void> {
  try {
    const algorithm = await loadAlgorithm(task.ref);
    const reply: ShardReply = {
      id: task.id,
      partial: await shardPartial(algorithm, task.state, task.shard, memos.get(task.memo, task.index)),
    };
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

parentPort!.on("message", (message: ShardTask | ForgetMemo) => {
  queue = queue.then(() => ("forget" in message ? memos.forget(message.forget) : run(message)));
});
