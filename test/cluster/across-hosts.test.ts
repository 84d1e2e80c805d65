/**
 * Issue 16: a cluster across hosts. Network namespaces made by the test (helpers/netns.ts) stand for machines:
 * Redis (with a password), the S3-protocol server (s3rver) and three `strata worker` processes each on an
 * address of their own, and the coordinator — this process — on another. The channel is in S3; each worker
 * reads its objects from there into its own home. Mid-job the link of a worker holding a shard is cut
 * (`ip link set … down`, a pulled cable: no reset, its connections hang); its lock runs out, its shard runs
 * on another worker, and the job ends with the model of the same job run in one process.
 * @module
 */
import assert from "node:assert/strict";
import type { ChildProcess } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { after, before, describe, test } from "node:test";
import { resolveStore } from "../../src/data/sources/resolve.js";
import { TrainingService } from "../../src/jobs/training-service.js";
import { PROJECT_ROOT } from "../helpers/census.js";
import { tempDir } from "../helpers/cli.js";
import { startWorker, stopWorker, type WorkerProcess, writeParquet } from "../helpers/cluster.js";
import { makeNetLab, type NetLab, netnsSkip } from "../helpers/netns.js";
import { type RedisServer, redisSkip, startRedis } from "../helpers/redis.js";

const S3RVER_PROCESS = resolve(PROJECT_ROOT, "test/helpers/s3rver-process.ts");
const WORKERS = ["w1", "w2", "w3"];

/** The first line `child` writes to stdout. */
async function firstLine(child: ChildProcess): Promise<string> {
  let text = "";
  child.stdout!.setEncoding("utf8");
  return new Promise((done, fail) => {
    child.stdout!.on("data", (chunk: string) => {
      text += chunk;
      if (text.includes("\n")) done(text.slice(0, text.indexOf("\n")));
    });
    child.once("exit", (code) => fail(new Error(`exited (${code}) before it printed a line`)));
  });
}

function modelOf(home: string, name: string): unknown {
  return JSON.parse(readFileSync(join(home, "artifacts", name, "output", "strata-model.json"), "utf8")).model;
}

describe("a cluster across hosts: Redis, S3, the coordinator and three workers on their own addresses", {
  skip: netnsSkip || redisSkip,
}, () => {
  let lab: NetLab;
  let redis: RedisServer;
  let s3: ChildProcess;
  let home: string;
  const workers = new Map<string, WorkerProcess>();
  const saved = { ...process.env };

  before(async () => {
    lab = makeNetLab(["redis", "s3", ...WORKERS]);
    redis = await startRedis({
      host: lab.address("redis"),
      port: 6379,
      password: "cluster-secret",
      under: lab.under("redis"),
    });
    s3 = lab.spawn("s3", process.execPath, ["--import", "tsx", S3RVER_PROCESS, lab.address("s3"), "strata"]);
    const { endpoint } = JSON.parse(await firstLine(s3)) as { endpoint: string };
    const s3Env = {
      AWS_ENDPOINT_URL_S3: endpoint,
      AWS_REGION: "us-east-1",
      AWS_ACCESS_KEY_ID: "S3RVER",
      AWS_SECRET_ACCESS_KEY: "S3RVER",
    };
    // The coordinator (this process) lists the channel in S3 too.
    Object.assign(process.env, s3Env);
    home = tempDir("strata-hosts-");
    // Three objects large enough that a worker is still reading one when its cable is pulled.
    const local = join(home, "generated");
    await writeParquet(local, 3, 600_000);
    for (const file of readdirSync(local)) {
      const uri = `s3://strata/channel/${file}`;
      await resolveStore(uri).put(uri, { file: join(local, file) });
    }
    for (const w of WORKERS)
      workers.set(
        w,
        await startWorker(redis.url, tempDir(`strata-${w}-`), { under: lab.under(w), env: s3Env }),
      );
  });

  after(async () => {
    for (const w of WORKERS) lab?.restore(w);
    await Promise.all([...workers.values()].map(stopWorker));
    s3?.kill("SIGTERM");
    await redis?.stop();
    lab?.destroy();
    process.env = saved;
  });

  test("a worker's link cut while it holds a shard: the shard runs on another host, the job ends with the one-process model", async () => {
    const job = (name: string) => ({
      TrainingJobName: name,
      AlgorithmSpecification: { TrainingImage: "pca", TrainingInputMode: "Pipe" },
      HyperParameters: { num_components: "4" },
      InputDataConfig: [
        {
          ChannelName: "train",
          DataSource: { S3DataSource: { S3Uri: "s3://strata/channel/" } },
          ContentType: "application/x-parquet",
        },
      ],
    });
    const single = await TrainingService.open({ home });
    const clustered = await TrainingService.open({ home, cluster: redis.url });
    try {
      await single.createTrainingJob(job("hosts-local"));
      const alone = await single.waitForCompletion("hosts-local");
      assert.equal(alone.TrainingJobStatus, "Completed", alone.FailureReason);

      const started = (w: string) =>
        (
          workers
            .get(w)!
            .log()
            .match(/ started /g) ?? []
        ).length;
      const before = new Map(WORKERS.map((w) => [w, started(w)]));
      await clustered.createTrainingJob(job("hosts-cluster"));
      // The first worker to take a shard of the job loses its cable at once: it is still reading its object.
      let victim: string | undefined;
      for (let i = 0; i < 3000 && victim === undefined; i++) {
        victim = WORKERS.find((w) => started(w) > before.get(w)!);
        if (victim === undefined) await new Promise((r) => setTimeout(r, 5));
      }
      assert.ok(victim !== undefined, "a worker started a shard");
      lab.cut(victim);
      const done = await clustered.waitForCompletion("hosts-cluster", { timeoutMs: 120_000 });
      assert.equal(done.TrainingJobStatus, "Completed", done.FailureReason);
      assert.deepEqual(modelOf(home, "hosts-cluster"), modelOf(home, "hosts-local"));
      // The log says which shard was retried, and that it ran on another host than the one cut off.
      const lines = clustered.logs("hosts-cluster").map((l) => l.message);
      const victimName = `:${workers.get(victim)!.child.pid}`;
      const retried = lines.flatMap((m) => [...m.matchAll(/shard (\d) retried \(attempt (\d), on (\S+)\)/g)]);
      assert.ok(retried.length >= 1, lines.join("\n"));
      assert.ok(
        retried.every((r) => !r[3]!.endsWith(victimName)),
        `retried on the cut-off worker: ${lines.join("\n")}`,
      );
      assert.ok(lines.some((m) => m.includes("on the cluster at redis://")));
      // DescribeTrainingJob's Training status says where the shards ran, and which one was retried where.
      const training = done.SecondaryStatusTransitions.find((t) => t.Status === "Training")!.StatusMessage;
      assert.match(
        training,
        /1 round on the cluster at redis:\/\/\S+: 3 shards ran on .+; retried: round 1 shard \d \(attempt [2-9], on \S+:\d+\)\.$/,
      );
      const rerunOn = /retried: round 1 shard \d \(attempt \d, on (\S+)\)/.exec(training)?.[1];
      assert.ok(rerunOn !== undefined && !rerunOn.endsWith(victimName), training);
      assert.ok(!training.includes("cluster-secret"), training);
      assert.ok(!lines.some((m) => m.includes("cluster-secret")), "the password never reaches a log");
    } finally {
      await clustered.close();
      await single.close();
    }
  });
});
