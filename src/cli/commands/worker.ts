/**
 * `strata worker --redis <url>`: joins a cluster and runs the shards of its jobs (src/cluster/worker.ts) until
 * stopped (Ctrl-C or SIGTERM: the shards it holds finish first).
 * @module
 */
import { mkdirSync } from "node:fs";
import type { Command } from "commander";
import { redisOptions } from "../../cluster/redis-url.js";
import { strataHome } from "../../registry/home.js";
import { parseIntegerIn } from "../arguments.js";

interface WorkerFlags {
  redis?: string;
  dataRoot: string[];
  outputRoot: string[];
  allowHttpSources?: boolean;
  concurrency: number;
  lockTimeout: number;
  quiet?: boolean;
}

export function registerWorker(program: Command): void {
  program
    .command("worker")
    .description("Join a cluster (its Redis) and run the shards of its training and batch transform jobs.")
    .option(
      "--redis <url>",
      "the cluster's Redis: redis://[user:password@]host:port[/db], or rediss:// for TLS (default: $STRATA_CLUSTER)",
    )
    .option(
      "--concurrency <n>",
      "shards run at once, each on a thread of its own",
      parseIntegerIn("--concurrency", 1, 64),
      1,
    )
    .option(
      "--lock-timeout <ms>",
      "how long a shard's lock lasts unrenewed: how soon the shard of a worker that died or was cut off runs elsewhere",
      parseIntegerIn("--lock-timeout", 500, 600_000),
      10_000,
    )
    .option(
      "--data-root <dir>",
      "a directory whose objects tasks may name, beside $STRATA_HOME (repeatable; s3:// objects are always read)",
      (value: string, previous: string[]) => [...previous, value],
      [] as string[],
    )
    .option(
      "--output-root <dir>",
      "a directory batch-transform tasks may write their outputs under, beside $STRATA_HOME/artifacts (repeatable; s3:// outputs are always written)",
      (value: string, previous: string[]) => [...previous, value],
      [] as string[],
    )
    .option("--allow-http-sources", "let tasks name http(s) objects (public addresses only)")
    .option("--quiet", "no log lines")
    .action(async (flags: WorkerFlags) => {
      const url = flags.redis ?? process.env["STRATA_CLUSTER"];
      if (url === undefined) redisOptions("", "--redis"); // names the flag and the expected form
      redisOptions(url!, "--redis");
      const { startClusterWorker } = await import("../../cluster/worker.js");
      const home = strataHome();
      mkdirSync(home, { recursive: true });
      const log = (_level: string, message: string) => {
        if (!flags.quiet) process.stderr.write(`${new Date().toISOString()} ${message}\n`);
      };
      const worker = await startClusterWorker({
        url: url!,
        concurrency: flags.concurrency,
        lockMs: flags.lockTimeout,
        logger: { log },
        home,
        access: {
          dataRoots: flags.dataRoot,
          outputRoots: flags.outputRoot,
          allowHttp: flags.allowHttpSources === true,
        },
      });
      await new Promise<void>((resolve) => {
        const stop = () => resolve();
        process.once("SIGINT", stop);
        process.once("SIGTERM", stop);
      });
      log("info", `worker ${worker.name} leaving the cluster`);
      await worker.close();
    });
}
