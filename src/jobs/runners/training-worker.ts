/**
 * The entry point of a training worker thread: runs `runTraining` on the posted job and reports back. Loaded
 * by threads.ts as training-worker.js (compiled) or training-worker.ts (under tsx, whose loader the worker
 * inherits through execArgv).
 * @module
 */
import { parentPort, workerData } from "node:worker_threads";
import { signalFromStopFlag } from "../../util/stop-flag.js";
import { runTraining } from "../run-training.js";
import type { ParentMessage, WorkerInput, WorkerMessage } from "./protocol.js";

const port = parentPort;
if (port === null) throw new Error("training-worker.ts must run in a worker thread.");
// A worker started ahead of its job (a warm spare) has no workerData and waits for one `run` message.
const input =
  (workerData as WorkerInput | null) ??
  (await new Promise<WorkerInput>((resolve) => {
    const onRun = (message: ParentMessage) => {
      if (message.type !== "run") return;
      port.off("message", onRun);
      resolve(message.input);
    };
    port.on("message", onRun);
  }));
const { signal, abort } = signalFromStopFlag(input.stopFlag);
const post = (message: WorkerMessage) => port.postMessage(message);

port.on("message", (message: ParentMessage) => {
  if (message.type === "stop") abort();
});

const outcome = await runTraining(input.run, {
  signal,
  ...(input.home === undefined ? {} : { home: input.home }),
  events: {
    phase: (phase, message) =>
      post(message === undefined ? { type: "phase", phase } : { type: "phase", phase, message }),
    log: (level, message, time) => post({ type: "log", level, message, time: time.getTime() }),
    progress: (fraction, message) =>
      post(message === undefined ? { type: "progress", fraction } : { type: "progress", fraction, message }),
    status: (message) => post({ type: "status", message }),
  },
});
post({ type: "outcome", outcome });
port.close();
