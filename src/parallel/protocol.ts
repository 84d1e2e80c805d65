/**
 * The words and message shared by the pool (pool.ts) and its workers (worker-entry.ts). The control array
 * holds one epoch word: the caller bumps it after posting a task, and sets it to -1 to stop the workers. Each
 * task carries its own counter array: the next shard to claim, the shards done, and a failure flag.
 * @module
 */

import type { ModuleRef } from "../util/module-ref.js";

/** Index of the epoch word in the pool's control Int32Array. */
export const CONTROL_EPOCH = 0;
/** Index of the count of workers that finished loading and wait for tasks. */
export const CONTROL_READY = 1;
/** Index of the next unclaimed shard in a task's counter Int32Array. */
export const COUNTER_NEXT = 0;
/** Index of the number of finished shards. */
export const COUNTER_DONE = 1;
/** Index of the failure flag (non-zero once any shard threw). */
export const COUNTER_FAILED = 2;

/**
 * Which kernel a task runs: an export of the module that defines it (util/module-ref.ts). A worker imports
 * the module on first use, so the pool knows no algorithm: kernels live with their algorithms.
 */
export type KernelRef = ModuleRef;

/** What the caller posts to each worker for one task. */
export interface TaskMessage {
  /** The epoch this task was posted under. */
  readonly epoch: number;
  /** The kernel: its module and its name there. */
  readonly kernel: KernelRef;
  /** The kernel's arguments; outputs live in SharedArrayBuffers. */
  readonly args: unknown;
  /** The task's counter words over a SharedArrayBuffer. */
  readonly counter: Int32Array;
  /** Shards 0..numShards-1. */
  readonly numShards: number;
}

/**
 * Claims and runs shards of one task until none is left: the loop every participant runs. A kernel that
 * throws sets the failure flag (so the caller stops waiting) and rethrows.
 */
export function drainShards(
  fn: (args: unknown, shard: number) => void,
  args: unknown,
  counter: Int32Array,
  numShards: number,
): void {
  for (
    let s = Atomics.add(counter, COUNTER_NEXT, 1);
    s < numShards;
    s = Atomics.add(counter, COUNTER_NEXT, 1)
  ) {
    try {
      fn(args, s);
    } catch (e) {
      Atomics.store(counter, COUNTER_FAILED, 1);
      Atomics.notify(counter, COUNTER_DONE);
      throw e;
    }
    Atomics.add(counter, COUNTER_DONE, 1);
    Atomics.notify(counter, COUNTER_DONE);
  }
}
