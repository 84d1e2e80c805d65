/**
 * The training-job commands as a user runs them: `strata train`, `strata jobs …`, `strata model inspect`, in
 * child processes with a private STRATA_HOME, through the real entry point.
 */
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { blobs, tempHome, writeCsv } from "./job-fixtures.js";

const ENTRY = fileURLToPath(new URL("../../src/cli/main.ts", import.meta.url));

function strata(
  home: string,
  args: string[],
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", ENTRY, ...args], {
      env: { ...process.env, STRATA_HOME: home },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (d: string) => (stdout += d));
    child.stderr.setEncoding("utf8").on("data", (d: string) => (stderr += d));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

describe("strata train / jobs / model inspect", () => {
  let env: ReturnType<typeof tempHome>;
  let csv: string;
  before(() => {
    env = tempHome();
    csv = writeCsv(
      join(env.home, "train.csv"),
      blobs(
        120,
        [
          [0, 0, 0],
          [3, 3, 3],
        ],
        5,
      ),
    );
  });
  after(() => env.cleanup());

  it("trains K-Means with --wait and inspects the artifact as mx.nd.load's list", async () => {
    const run = await strata(env.home, [
      "train",
      "kmeans",
      "--train",
      csv,
      "--hp",
      "k=2",
      "--hp",
      "feature_dim=3",
      "--name",
      "cli-km",
      "--wait",
      "--json",
    ]);
    assert.equal(run.code, 0, run.stderr);
    const job = JSON.parse(run.stdout);
    assert.equal(job.TrainingJobStatus, "Completed");
    assert.equal(job.HyperParameters.k, "2");
    assert.match(run.stderr, /\[info\] #quality_metric: host=algo-1, train msd <loss>=/);
    const inspect = await strata(env.home, [
      "model",
      "inspect",
      job.ModelArtifacts.S3ModelArtifacts,
      "--json",
    ]);
    assert.equal(inspect.code, 0, inspect.stderr);
    const entry = JSON.parse(inspect.stdout).entries[0];
    assert.equal(entry.name, "model_algo-1");
    assert.equal(entry.type, "list");
    assert.deepEqual(entry.arrays[0].shape, [2, 3]);
    assert.equal(entry.arrays[0].dtype, "float32");
    assert.equal(entry.arrays[0].values.length, 2);
  });

  it("starts PCA in the background, then follows, lists and describes it", async () => {
    const start = await strata(env.home, [
      "train",
      "pca",
      "--train",
      csv,
      "--hp",
      "num_components=2",
      "--name",
      "cli-pca",
    ]);
    assert.equal(start.code, 0, start.stderr);
    assert.match(start.stdout, /^arn:aws:sagemaker:us-east-1:000000000000:training-job\/cli-pca\n/);
    const follow = await strata(env.home, ["jobs", "logs", "cli-pca", "--follow"]);
    assert.equal(follow.code, 0, follow.stderr);
    assert.match(follow.stdout, /^\d{4}-\d{2}-\d{2}T[\d:.]+Z \[info\] Created training job cli-pca/);
    assert.match(follow.stdout, /Training job Completed\.\n$/);
    const [list, describeText] = await Promise.all([
      strata(env.home, ["jobs", "list", "--json"]),
      strata(env.home, ["jobs", "describe", "cli-pca"]),
    ]);
    const names = JSON.parse(list.stdout).TrainingJobSummaries.map(
      (s: { TrainingJobName: string }) => s.TrainingJobName,
    );
    assert.deepEqual(names.sort(), ["cli-km", "cli-pca"]);
    assert.match(describeText.stdout, /^cli-pca {2}Completed \(Completed\)/);
    assert.match(describeText.stdout, /metric {9}train:explained_variance_ratio = /);
  });

  it("reports bad input on stderr with a non-zero exit", async () => {
    const [badHp, missing, stop, badFlag] = await Promise.all([
      strata(env.home, ["train", "pca", "--train", csv, "--hp", "num_componets=2", "--wait"]),
      strata(env.home, ["jobs", "describe", "no-such-job"]),
      strata(env.home, ["jobs", "stop", "cli-km"]),
      strata(env.home, ["train", "pca", "--train", csv, "--hp", "oops"]),
    ]);
    assert.equal(badHp.code, 1);
    assert.equal(badHp.stdout, "");
    assert.match(badHp.stderr, /Unknown PCA hyperparameter "num_componets"/);
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /Training job "no-such-job" does not exist/);
    assert.equal(stop.code, 1);
    assert.match(stop.stderr, /is Completed; only an InProgress job can be stopped/);
    assert.equal(badFlag.code, 2);
    assert.match(badFlag.stderr, /--hp "oops" is invalid: expected key=value/);
  });
});
