import { readFileSync } from "node:fs";
import { availableParallelism } from "node:os";
import { TrainingService } from "../../src/jobs/training-service.js";
import { tempDir } from "../../test/helpers/cli.js";
import { redisSkip, startRedis } from "../../test/helpers/redis.js";
import { startWorkers, stopWorkers } from "../cluster-workers.js";
import { type BenchRow, row, skipped } from "../harness.js";
import { buildCli } from "./run.js";
import { streamTable } from "./stream.js";

const CASE = "cluster-fit";
const SHARDS = 8;
const ROUNDS = 1;
/** The cluster case's measured overhead per round (BENCHMARKS.md), ms. */
const ROUND_OVERHEAD_MS = 8;
/** Clock ticks per second of /proc/<pid>/stat's times (Linux's USER_HZ). */
const TICKS = 100;

function job(name: string, dir: string) {
  return {
    TrainingJobName: name,
    AlgorithmSpecification: { TrainingImage: "pca", TrainingInputMode: "Pipe" },
    HyperParameters: { num_components: "10" },
    InputDataConfig: [
      {
        ChannelName: "train",
        DataSource: { S3DataSource: { S3Uri: `${dir}/`, S3DataDistributionType: "ShardedByS3Key" } },
        ContentType: "application/x-parquet",
      },
    ],
  };
}

/** Wall ms of one job on `service`. */
async function timeJob(service: TrainingService, name: string, dir: string): Promise<number> {
  const start = performance.now();
  await service.createTrainingJob(job(name, dir));
  const done = await service.waitForCompletion(name);
  if (done.TrainingJobStatus !== "Completed") throw new Error(`${name}: ${done.FailureReason}`);
  return performance.now() - start;
}

/** A process's user + system CPU seconds so far. */
function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
  return (Number(fields[11]) + Number(fields[12])) / TICKS;
}

const once = (ms: number) => ({ medianMs: ms, minMs: ms, maxMs: ms, runs: 1 });

/** Runs the case (default 20M rows). */
export async function clusterFitCase(sizes: readonly number[]): Promise<BenchRow[]> {
  if (redisSkip !== false) return sizes.map((n) => skipped(CASE, "strata cluster", n, redisSkip as string));
  const main = buildCli();
  const out: BenchRow[] = [];
  for (const n of sizes) {
    const { dir } = await streamTable(n);
    const home = tempDir("strata-cluster-fit-");
    const redis = await startRedis();
    const measured = new Map<number, { ms: number; cpu: number }>();
    try {
      for (const workers of [1, 3]) {
        const children = await startWorkers(main, redis.url, workers, home);
        // A first, unmeasured job warms the page cache and the workers' code.
        if (workers === 1) {
          const warm = await TrainingService.open({ home, cluster: redis.url });
          await timeJob(warm, "fit-warm-up", dir).finally(() => warm.close());
        }
        const service = await TrainingService.open({ home, cluster: redis.url });
        try {
          const before = children.map((c) => cpuSeconds(c.pid!));
          const ms = await timeJob(service, `fit-${workers}-workers`, dir);
          const cpu = children.reduce((sum, c, i) => sum + cpuSeconds(c.pid!) - before[i]!, 0);
          measured.set(workers, { ms, cpu });
          out.push(
            row(
              CASE,
              `PCA job on ${workers} worker${workers === 1 ? "" : "s"} (loopback Redis)`,
              n,
              once(ms),
              `${Math.round(n / (ms / 1000)).toLocaleString("en-US")} rows/s; workers' CPU ${cpu.toFixed(1)} s`,
            ),
          );
        } finally {
          await service.close();
          await stopWorkers(children);
        }
      }
    } finally {
      await redis.stop();
    }
    // After the cluster runs, so that every run reads the table from a warm page cache (the first read of its
    // 5.1 GB from disk was measured 40% slower).
    const local = await TrainingService.open({ home });
    try {
      const alone = await timeJob(local, "fit-in-process", dir);
      out.unshift(
        row(CASE, "PCA job in one process (Pipe, no cluster)", n, once(alone), `${SHARDS} objects, 1 round`),
      );
    } finally {
      await local.close();
    }
    const one = measured.get(1)!;
    const tShard = one.ms / SHARDS;
    const busy = one.cpu / (one.ms / 1000);
    const cores = availableParallelism();
    const overhead = ROUNDS * ROUND_OVERHEAD_MS;
    const perCore = (w: number) => Math.ceil(SHARDS / w) * tShard + overhead;
    const onCores = (w: number, c: number) =>
      Math.max(Math.ceil(SHARDS / w) * tShard, (SHARDS * tShard * busy) / c) + overhead;
    const three = measured.get(3)!;
    const predicted = onCores(3, cores);
    // Three workers on two cores slow each other (caches, DuckDB's threads): their CPU seconds grow. The floor
    // with the CPU they did use says how much of the gap that is.
    const contended = three.cpu / cores + overhead / 1000;
    out.push(
      row(
        CASE,
        `model: 3 workers on this machine's ${cores} cores`,
        n,
        once(predicted),
        `t_shard ${(tShard / 1000).toFixed(2)} s, u ${busy.toFixed(2)} cores per worker; measured ${(three.ms / 1000).toFixed(1)} s (${(((three.ms - predicted) / predicted) * 100).toFixed(0)}% over); with the CPU the 3 workers used (${three.cpu.toFixed(1)} s, ${(((three.cpu - one.cpu) / one.cpu) * 100).toFixed(0)}% more than 1 worker's) the floor is ${contended.toFixed(1)} s (${(((three.ms / 1000 - contended) / contended) * 100).toFixed(0)}% under the measured)`,
      ),
    );
    for (const w of [3, 8])
      out.push(
        row(
          CASE,
          `model: ${w} workers, a machine (or ${busy.toFixed(1)} cores) each`,
          n,
          once(perCore(w)),
          `⌈${SHARDS}/${w}⌉ × ${(tShard / 1000).toFixed(2)} s + ${overhead} ms: ${(one.ms / perCore(w)).toFixed(2)}× one worker`,
        ),
      );
  }
  return out;
}
