import { existsSync, mkdirSync, rmSync } from "node:fs";
import { resolve } from "node:path";
import { ClusterExecutor } from "../../src/cluster/cluster-executor.js";
import type { StreamShard } from "../../src/contract/contract.js";
import { fitRounds, InlineExecutor, type RoundExecutor } from "../../src/contract/executor.js";
import { sqlString, withConnection } from "../../src/data/duckdb.js";
import {
  LLOYD_ROUNDS_REF,
  type LloydModel,
  type LloydRoundPartial,
  type LloydRoundState,
} from "../../src/kmeans/lloyd-rounds.js";
import { matrix } from "../../src/linalg/matrix.js";
import { redisSkip, startRedis } from "../../test/helpers/redis.js";
import { startWorkers, stopWorkers } from "../cluster-workers.js";
import { DATA_DIR } from "../generate.js";
import { type BenchRow, row, skipped } from "../harness.js";
import { buildCli } from "./run.js";

const CASE = "cluster";
const OBJECTS = 6;
const COLS = 5;
const K = 7;
const ROUNDS = 10;
const FITS = 6;

async function tableOf(n: number): Promise<StreamShard[]> {
  const dir = resolve(DATA_DIR, `cluster-${n}`);
  const per = Math.ceil(n / OBJECTS);
  const paths = Array.from({ length: OBJECTS }, (_, f) => resolve(dir, `part-${f}.parquet`));
  if (!paths.every((p) => existsSync(p))) {
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    const columns = Array.from(
      { length: COLS },
      (_, t) => `(i % ${K}) * ${3 + t} + sin(i * ${0.37 * (t + 1)}) AS c${t}`,
    ).join(", ");
    await withConnection(async (con) => {
      for (const [f, path] of paths.entries())
        await con.run(
          `COPY (SELECT ${columns} FROM (SELECT range::DOUBLE AS i FROM range(${f * per}, ${Math.min(n, (f + 1) * per)}))) TO ${sqlString(path)} (FORMAT parquet)`,
        );
    });
  }
  return paths.map((path, f) => ({
    stream: { path, format: "parquet", labelSize: 0, name: path },
    firstRow: f * per,
    chunkRows: 8192,
  }));
}

/** Round times of FITS fits (Lloyd converges here in a few rounds), each fit's first round left out. */
async function msPerRound(executor: RoundExecutor, shards: readonly StreamShard[]): Promise<number[]> {
  const times: number[] = [];
  for (let fit = 0; fit < FITS; fit++) times.push(...(await oneFit(executor, shards)));
  return times;
}

async function oneFit(executor: RoundExecutor, shards: readonly StreamShard[]): Promise<number[]> {
  const centres = matrix(
    K,
    COLS,
    Float64Array.from({ length: K * COLS }, (_, i) => Math.floor(i / COLS) * (3 + (i % COLS))),
  );
  const times: number[] = [];
  let last = performance.now();
  await fitRounds<LloydRoundState, LloydRoundPartial, LloydModel>(
    executor,
    LLOYD_ROUNDS_REF,
    { centres, iteration: 0, maxIterations: ROUNDS, tol: 0 },
    shards,
    {
      onRound: () => {
        const now = performance.now();
        times.push(now - last);
        last = now;
      },
    },
  );
  return times.slice(1); // the first round also loads the algorithm (and, on workers, their threads)
}

function timing(times: readonly number[]) {
  const sorted = [...times].sort((a, b) => a - b);
  return {
    medianMs: sorted[Math.floor(sorted.length / 2)]!,
    minMs: sorted[0]!,
    maxMs: sorted.at(-1)!,
    runs: sorted.length,
  };
}

/** Runs the cluster case at each size (default 6,000 rows: the overhead alone; and 600,000). */
export async function clusterCase(sizes: readonly number[]): Promise<BenchRow[]> {
  if (redisSkip !== false) return sizes.map((n) => skipped(CASE, "strata cluster", n, redisSkip as string));
  const main = buildCli();
  const out: BenchRow[] = [];
  for (const n of sizes) {
    const shards = await tableOf(n);
    const inline = timing(await msPerRound(new InlineExecutor(), shards));
    out.push(
      row(
        CASE,
        "in-process engine (caller's thread)",
        n,
        inline,
        `ms per Lloyd round over ${OBJECTS} streamed objects; ${Math.round(n / (inline.medianMs / 1000)).toLocaleString("en-US")} rows/s`,
      ),
    );
    const redis = await startRedis();
    try {
      for (const workers of [1, 2, 3]) {
        const children = await startWorkers(main, redis.url, workers);
        const executor = new ClusterExecutor({ url: redis.url });
        try {
          const t = timing(await msPerRound(executor, shards));
          out.push(
            row(
              CASE,
              `cluster, ${workers} worker${workers === 1 ? "" : "s"} (loopback Redis)`,
              n,
              t,
              `overhead ${(t.medianMs - inline.medianMs).toFixed(1)} ms per round; ${(t.medianMs / OBJECTS).toFixed(1)} ms per shard-task`,
            ),
          );
        } finally {
          await executor.close();
          await stopWorkers(children);
        }
      }
    } finally {
      await redis.stop();
    }
  }
  return out;
}
