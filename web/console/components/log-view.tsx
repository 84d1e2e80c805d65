/**
 * A resource's log lines from CloudWatch Logs' actions, read as the SageMaker SDK's `logs=True` reads them:
 * the streams under the resource's prefix (DescribeLogStreams), then each stream from its head
 * (GetLogEvents, startFromHead), following `nextForwardToken` while the resource is live.
 */
import { useEffect, useRef, useState } from "preact/hooks";
import { ApiError, logs } from "../api";

interface LogEvent {
  timestamp: number;
  message: string;
}

interface Line {
  readonly key: string;
  readonly time: number;
  readonly message: string;
}

export function LogView({ group, prefix, live }: { group: string; prefix: string; live: boolean }) {
  const [lines, setLines] = useState<Line[]>([]);
  const [error, setError] = useState<string | undefined>(undefined);
  const liveRef = useRef(live);
  liveRef.current = live;
  const box = useRef<HTMLDivElement>(null);

  useEffect(() => {
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const tokens = new Map<string, string | undefined>();
    setLines([]);
    const step = async () => {
      // One more pass after the resource ends collects its last lines.
      const wasLive = liveRef.current;
      try {
        const { logStreams } = await logs<{ logStreams: { logStreamName: string }[] }>("DescribeLogStreams", {
          logGroupName: group,
          logStreamNamePrefix: prefix,
        });
        for (const { logStreamName } of logStreams) {
          for (;;) {
            const token = tokens.get(logStreamName);
            const page = await logs<{ events: LogEvent[]; nextForwardToken: string }>("GetLogEvents", {
              logGroupName: group,
              logStreamName,
              startFromHead: true,
              ...(token === undefined ? {} : { nextToken: token }),
            });
            if (stopped) return;
            tokens.set(logStreamName, page.nextForwardToken);
            if (page.events.length === 0) break;
            setLines((old) => [
              ...old,
              ...page.events.map((e, i) => ({
                key: `${logStreamName}:${page.nextForwardToken}:${i}`,
                time: e.timestamp,
                message: e.message,
              })),
            ]);
          }
        }
        setError(undefined);
      } catch (e) {
        // No stream yet (the job has not logged): not an error, try again.
        if (!(e instanceof ApiError && e.type === "ResourceNotFoundException"))
          setError(e instanceof Error ? e.message : String(e));
      }
      if (!stopped && wasLive) timer = setTimeout(step, 1000);
    };
    void step();
    return () => {
      stopped = true;
      if (timer !== undefined) clearTimeout(timer);
    };
  }, [group, prefix]);

  useEffect(() => {
    const el = box.current;
    if (el !== null) el.scrollTop = el.scrollHeight;
  }, [lines.length]);

  return (
    <section aria-labelledby="logs-heading">
      <h2 id="logs-heading">Logs</h2>
      {error !== undefined && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
      <div
        class="log"
        ref={box}
        role="log"
        // biome-ignore lint/a11y/noNoninteractiveTabindex: it scrolls, so keyboard users must reach it (axe: scrollable-region-focusable)
        tabIndex={0}
        aria-labelledby="logs-heading"
        data-testid="log-lines"
      >
        <pre>
          {lines.length === 0
            ? "No log lines yet."
            : lines.map((l) => `${new Date(l.time).toISOString().slice(11, 23)}  ${l.message}\n`).join("")}
        </pre>
      </div>
    </section>
  );
}
