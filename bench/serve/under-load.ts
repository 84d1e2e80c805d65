/**
 * What `strata serve` costs while it works for others (issue 12): a real server process transforms a
 * 2,000,000-row CSV of census rows through the census pipeline endpoint's model and then trains a 2,000,000-row
 * K-Means job, while a client invokes the endpoint with single rows, one after another, the whole time.
 * Reports the server's peak RSS (VmHWM) per phase, sampled RSS, and InvokeEndpoint latency (p50 / p99 / max)
 * during each phase and at rest.
 *
 *   node --import tsx bench/serve/under-load.ts [--rows 2000000] [--no-train] [--json]
 *
 * Generated data lives in bench/.data/ (git-ignored). Not part of `npm test`.
 * @module
 */
import { execFileSync, spawn } from "node:child_process";
import { once } from "node:events";
import { createWriteStream, mkdirSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import {
  CreateEndpointCommand,
  CreateEndpointConfigCommand,
  CreateTrainingJobCommand,
  CreateTransformJobCommand,
  DescribeEndpointCommand,
  DescribeTrainingJobCommand,
  DescribeTransformJobCommand,
  SageMakerClient,
} from "@aws-sdk/client-sagemaker";
import { InvokeEndpointCommand, SageMakerRuntimeClient } from "@aws-sdk/client-sagemaker-runtime";

const ROOT = resolve(import.meta.dirname, "../..");
const DATA = join(ROOT, "bench/.data/under-load");
const CENSUS =
  process.env["STRATA_CENSUS_CSV"] ?? resolve(ROOT, "../shared/data/census/acs2015_county_data.csv");
const rows = Number(process.argv[process.argv.indexOf("--rows") + 1] ?? 0) || 2_000_000;
const json = process.argv.includes("--json");
/** `--no-train`: the transform phase only (a 20M-row K-Means job in memory is not what this measures). */
const train = !process.argv.includes("--no-train");
const PART_ROWS = 4_000_000;
const credentials = { accessKeyId: "BENCHUNDERLOAD", secretAccessKey: "bench-under-load-secret" };

function census(): string[] {
  const lines = readFileSync(CENSUS, "utf8").split(/\r?\n/).slice(1);
  return lines
    .filter((l) => l !== "" && !l.split(",").some((c) => c === ""))
    .map((l) => l.split(",").slice(3).join(","));
}

async function writeRows(path: string, source: readonly string[], n: number): Promise<void> {
  const out = createWriteStream(path);
  let chunk = "";
  for (let i = 0; i < n; i++) {
    chunk += `${source[i % source.length]}\n`;
    if (chunk.length > 1 << 20) {
      if (!out.write(chunk)) await once(out, "drain");
      chunk = "";
    }
  }
  out.end(chunk);
  await once(out, "finish");
}

function rssOf(pid: number): { rss: number; hwm: number } {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const kb = (key: string) => Number(new RegExp(`${key}:\\s+(\\d+)`).exec(status)?.[1] ?? 0);
  return { rss: kb("VmRSS") / 1024, hwm: kb("VmHWM") / 1024 };
}

function percentile(sorted: readonly number[], p: number): number {
  return sorted.length === 0
    ? Number.NaN
    : sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

interface Phase {
  readonly phase: string;
  readonly seconds: number;
  readonly invocations: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly maxMs: number;
  readonly peakRssMb: number;
}

async function main(): Promise<void> {
  rmSync(DATA, { recursive: true, force: true });
  mkdirSync(join(DATA, "in"), { recursive: true });
  const home = join(DATA, "home");
  const env = {
    ...process.env,
    STRATA_HOME: home,
    STRATA_ACCESS_KEY_ID: credentials.accessKeyId,
    STRATA_SECRET_ACCESS_KEY: credentials.secretAccessKey,
  };
  process.stderr.write(`under-load: strata run (registers census-pipeline), ${rows} rows generated\n`);
  execFileSync(
    process.execPath,
    [
      "--import",
      "tsx",
      "src/cli/main.ts",
      "run",
      "--data",
      CENSUS,
      "--out",
      join(DATA, "run"),
      "--no-report",
      "--quiet",
    ],
    { cwd: ROOT, env, stdio: ["ignore", "ignore", "inherit"] },
  );
  const source = census();
  // Parts of at most 4,000,000 rows (~640 MB): a server job reads local objects of up to 1 GiB each.
  const input = `${join(DATA, "in")}/`;
  const parts = Math.ceil(rows / PART_ROWS);
  for (let p = 0; p < parts; p++)
    await writeRows(join(DATA, "in", `rows-${p}.csv`), source, Math.min(PART_ROWS, rows - p * PART_ROWS));

  const port = 18000 + Math.floor(Math.random() * 1000);
  const server = spawn(
    process.execPath,
    [
      "--import",
      "tsx",
      "src/cli/main.ts",
      "serve",
      "--port",
      String(port),
      "--data-root",
      DATA,
      "--output-root",
      DATA,
    ],
    { cwd: ROOT, env, stdio: ["ignore", "pipe", "inherit"] },
  );
  await new Promise<void>((resolveReady) =>
    server.stdout!.on("data", (d: Buffer) => d.toString().includes("listening") && resolveReady()),
  );
  const config = { endpoint: `http://127.0.0.1:${port}`, region: "us-east-1", credentials, maxAttempts: 1 };
  const sm = new SageMakerClient(config);
  const rt = new SageMakerRuntimeClient(config);
  try {
    await sm.send(
      new CreateEndpointConfigCommand({
        EndpointConfigName: "load-config",
        ProductionVariants: [
          {
            VariantName: "AllTraffic",
            ModelName: "census-pipeline",
            InitialInstanceCount: 1,
            InstanceType: "ml.m5.large",
          },
        ],
      }),
    );
    await sm.send(new CreateEndpointCommand({ EndpointName: "load", EndpointConfigName: "load-config" }));
    while (
      (await sm.send(new DescribeEndpointCommand({ EndpointName: "load" }))).EndpointStatus !== "InService"
    )
      await new Promise((r) => setTimeout(r, 50));

    const row = new TextEncoder().encode(source[0]!);
    const measure = async (phase: string, work: () => Promise<boolean>): Promise<Phase> => {
      const latencies: number[] = [];
      let peak = 0;
      const started = performance.now();
      const sampler = setInterval(() => {
        peak = Math.max(peak, rssOf(server.pid!).rss);
      }, 50);
      for (;;) {
        const t0 = performance.now();
        await rt.send(
          new InvokeEndpointCommand({ EndpointName: "load", ContentType: "text/csv", Body: row }),
        );
        latencies.push(performance.now() - t0);
        if (latencies.length % 20 === 0 && (await work())) break;
      }
      clearInterval(sampler);
      latencies.sort((a, b) => a - b);
      return {
        phase,
        seconds: (performance.now() - started) / 1000,
        invocations: latencies.length,
        p50Ms: percentile(latencies, 50),
        p99Ms: percentile(latencies, 99),
        maxMs: latencies[latencies.length - 1]!,
        peakRssMb: Math.max(peak, rssOf(server.pid!).rss),
      };
    };

    const phases: Phase[] = [];
    let restUntil = performance.now() + 3000;
    phases.push(await measure("at rest", async () => performance.now() > restUntil));

    await sm.send(
      new CreateTransformJobCommand({
        TransformJobName: "load-transform",
        ModelName: "census-pipeline",
        TransformInput: {
          DataSource: { S3DataSource: { S3DataType: "S3Prefix", S3Uri: input } },
          ContentType: "text/csv",
          SplitType: "Line",
        },
        TransformOutput: { S3OutputPath: join(DATA, "out"), AssembleWith: "Line" },
        TransformResources: { InstanceType: "ml.m5.large", InstanceCount: 1 },
        BatchStrategy: "MultiRecord",
        MaxPayloadInMB: 6,
      }),
    );
    let transformStatus = "";
    phases.push(
      await measure(`batch transform of ${rows} rows`, async () => {
        const d = await sm.send(new DescribeTransformJobCommand({ TransformJobName: "load-transform" }));
        transformStatus = d.TransformJobStatus ?? "";
        if (d.FailureReason) transformStatus += ` (${d.FailureReason})`;
        return transformStatus !== "InProgress";
      }),
    );

    if (train)
      await sm.send(
        new CreateTrainingJobCommand({
          TrainingJobName: "load-train",
          AlgorithmSpecification: { TrainingImage: "kmeans", TrainingInputMode: "File" },
          RoleArn: "arn:aws:iam::000000000000:role/x",
          HyperParameters: { k: "7", local_lloyd_num_trials: "1" },
          InputDataConfig: [
            {
              ChannelName: "train",
              ContentType: "text/csv",
              DataSource: { S3DataSource: { S3DataType: "S3Prefix", S3Uri: input } },
            },
          ],
          ResourceConfig: { InstanceType: "ml.m5.large", InstanceCount: 1, VolumeSizeInGB: 1 },
          StoppingCondition: { MaxRuntimeInSeconds: 3600 },
          OutputDataConfig: { S3OutputPath: join(DATA, "artifacts") },
        }),
      );
    let trainStatus = "skipped";
    if (train)
      phases.push(
        await measure(`K-Means training job on ${rows} rows`, async () => {
          trainStatus =
            (await sm.send(new DescribeTrainingJobCommand({ TrainingJobName: "load-train" })))
              .TrainingJobStatus ?? "";
          return trainStatus !== "InProgress";
        }),
      );
    restUntil = performance.now() + 2000;
    phases.push(await measure("at rest after", async () => performance.now() > restUntil));
    const hwm = rssOf(server.pid!).hwm;
    const fileMb =
      readdirSync(join(DATA, "in")).reduce((a, f) => a + statSync(join(DATA, "in", f)).size, 0) / 2 ** 20;
    if (json)
      process.stdout.write(
        `${JSON.stringify({ rows, fileMb, transformStatus, trainStatus, serverPeakRssMb: hwm, phases }, null, 2)}\n`,
      );
    else {
      process.stdout.write(
        `input: ${rows} rows, ${fileMb.toFixed(0)} MB CSV in ${parts} objects; transform ${transformStatus}, training ${trainStatus}; server VmHWM ${hwm.toFixed(0)} MB\n\n`,
      );
      process.stdout.write(
        "| phase | s | invocations | p50 ms | p99 ms | max ms | server peak RSS MB |\n|---|---|---|---|---|---|---|\n",
      );
      for (const p of phases)
        process.stdout.write(
          `| ${p.phase} | ${p.seconds.toFixed(1)} | ${p.invocations} | ${p.p50Ms.toFixed(2)} | ${p.p99Ms.toFixed(2)} | ${p.maxMs.toFixed(1)} | ${p.peakRssMb.toFixed(0)} |\n`,
        );
    }
  } finally {
    sm.destroy();
    rt.destroy();
    server.kill("SIGTERM");
    await once(server, "exit");
  }
}

await main();
