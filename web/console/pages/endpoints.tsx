/**
 * Endpoints: the list, and one endpoint's status, its invocations and model latency over the last hour, a form
 * that invokes it with a pasted row or a file in any content type it reads, and a delete button.
 */

import { useMemo, useState } from "preact/hooks";
import { useLocation, useRoute } from "preact-iso";
import type { TopLevelSpec } from "vega-lite";
import { CHART_CONFIG } from "../../../src/report/charts/theme";
import type { EndpointStats } from "../../../src/serving/invocation-stats";
import { ApiError, get, post, sagemaker } from "../api";
import { Chart } from "../components/chart";
import { Crumbs, ErrorBox, Facts, Loading, PageTitle, Status } from "../components/common";
import { num, when } from "../components/format";
import { useLoad } from "../components/hooks";
import { ListView, ResourceLink } from "../components/list-view";

interface EndpointSummary {
  EndpointName: string;
  EndpointStatus: string;
  CreationTime: number;
  LastModifiedTime: number;
}

interface EndpointDescription extends EndpointSummary {
  EndpointConfigName: string;
  FailureReason?: string;
  ProductionVariants?: { VariantName: string; CurrentInstanceCount?: number }[];
}

const CHANGING = new Set(["Creating", "Updating", "Deleting"]);

export function Endpoints() {
  const endpoints = useLoad(
    () =>
      sagemaker<{ Endpoints: EndpointSummary[] }>("ListEndpoints", {
        SortBy: "CreationTime",
        SortOrder: "Descending",
        MaxResults: 100,
      }),
    "endpoints",
    { pollMs: 2000, poll: (v) => v.Endpoints.some((e) => CHANGING.has(e.EndpointStatus)) },
  );
  return (
    <>
      <PageTitle title="Endpoints" />
      <ListView
        loaded={endpoints}
        rows={endpoints.value?.Endpoints}
        rowKey={(e) => e.EndpointName}
        what="endpoints"
        empty={
          <>
            No endpoints yet. Deploy one from a <a href="/models">model's page</a>.
          </>
        }
        columns={[
          { header: "Name", cell: (e) => <ResourceLink base="/endpoints" name={e.EndpointName} /> },
          { header: "Status", cell: (e) => <Status status={e.EndpointStatus} /> },
          { header: "Created", cell: (e) => when(e.CreationTime) },
          { header: "Last modified", cell: (e) => when(e.LastModifiedTime) },
        ]}
      />
    </>
  );
}

/** Invocations per bucket (bars) and model latency p50 / p99 (lines), over the last hour. */
function statsSpec(stats: EndpointStats): TopLevelSpec {
  const points = stats.points.flatMap((p) => [
    { time: p.time, series: "p50", ms: p.p50Ms, invocations: p.invocations },
    { time: p.time, series: "p99", ms: p.p99Ms, invocations: p.invocations },
  ]);
  const x = { field: "time", type: "temporal" as const, title: null, axis: { format: "%H:%M:%S" } };
  return {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    config: CHART_CONFIG,
    data: { values: points },
    vconcat: [
      {
        title: { text: "Invocations", subtitle: `per ${stats.bucketSeconds} seconds` },
        width: 640,
        height: 120,
        transform: [{ filter: "datum.series === 'p50'" }],
        mark: { type: "bar", color: "#4e79a7" },
        encoding: { x, y: { field: "invocations", type: "quantitative", title: "invocations" } },
      },
      {
        title: { text: "Model latency", subtitle: "p50 and p99, milliseconds" },
        width: 640,
        height: 140,
        mark: { type: "line", point: true },
        encoding: {
          x,
          y: { field: "ms", type: "quantitative", title: "ms" },
          color: { field: "series", type: "nominal", title: null, scale: { range: ["#4e79a7", "#e15759"] } },
        },
      },
    ],
  };
}

function StatsView({ name }: { name: string }) {
  const stats = useLoad(
    async () =>
      (await (await get(`/console/api/endpoints/${encodeURIComponent(name)}/stats`)).json()) as EndpointStats,
    name,
    { pollMs: 5000, poll: () => true },
  );
  const spec = useMemo(() => (stats.value === undefined ? undefined : statsSpec(stats.value)), [stats.value]);
  const total = stats.value?.total;
  return (
    <section aria-labelledby="stats-heading">
      <h2 id="stats-heading">Invocations in the last hour</h2>
      <ErrorBox error={stats.error} />
      {total !== undefined && (
        <Facts
          rows={[
            ["Invocations", String(total.invocations)],
            ["Errors", String(total.errors)],
            ["Model latency p50", total.p50Ms === null ? "—" : `${num(total.p50Ms, 3)} ms`],
            ["Model latency p99", total.p99Ms === null ? "—" : `${num(total.p99Ms, 3)} ms`],
          ]}
        />
      )}
      {spec !== undefined && (stats.value?.points.length ?? 0) > 0 && (
        <Chart spec={spec} label="Invocations and model latency over the last hour" />
      )}
    </section>
  );
}

const CONTENT_TYPES = [
  "text/csv",
  "application/json",
  "application/jsonlines",
  "application/x-recordio-protobuf",
];
const ACCEPT_TYPES = [
  "application/json",
  "application/jsonlines",
  "text/csv",
  "application/x-recordio-protobuf",
];

interface Answer {
  readonly status: number;
  readonly contentType: string;
  readonly text: string;
}

function InvokeForm({ name, onInvoked }: { name: string; onInvoked: () => void }) {
  const [contentType, setContentType] = useState("text/csv");
  const [accept, setAccept] = useState("application/json");
  const [body, setBody] = useState("");
  const [file, setFile] = useState<File | undefined>(undefined);
  const [answer, setAnswer] = useState<Answer | undefined>(undefined);
  const [error, setError] = useState<Error | undefined>(undefined);
  const invoke = async (event: SubmitEvent) => {
    event.preventDefault();
    setError(undefined);
    try {
      const response = await post(
        `/console/api/endpoints/${encodeURIComponent(name)}/invocations`,
        file ?? body,
        {
          "content-type": contentType,
          accept,
        },
      );
      const type = response.headers.get("content-type") ?? "";
      const text = type.includes("recordio")
        ? `${(await response.arrayBuffer()).byteLength} bytes of RecordIO-protobuf`
        : await response.text();
      setAnswer({ status: response.status, contentType: type, text });
    } catch (e) {
      setAnswer(undefined);
      setError(e instanceof ApiError ? new Error(`${e.type}: ${e.message}`) : (e as Error));
    } finally {
      onInvoked();
    }
  };
  return (
    <form class="stacked" onSubmit={invoke} aria-labelledby="invoke-heading">
      <h2 id="invoke-heading">Invoke</h2>
      <div class="row">
        <label>
          Content type
          <select value={contentType} onChange={(e) => setContentType(e.currentTarget.value)}>
            {CONTENT_TYPES.map((c) => (
              <option key={c}>{c}</option>
            ))}
          </select>
        </label>
        <label>
          Accept
          <select value={accept} onChange={(e) => setAccept(e.currentTarget.value)}>
            {ACCEPT_TYPES.map((c) => (
              <option key={c}>{c}</option>
            ))}
          </select>
        </label>
      </div>
      <label>
        Request body <span class="muted">(rows as the content type writes them)</span>
        <textarea
          rows={4}
          value={body}
          onInput={(e) => setBody(e.currentTarget.value)}
          disabled={file !== undefined}
        />
      </label>
      <label>
        Or a file
        <input type="file" onChange={(e) => setFile(e.currentTarget.files?.[0])} />
      </label>
      <button type="submit">Invoke endpoint</button>
      <ErrorBox error={error} />
      {answer !== undefined && (
        <div aria-live="polite">
          <p>
            {answer.status} · <code>{answer.contentType}</code>
          </p>
          <pre class="answer" data-testid="invoke-answer">
            {answer.text}
          </pre>
        </div>
      )}
    </form>
  );
}

export function Endpoint() {
  const { params } = useRoute();
  const { route } = useLocation();
  const name = params["name"] ?? "";
  const endpoint = useLoad(
    () => sagemaker<EndpointDescription>("DescribeEndpoint", { EndpointName: name }),
    name,
    {
      pollMs: 1000,
      poll: (e) => CHANGING.has(e.EndpointStatus),
    },
  );
  const [tick, setTick] = useState(0);
  const [deleteError, setDeleteError] = useState<Error | undefined>(undefined);
  const e = endpoint.value;
  const remove = async () => {
    try {
      await sagemaker("DeleteEndpoint", { EndpointName: name });
      route("/endpoints");
    } catch (err) {
      setDeleteError(err as Error);
    }
  };
  return (
    <>
      <PageTitle title={name}>
        {e !== undefined && (
          <button type="button" class="danger" onClick={remove}>
            Delete endpoint
          </button>
        )}
      </PageTitle>
      <Crumbs href="/endpoints" list="Endpoints" here={name} />
      <ErrorBox error={endpoint.error} />
      <ErrorBox error={deleteError} />
      {e === undefined ? (
        endpoint.error === undefined && <Loading what="the endpoint" />
      ) : (
        <>
          <Facts
            rows={[
              ["Status", <Status key="s" status={e.EndpointStatus} />],
              ["Failure reason", e.FailureReason],
              ["Endpoint config", e.EndpointConfigName],
              ["Variants", e.ProductionVariants?.map((v) => v.VariantName).join(", ")],
              ["Created", when(e.CreationTime)],
              ["Last modified", when(e.LastModifiedTime)],
            ]}
          />
          {e.EndpointStatus === "InService" && (
            <InvokeForm name={name} onInvoked={() => setTick((t) => t + 1)} />
          )}
          <StatsView key={tick} name={name} />
        </>
      )}
    </>
  );
}
