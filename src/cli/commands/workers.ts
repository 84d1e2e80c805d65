/**
 * `strata workers --redis <url>`: the cluster's live workers (src/cluster/worker-registry.ts), with their host,
 * load and last shard.
 * @module
 */
import type { Command } from "commander";
import { redisOptions } from "../../cluster/redis-url.js";
import { formatTable, printJson, printLines } from "../output.js";

interface WorkersFlags {
  redis?: string;
  json?: boolean;
}

export function registerWorkers(program: Command): void {
  program
    .command("workers")
    .description("List the live workers of a cluster: host, load, shards done, last shard.")
    .option("--redis <url>", "the cluster's Redis (default: $STRATA_CLUSTER)")
    .option("--json", "print the list as JSON")
    .action(async (flags: WorkersFlags) => {
      const url = flags.redis ?? process.env["STRATA_CLUSTER"] ?? "";
      redisOptions(url, "--redis");
      const [{ checkReachable, redisConnection }, { listWorkers }] = await Promise.all([
        import("../../cluster/queue.js"),
        import("../../cluster/worker-registry.js"),
      ]);
      await checkReachable(url, "--redis");
      const redis = redisConnection(url, "--redis");
      try {
        const workers = await listWorkers(redis);
        if (flags.json) printJson({ Workers: workers });
        else if (workers.length === 0) printLines("No live workers.");
        else
          printLines(
            formatTable(workers, [
              { header: "NAME", value: (w) => w.name },
              { header: "HOST", value: (w) => w.host },
              { header: "RUNNING", value: (w) => `${w.running}/${w.concurrency}` },
              { header: "DONE", value: (w) => w.done },
              { header: "FAILED", value: (w) => w.failed },
              { header: "LAST SHARD", value: (w) => w.lastShard },
              { header: "LAST SEEN (UTC)", value: (w) => w.lastSeen.slice(0, 19).replace("T", " ") },
            ]),
          );
      } finally {
        redis.disconnect();
      }
    });
}
