/** Data loading for the pages: a loader's value, its error, and polling while a resource is still changing. */
import { useCallback, useEffect, useRef, useState } from "preact/hooks";

export interface Loaded<T> {
  readonly value: T | undefined;
  readonly error: Error | undefined;
  /** Loads again now. */
  readonly reload: () => void;
}

/**
 * Runs `load` when `key` changes, and again every `pollMs` while `poll(value)` says the value may still change
 * (a job in progress). Answers that arrive after the key changed are dropped.
 */
export function useLoad<T>(
  load: () => Promise<T>,
  key: string,
  options: { pollMs?: number; poll?: (value: T) => boolean } = {},
): Loaded<T> {
  const [value, setValue] = useState<T | undefined>(undefined);
  const [error, setError] = useState<Error | undefined>(undefined);
  const [tick, setTick] = useState(0);
  const current = useRef(key);
  const loader = useRef(load);
  loader.current = load;
  const pollRule = useRef(options.poll);
  pollRule.current = options.poll;
  // Another resource (a new route parameter): what was shown is not its value.
  useEffect(() => {
    setValue(undefined);
    setError(undefined);
  }, [key]);
  useEffect(() => {
    current.current = key;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let live = true;
    loader.current().then(
      (v) => {
        if (!live || current.current !== key) return;
        setValue(v);
        setError(undefined);
        if (options.pollMs !== undefined && pollRule.current?.(v))
          timer = setTimeout(() => setTick((t) => t + 1), options.pollMs);
      },
      (e: unknown) => {
        if (live && current.current === key) setError(e instanceof Error ? e : new Error(String(e)));
      },
    );
    return () => {
      live = false;
      if (timer !== undefined) clearTimeout(timer);
    };
  }, [key, tick, options.pollMs]);
  const reload = useCallback(() => setTick((t) => t + 1), []);
  return { value, error, reload };
}

/** A form's action: whether it is running, its last error, and the function that runs it. */
export interface Action<A extends unknown[]> {
  readonly busy: boolean;
  readonly error: Error | undefined;
  readonly run: (...args: A) => Promise<void>;
}

/** Runs `act` with busy and error kept for the form (the error shown until the next try). */
export function useAction<A extends unknown[]>(act: (...args: A) => Promise<void>): Action<A> {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<Error | undefined>(undefined);
  const run = async (...args: A) => {
    setBusy(true);
    setError(undefined);
    try {
      await act(...args);
    } catch (e) {
      setError(e instanceof Error ? e : new Error(String(e)));
    } finally {
      setBusy(false);
    }
  };
  return { busy, error, run };
}

/** A form's submit handler that runs `run` with the form's fields instead of navigating. */
export function formSubmit(run: (form: FormData) => Promise<void>): (event: SubmitEvent) => void {
  return (event) => {
    event.preventDefault();
    void run(new FormData(event.currentTarget as HTMLFormElement));
  };
}
