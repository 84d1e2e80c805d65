/**
 * Ending a worker thread safely while it uses a native addon (DuckDB). `worker.terminate()` stops the thread's
 * JavaScript at once; when that lands inside the addon's start-up or while one of its calls is in flight, the
 * addon's completion runs in a dying environment, throws a C++ exception nothing catches, and the whole
 * process aborts ("terminate called after throwing an instance of 'Napi::Error'" — measured: 1 in 3 runs of
 * ending threads at random moments of a DuckDB query, and during the addon's import; none with the thread
 * between calls). So each worker started through startWorkerModule gets a small shared guard: the thread counts
 * its native calls in flight (`nativeCall`, `nativeLoad`), and `terminateWorker` marks the thread closing,
 * waits until no call is in flight, and only then terminates it. A call begun after the mark never reaches the
 * addon: it throws, and the error is the terminator's to ignore.
 *
 * On the main thread, and in a worker not started through startWorkerModule, there is no guard and the calls
 * run as they are.
 * @module
 */
import {
  getEnvironmentData,
  isMainThread,
  setEnvironmentData,
  threadId,
  type Worker,
} from "node:worker_threads";

const KEY = "strata.native-guard";
/** Slot: native calls in flight. */
const IN_FLIGHT = 0;
/** Slot: 1 once the parent is ending the thread. */
const CLOSING = 1;

const guards = new WeakMap<Worker, Int32Array>();

function ownGuard(): Int32Array | undefined {
  if (isMainThread) return undefined;
  const shared = getEnvironmentData(KEY);
  return shared instanceof SharedArrayBuffer ? new Int32Array(shared) : undefined;
}

const guard = ownGuard();

/** Starts a worker with `start`, giving it a guard of its own. */
export function withNativeGuard(start: () => Worker): Worker {
  const shared = new SharedArrayBuffer(2 * Int32Array.BYTES_PER_ELEMENT);
  // Environment data is copied into a worker when it is constructed, so setting it around the constructor
  // gives this worker, and only it, the buffer.
  setEnvironmentData(KEY, shared);
  let worker: Worker;
  try {
    worker = start();
  } finally {
    setEnvironmentData(KEY, guard?.buffer);
  }
  guards.set(worker, new Int32Array(shared));
  return worker;
}

/** True when the call may go ahead; false when the thread is being ended (the count is given back). */
function enter(g: Int32Array): boolean {
  Atomics.add(g, IN_FLIGHT, 1);
  if (Atomics.load(g, CLOSING) === 0) return true;
  leave(g);
  return false;
}

function leave(g: Int32Array): void {
  Atomics.sub(g, IN_FLIGHT, 1);
}

function closingError(what: "call" | "load"): Error {
  return new Error(
    `Worker thread ${threadId} is being ended: a native ${what === "load" ? "module was not loaded" : "call was not started"}.`,
  );
}

/** Runs an asynchronous call into a native addon, counted in flight until it settles. */
export async function nativeCall<T>(call: () => Promise<T>): Promise<T> {
  if (guard === undefined) return call();
  // A thread being ended does not start a call it could not finish. It rejects rather than waits: a call nested
  // in another (a connection's first use creates its instance) would otherwise hold the outer one in flight.
  if (!enter(guard)) throw closingError("call");
  try {
    return await call();
  } finally {
    leave(guard);
  }
}

/** Runs a synchronous native step (loading an addon), counted in flight while it runs. */
export function nativeLoad<T>(load: () => T): T {
  if (guard === undefined) return load();
  if (!enter(guard)) throw closingError("load");
  try {
    return load();
  } finally {
    leave(guard);
  }
}

/**
 * Ends a worker thread once none of its native calls is in flight (or it has exited on its own). A worker
 * without a guard is terminated at once.
 */
export async function terminateWorker(worker: Worker): Promise<void> {
  const g = guards.get(worker);
  if (g !== undefined && worker.threadId !== -1) {
    // A thread being ended may throw from a load the mark refused (nativeLoad): that error is expected, and
    // without a listener it would be an unhandled 'error' event that takes the process down.
    worker.on("error", () => undefined);
    Atomics.store(g, CLOSING, 1);
    let exited = false;
    const onExit = () => {
      exited = true;
    };
    worker.once("exit", onExit);
    try {
      // Polled on a timer, not Atomics.waitAsync: a pending waitAsync does not keep the event loop alive, and a
      // process with nothing else to do would exit mid-wait (measured: a failed `strata run` ending its spare
      // training worker during DuckDB's start-up). Calls end within milliseconds; this path is rare.
      while (Atomics.load(g, IN_FLIGHT) !== 0 && !exited)
        await new Promise((resolve) => setTimeout(resolve, 2));
    } finally {
      worker.off("exit", onExit);
    }
  }
  await worker.terminate();
}
