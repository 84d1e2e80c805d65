/** Segmentation runs: every `strata run` in the registry (console, terminal, library), newest first. */
import type { RunRecord } from "../../../src/registry/run-store";
import { get } from "../api";
import { ErrorBox, Loading, PageTitle, Status } from "../components/common";
import { duration, when } from "../components/format";
import { useLoad } from "../components/hooks";

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
  const list = runs.value?.runs;
  return (
    <>
      <PageTitle title="Segmentations">
        <a class="button" href="/runs/new">
          New segmentation
        </a>
      </PageTitle>
      <ErrorBox error={runs.error} />
      {list === undefined ? (
        runs.error === undefined && <Loading what="runs" />
      ) : list.length === 0 ? (
        <p>
          No runs yet. <a href="/runs/new">Start a segmentation</a> from a file of yours, or run{" "}
          <code>strata run</code> in a terminal: its runs are listed here too.
        </p>
      ) : (
        <table>
          <thead>
            <tr>
              <th scope="col">Run</th>
              <th scope="col">Table</th>
              <th scope="col">Status</th>
              <th scope="col" class="num">
                Rows
              </th>
              <th scope="col" class="num">
                Segments
              </th>
              <th scope="col">Started</th>
              <th scope="col">Took</th>
            </tr>
          </thead>
          <tbody>
            {list.map((r) => (
              <tr key={r.id}>
                <td>
                  <a href={`/runs/${encodeURIComponent(r.id)}`}>{r.headline?.name ?? r.id}</a>
                  <div class="muted small">{r.id}</div>
                </td>
                <td>{sourceName(r.source)}</td>
                <td>
                  <Status status={r.status} />
                </td>
                <td class="num">{r.headline?.rows.toLocaleString() ?? "—"}</td>
                <td class="num">{r.headline?.clusters ?? "—"}</td>
                <td>{when(r.creationTime / 1000)}</td>
                <td>{duration(r.creationTime / 1000, r.endTime === null ? undefined : r.endTime / 1000)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}
