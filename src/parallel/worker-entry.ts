/**
 * The body of every pool worker (see pool.ts): wait on the epoch word, take the newest task from the port,
 * claim and run its shards, repeat; exit when the epoch becomes -1. A task names its kernel by module and
 * export (protocol.ts KernelRef); the module is imported on first use and the export is the same function the
 * caller runs on its own thread, so a shard gives the same bits wherever it runs. The pool lists
 * no kernel: it sits below the algorithms that bring them.
 * @module
 */
import { type MessagePort, receiveMessageOnPort, workerData } from "node:worker_threads";
import { importExport, importedExport } from "../util/module-ref.js";
import { CONTROL_EPOCH, CONTROL_READY, drainShards, type TaskMessage } from "./protocol.js";

type Kernel = (args: unknown, shard: number) => void;

const { control, port } = workerData as { control: Int32Array; port: MessagePort };

async function serve(): Promise<void> {
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
    try {
      // Only a kernel's first task waits for its import; the caller and other workers take its shards meanwhile.
      const fn =
        (importedExport(task.kernel) as Kernel | undefined) ??
        (await importExport<Kernel>(task.kernel, (v) => typeof v === "function", "kernel"));
      drainShards(fn, task.args, task.counter, task.numShards);
    } catch (e) {
      Atomics.store(task.counter, 2, 1);
      Atomics.notify(task.counter, 1);
      port.postMessage({ error: (e as Error)?.stack ?? String(e) });
    }
  }
}

await serve();
port.close();
