/**
 * The body of every pool worker (see pool.ts): wait on the epoch word, take the newest task from the port,
 * claim and run its shards, repeat; exit when the epoch becomes -1. The registry below names every kernel a
 * caller may send; each is the same function the caller runs on its own thread, so a shard gives the same
 * bits wherever it runs.
 * @module
 */
import { type MessagePort, receiveMessageOnPort, workerData } from "node:worker_threads";
import { KMEANS_KERNELS } from "../kmeans/shard-kernels.js";
import { PCA_KERNELS } from "../pca/scatter-shards.js";
import { CONTROL_EPOCH, CONTROL_READY, drainShards, type TaskMessage } from "./protocol.js";

type Kernel = (args: unknown, shard: number) => void;

const KERNELS: Readonly<Record<string, Kernel>> = { ...PCA_KERNELS, ...KMEANS_KERNELS } as Record<
  string,
  Kernel
>;

const { control, port } = workerData as { control: Int32Array; port: MessagePort };

function serve(): void {
  Atomics.add(control, CONTROL_READY, 1);
  let seen = 0;
  for (;;) {
    Atomics.wait(control, CONTROL_EPOCH, seen);
    const epoch = Atomics.load(control, CONTROL_EPOCH);
    if (epoch < 0) return;
    seen = epoch;
    let task: TaskMessage | undefined;
    for (let m = receiveMessageOnPort(port); m !== undefined; m = receiveMessageOnPort(port)) {
      task = m.message as TaskMessage;
    }
    if (task === undefined) continue;
    const fn = KERNELS[task.kernel];
    try {
      if (fn === undefined) throw new Error(`unknown kernel "${task.kernel}"`);
      drainShards(fn, task.args, task.counter, task.numShards);
    } catch (e) {
      Atomics.store(task.counter, 2, 1);
      Atomics.notify(task.counter, 1);
      port.postMessage({ error: (e as Error)?.stack ?? String(e) });
    }
  }
}

serve();
port.close();
