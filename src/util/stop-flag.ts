/**
 * An AbortSignal that a worker thread sees flip while its thread is busy. A worker running a synchronous
 * Lloyd loop never returns to its event loop, so a posted "stop" message would wait until training ended.
 * Instead the parent sets a word in a SharedArrayBuffer, and this signal reads it whenever the algorithm asks
 * (`signal.aborted`, `signal.throwIfAborted()`), aborting itself on the spot. It stays a real AbortSignal
 * (the instance's two members are shadowed, nothing else), so fetch and the AWS SDK accept it too.
 * @module
 */

/** The reason a stopped run's signal carries. */
export class StopRequested extends Error {
  constructor() {
    super("The job was asked to stop.");
    this.name = "AbortError";
  }
}

const abortedGetter = Object.getOwnPropertyDescriptor(AbortSignal.prototype, "aborted")!.get!;
const protoThrowIfAborted = AbortSignal.prototype.throwIfAborted;

/** A zeroed flag shared between parent and worker (one Int32). */
export function createStopFlag(): Int32Array {
  return new Int32Array(new SharedArrayBuffer(4));
}

/** Sets the flag (parent side). */
export function raiseStopFlag(flag: Int32Array): void {
  Atomics.store(flag, 0, 1);
}

/**
 * A signal that aborts as soon as `flag` is raised and it is next looked at.
 * @example
 * const { signal } = signalFromStopFlag(flag); // in the worker
 * raiseStopFlag(flag);                          // in the parent
 * signal.aborted;                               // true at once, even in a busy loop
 */
export function signalFromStopFlag(flag: Int32Array): { signal: AbortSignal; abort: () => void } {
  const controller = new AbortController();
  const signal = controller.signal;
  const abort = () => {
    if (!abortedGetter.call(signal)) controller.abort(new StopRequested());
  };
  const poll = () => {
    if (Atomics.load(flag, 0) !== 0) abort();
  };
  Object.defineProperty(signal, "aborted", {
    get() {
      poll();
      return abortedGetter.call(signal);
    },
  });
  Object.defineProperty(signal, "throwIfAborted", {
    value() {
      poll();
      protoThrowIfAborted.call(signal);
    },
  });
  return { signal, abort };
}
