/** The cluster's workers (`strata worker`), as ListClusterWorkers reports them, refreshed every 2 seconds. */
import { sagemaker } from "../api";
import { PageTitle } from "../components/common";
import { useLoad } from "../components/hooks";
import { ListView } from "../components/list-view";

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
  return (
    <>
      <PageTitle title="Workers" />
      <ListView
        loaded={workers}
        rows={workers.value?.Workers}
        rowKey={(w) => w.name}
        what="workers"
        empty="No worker has joined the cluster. Start one with `strata worker --redis …`."
        columns={[
          { header: "Worker", cell: (w) => w.name },
          { header: "Host", cell: (w) => w.host },
          { header: "Running", numeric: true, cell: (w) => `${w.running} / ${w.concurrency}` },
          { header: "Done", numeric: true, cell: (w) => w.done },
          { header: "Failed", numeric: true, cell: (w) => w.failed },
          { header: "Last shard", cell: (w) => w.lastShard || "—" },
          { header: "Last seen", cell: (w) => new Date(w.lastSeen).toLocaleTimeString() },
        ]}
      />
    </>
  );
}
