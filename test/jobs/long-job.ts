/**
 * A K-Means job that runs for many seconds (many blobs, tol 0, many restarts), passed as in-memory channels
 * so that building it costs no file I/O. Used by the stop, max-runtime and crash tests.
 * @module
 */
import { spawn } from "node:child_process";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { ChannelData } from "../../src/jobs/algorithm.js";
import { blobs } from "./job-fixtures.js";

export function longKMeansJob(
  name: string,
  home: string,
  maxRuntimeSeconds?: number,
): {
  request: Record<string, unknown>;
  channels: { train: ChannelData };
} {
  const centres = Array.from({ length: 40 }, (_, i) =>
    Array.from({ length: 8 }, (_, j) => ((i * 7 + j * 3) % 11) * 0.5),
  );
  const train = blobs(60_000, centres, 3, 1.5);
  return {
    request: {
      TrainingJobName: name,
      AlgorithmSpecification: { TrainingImage: "kmeans" },
      HyperParameters: {
        k: "40",
        local_lloyd_max_iter: "100000",
        local_lloyd_tol: "0",
        local_lloyd_num_trials: "1000",
      },
      InputDataConfig: [
        {
          ChannelName: "train",
          DataSource: { S3DataSource: { S3Uri: join(home, "in-memory.csv") } },
          ContentType: "text/csv",
        },
      ],
      ...(maxRuntimeSeconds === undefined
        ? {}
        : { StoppingCondition: { MaxRuntimeInSeconds: maxRuntimeSeconds } }),
    },
    channels: { train: { matrix: train, featureNames: null } },
  };
}

/**
 * Starts fixtures/long-job-child.ts on `home` in another process, waits until its job "killed-job" is
 * training, kills it with SIGKILL and returns its pid: a job whose owner died mid-run.
 */
export async function killTrainerMidJob(home: string): Promise<number> {
  const child = spawn(
    process.execPath,
    ["--import", "tsx", fileURLToPath(new URL("./fixtures/long-job-child.ts", import.meta.url)), home],
    { stdio: ["ignore", "pipe", "inherit"] },
  );
  const line = await new Promise<string>((resolve, reject) => {
    let out = "";
    child.stdout.setEncoding("utf8").on("data", (d: string) => {
      out += d;
      if (out.includes("\n")) resolve(out.trim());
    });
    child.on("exit", (code) => reject(new Error(`child exited (${code}) before training: ${out}`)));
  });
  if (!/^training killed-job \d+$/.test(line)) throw new Error(`unexpected child output: ${line}`);
  child.kill("SIGKILL");
  await new Promise((resolve) => child.once("exit", resolve));
  return child.pid!;
}
