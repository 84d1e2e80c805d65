/** The cluster's workers (`strata worker`), as ListClusterWorkers reports them, refreshed every 2 seconds. */
import { sagemaker } from "../api";
import { ErrorBox, Loading, PageTitle } from "../components/common";
import { useLoad } from "../components/hooks";

interface WorkerInfo {
  name: string;
  host: string;
  pid: number;
  concurrency: number;
  running: number;
  done: number;
  failed: number;
  lastShard: string;
  lastSeen: string;
}

export function Workers() {
  const workers = useLoad(() => sagemaker<{ Workers: WorkerInfo[] }>("ListClusterWorkers"), "workers", {
    pollMs: 2000,
    poll: () => true,
  });
  const list = workers.value?.Workers;
  return (
    <>
      <PageTitle title="Workers" />
      <ErrorBox error={workers.error} />
      {list === undefined ? (
        workers.error === undefined && <Loading what="workers" />
      ) : list.length === 0 ? (
        <p>No worker has joined the cluster. Start one with `strata worker --redis …`.</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th scope="col">Worker</th>
              <th scope="col">Host</th>
              <th scope="col" class="num">
                Running
              </th>
              <th scope="col" class="num">
                Done
              </th>
              <th scope="col" class="num">
                Failed
              </th>
              <th scope="col">Last shard</th>
              <th scope="col">Last seen</th>
            </tr>
          </thead>
          <tbody>
            {list.map((w) => (
              <tr key={w.name}>
                <td>{w.name}</td>
                <td>{w.host}</td>
                <td class="num">
                  {w.running} / {w.concurrency}
                </td>
                <td class="num">{w.done}</td>
                <td class="num">{w.failed}</td>
                <td>{w.lastShard || "—"}</td>
                <td>{new Date(w.lastSeen).toLocaleTimeString()}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}
