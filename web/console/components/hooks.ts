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
