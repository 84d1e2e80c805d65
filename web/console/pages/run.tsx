/**
 * One segmentation run: its steps as they happen (Server-Sent Events from the server, which reads them from
 * the registry), then what it found — headline figures, the k sweep to pick k from, the registered models,
 * the outputs to download — and its report, the same report.html `strata run` writes, shown in the page.
 */

import { useEffect, useMemo, useState } from "preact/hooks";
import { useLocation, useRoute } from "preact-iso";
import type { Summary } from "../../../src/explain/summary-document";
import type { RunEvent, RunRecord } from "../../../src/registry/run-store";
import { kSweepSpec } from "../../../src/report/charts/k-sweep";
import { post } from "../api";
import { Chart } from "../components/chart";
import { Crumbs, ErrorBox, Facts, Loading, PageTitle, Status } from "../components/common";
import { duration, num, when } from "../components/format";
import { useLoad } from "../components/hooks";
import { loadJson } from "./runs";

/** What the run page reads of summary.json (explain/summary-document.ts), with the run's registered models. */
type RunSummary = Pick<Summary, "rows" | "features" | "entity" | "pca" | "kmeans" | "kSweep"> & {
  registeredModels: { pca: string; kmeans: string; pipeline: string };
};

interface RunAnswer {
  run: RunRecord;
  summary: RunSummary | null;
  events: RunEvent[];
}

/** The run's events: those it had, then each one the server pushes, until the run ends. */
function useRunEvents(
  id: string,
  initial: RunEvent[] | undefined,
  live: boolean,
  onEnd: () => void,
): RunEvent[] {
  const [events, setEvents] = useState<RunEvent[]>([]);
  useEffect(() => setEvents(initial ?? []), [initial]);
  useEffect(() => {
    if (!live) return;
    const source = new EventSource(`/console/api/runs/${encodeURIComponent(id)}/events`);
    const add = (e: MessageEvent<string>) => {
      const event = JSON.parse(e.data) as RunEvent;
      setEvents((old) => (old.some((o) => o.seq === event.seq) ? old : [...old, event]));
    };
    for (const kind of ["step-start", "step-done", "phase", "end"]) source.addEventListener(kind, add);
    source.addEventListener("status", () => {
      source.close();
      onEnd();
    });
    return () => source.close();
  }, [id, live]);
  return events;
}

const STEP_WORDS: Record<string, string> = {
  load: "Load the table",
  clean: "Clean",
  describe: "Describe",
  scale: "Scale",
  pca: "PCA training job",
  project: "Project onto the components",
  kmeans: "K-Means training job",
  assign: "Assign segments",
  explain: "Explain segments",
  write: "Write outputs",
  report: "Build the report",
};

function Steps({ events }: { events: RunEvent[] }) {
  const steps = new Map<string, { done?: RunEvent; started: RunEvent }>();
  for (const e of events) {
    if (e.step === null || e.kind === "phase") continue;
    if (e.kind === "step-start") steps.set(e.step, { started: e });
    else if (e.kind === "step-done") {
      const s = steps.get(e.step);
      steps.set(e.step, { started: s?.started ?? e, done: e });
    }
  }
  const end = events.find((e) => e.kind === "end");
  return (
    <ol class="steps" aria-live="polite" data-testid="run-steps">
      {[...steps.entries()].map(([step, s]) => (
        <li key={step} class={s.done ? "done" : "running"}>
          <span class="step-name">{STEP_WORDS[step] ?? step}</span>{" "}
          <span class="muted">{s.done ? s.done.message : "running…"}</span>
        </li>
      ))}
      {end !== undefined && <li class={end.message === "Completed" ? "done" : "failed"}>{end.message}</li>}
    </ol>
  );
}

function Sweep({ run, summary }: { run: RunRecord; summary: RunSummary }) {
  const { route } = useLocation();
  const sweep = summary.kSweep!;
  const spec = useMemo(() => kSweepSpec(sweep), [sweep]);
  const [k, setK] = useState(String(sweep.chosen));
  const [error, setError] = useState<Error | undefined>(undefined);
  const rerun = async (event: SubmitEvent) => {
    event.preventDefault();
    try {
      const response = await post(
        `/console/api/runs/${encodeURIComponent(run.id)}/rerun`,
        JSON.stringify({ clusters: Number(k) }),
        { "content-type": "application/json" },
      );
      const { runId } = (await response.json()) as { runId: string };
      route(`/runs/${encodeURIComponent(runId)}`);
    } catch (e) {
      setError(e as Error);
    }
  };
  return (
    <section aria-labelledby="sweep-heading">
      <h2 id="sweep-heading">The k sweep</h2>
      <Chart spec={spec} label="Inertia, silhouette, Calinski-Harabasz and Davies-Bouldin for each k" />
      <form class="inline-form" onSubmit={rerun}>
        <label>
          Segment with k =
          <select value={k} onChange={(e) => setK(e.currentTarget.value)}>
            {sweep.points.map((p) => (
              <option key={p.k} value={String(p.k)}>
                {p.k}
                {p.k === sweep.chosen ? ` (the sweep's choice: ${sweep.rule})` : ""}
              </option>
            ))}
          </select>
        </label>
        <button type="submit">Run with this k</button>
        <ErrorBox error={error} />
      </form>
    </section>
  );
}

const DOWNLOADS = [
  ["assignments.csv", "Each row's segment and distance (assignments.csv)"],
  ["summary.json", "Everything the run found (summary.json)"],
  ["report.html", "The report (report.html)"],
  ["models/pca/model.tar.gz", "PCA model artifact (model.tar.gz)"],
  ["models/kmeans/model.tar.gz", "K-Means model artifact (model.tar.gz)"],
] as const;

export function Run() {
  const { params } = useRoute();
  const id = params["id"] ?? "";
  const answer = useLoad(() => loadJson<RunAnswer>(`/console/api/runs/${encodeURIComponent(id)}`), id);
  const run = answer.value?.run;
  const events = useRunEvents(id, answer.value?.events, run?.status === "InProgress", answer.reload);
  const summary = answer.value?.summary ?? null;
  const base = `/console/api/runs/${encodeURIComponent(id)}/files`;
  return (
    <>
      <PageTitle title={run?.headline?.name ?? id} />
      <Crumbs href="/runs" list="Segmentations" here={id} />
      <ErrorBox error={answer.error} />
      {run === undefined ? (
        answer.error === undefined && <Loading what="the run" />
      ) : (
        <>
          <Facts
            rows={[
              ["Status", <Status key="s" status={run.status} />],
              ["Failure reason", run.failureReason ?? undefined],
              ["Table", run.source],
              ["Started", when(run.creationTime / 1000)],
              [
                "Took",
                duration(run.creationTime / 1000, run.endTime === null ? undefined : run.endTime / 1000),
              ],
              ["Out dir", run.outDir],
            ]}
          />
          <section aria-labelledby="steps-heading">
            <h2 id="steps-heading">Steps</h2>
            <Steps events={events} />
          </section>
          {summary !== null && (
            <>
              <section aria-labelledby="result-heading">
                <h2 id="result-heading">What it found</h2>
                <Facts
                  rows={[
                    [summary.entity.many, summary.rows.used.toLocaleString()],
                    ["Features", String(summary.features.length)],
                    [
                      "Components kept",
                      `${summary.pca.kept} (${(100 * summary.pca.keptExplainedVariance).toFixed(1)}% of the variance)`,
                    ],
                    ["Segments (k)", String(summary.kmeans.k)],
                    ["Inertia", num(summary.kmeans.inertia)],
                    [
                      "Silhouette",
                      summary.kmeans.silhouette === null ? undefined : num(summary.kmeans.silhouette, 4),
                    ],
                    [
                      "Models",
                      <span key="m">
                        <a href={`/models/${encodeURIComponent(summary.registeredModels.pipeline)}`}>
                          {summary.registeredModels.pipeline}
                        </a>
                        , {summary.registeredModels.pca}, {summary.registeredModels.kmeans}
                      </span>,
                    ],
                  ]}
                />
              </section>
              {summary.kSweep !== null && <Sweep run={run} summary={summary} />}
              <section aria-labelledby="downloads-heading">
                <h2 id="downloads-heading">Outputs</h2>
                <ul>
                  {DOWNLOADS.map(([file, label]) => (
                    <li key={file}>
                      <a href={`${base}/${file}`} download>
                        {label}
                      </a>
                    </li>
                  ))}
                </ul>
              </section>
              <section aria-labelledby="report-heading">
                <h2 id="report-heading">Report</h2>
                <iframe
                  class="report"
                  title={`Report of ${run.headline?.name ?? id}`}
                  src={`/console/runs/${encodeURIComponent(id)}/report.html`}
                />
              </section>
            </>
          )}
        </>
      )}
    </>
  );
}
