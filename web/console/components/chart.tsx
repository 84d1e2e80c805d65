/**
 * A Vega-Lite chart: the report's own spec functions (src/report/charts) drawn by vega-embed in the page.
 * vega-embed is a large module (~900 KB), loaded only when a page draws its first chart. Expressions run
 * through vega-interpreter, not `new Function`, so the console's content security policy needs no
 * 'unsafe-eval'.
 */
import { useEffect, useRef, useState } from "preact/hooks";
import type { TopLevelSpec } from "vega-lite";

async function draw(target: HTMLElement, spec: TopLevelSpec): Promise<() => void> {
  const [{ default: embed }, { expressionInterpreter }] = await Promise.all([
    import("vega-embed"),
    import("vega-interpreter"),
  ]);
  const result = await embed(target, spec, {
    renderer: "svg",
    actions: false,
    ast: true,
    expr: expressionInterpreter,
  });
  return () => result.finalize();
}

export function Chart({ spec, label }: { spec: TopLevelSpec; label: string }) {
  const box = useRef<HTMLDivElement>(null);
  const [error, setError] = useState<string | undefined>(undefined);
  useEffect(() => {
    let finalize: (() => void) | undefined;
    let live = true;
    if (box.current !== null)
      draw(box.current, spec).then(
        (f) => {
          if (live) finalize = f;
          else f();
        },
        (e: unknown) => setError(e instanceof Error ? e.message : String(e)),
      );
    return () => {
      live = false;
      finalize?.();
    };
  }, [spec]);
  return (
    <figure class="chart">
      <div ref={box} role="img" aria-label={label} />
      {error !== undefined && (
        <p class="error" role="alert">
          The chart could not be drawn: {error}
        </p>
      )}
    </figure>
  );
}
