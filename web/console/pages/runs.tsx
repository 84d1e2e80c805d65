/** Segmentation runs: every `strata run` in the registry (console, terminal, library), newest first. */
import type { RunRecord } from "../../../src/registry/run-store";
import { get } from "../api";
import { PageTitle, Status } from "../components/common";
import { duration, when } from "../components/format";
import { useLoad } from "../components/hooks";
import { ListView, ResourceLink } from "../components/list-view";

export async function loadJson<T>(path: string): Promise<T> {
  return (await (await get(path)).json()) as T;
}

function sourceName(source: string): string {
  return source.split(/[\\/]/).pop() || source;
}

export function Runs() {
  const runs = useLoad(() => loadJson<{ runs: RunRecord[] }>("/console/api/runs"), "runs", {
    pollMs: 2000,
    poll: (v) => v.runs.some((r) => r.status === "InProgress"),
  });
  return (
    <>
      <PageTitle title="Segmentations">
        <a class="button" href="/runs/new">
          New segmentation
        </a>
      </PageTitle>
      <ListView
        loaded={runs}
        rows={runs.value?.runs}
        rowKey={(r) => r.id}
        what="runs"
        empty={
          <>
            No runs yet. <a href="/runs/new">Start a segmentation</a> from a file of yours, or run{" "}
            <code>strata run</code> in a terminal: its runs are listed here too.
          </>
        }
        columns={[
          {
            header: "Run",
            cell: (r) => (
              <>
                <ResourceLink base="/runs" name={r.id} label={r.headline?.name ?? r.id} />
                <div class="muted small">{r.id}</div>
              </>
            ),
          },
          { header: "Table", cell: (r) => sourceName(r.source) },
          { header: "Status", cell: (r) => <Status status={r.status} /> },
          { header: "Rows", numeric: true, cell: (r) => r.headline?.rows.toLocaleString() ?? "—" },
          { header: "Segments", numeric: true, cell: (r) => r.headline?.clusters ?? "—" },
          { header: "Started", cell: (r) => when(r.creationTime / 1000) },
          {
            header: "Took",
            cell: (r) => duration(r.creationTime / 1000, r.endTime === null ? undefined : r.endTime / 1000),
          },
        ]}
      />
    </>
  );
}
