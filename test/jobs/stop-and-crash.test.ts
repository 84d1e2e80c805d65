/**
 * Stopping, running out of time and dying: a stopped job ends Stopped promptly, MaxRuntimeInSeconds ends a
 * job Stopped / MaxRuntimeExceeded, a job whose process is SIGKILLed reads Failed after the registry is
 * reopened and leaves no model.tar.gz, and two jobs run at once.
 */
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { TrainingService } from "../../src/jobs/training-service.js";
import { blobs, csvRequest, tempHome, writeCsv } from "./job-fixtures.js";
import { killTrainerMidJob, longKMeansJob } from "./long-job.js";

async function untilTraining(service: TrainingService, name: string): Promise<void> {
  for (let i = 0; i < 500; i++) {
    const job = service.describeTrainingJob(name);
    if (job.SecondaryStatus === "Training") return;
    assert.equal(job.TrainingJobStatus, "InProgress", job.FailureReason);
    await new Promise((r) => setTimeout(r, 10));
  }
  assert.fail(`${name} never reached Training`);
}

describe("stopping and crashes", () => {
  let env: ReturnType<typeof tempHome>;
  let service: TrainingService;

  before(async () => {
    env = tempHome();
    service = await TrainingService.open({ home: env.home, stopGraceMs: 1500 });
  });
  after(async () => {
    await service.close();
    env.cleanup();
  });

  it("stops a long job promptly: Stopping, then Stopped, no model.tar.gz", async () => {
    const { request, channels } = longKMeansJob("long-stop", env.home);
    await service.createTrainingJob(request, { channels });
    await untilTraining(service, "long-stop");
    await new Promise((r) => setTimeout(r, 200));
    await service.stopTrainingJob("long-stop");
    assert.equal(service.describeTrainingJob("long-stop").TrainingJobStatus, "Stopping");
    const job = await service.waitForCompletion("long-stop", { timeoutMs: 5000 });
    assert.equal(job.TrainingJobStatus, "Stopped");
    assert.equal(job.SecondaryStatus, "Stopped");
    assert.deepEqual(
      job.SecondaryStatusTransitions.map((t) => t.Status),
      ["Starting", "Downloading", "Training", "Stopping", "Stopped"],
    );
    const logs = service.logs("long-stop").map((l) => l.message);
    assert.ok(
      !logs.some((m) => m.includes("terminated after the grace period")),
      "stopped by the abort signal, not terminate()",
    );
    assert.equal(existsSync(join(env.home, "artifacts", "long-stop", "output", "model.tar.gz")), false);
  });

  it("ends a job that exceeds MaxRuntimeInSeconds as Stopped / MaxRuntimeExceeded", async () => {
    const { request, channels } = longKMeansJob("long-timeout", env.home, 1);
    await service.createTrainingJob(request, { channels });
    const job = await service.waitForCompletion("long-timeout", { timeoutMs: 5000 });
    assert.equal(job.TrainingJobStatus, "Stopped");
    assert.equal(job.SecondaryStatus, "MaxRuntimeExceeded");
    const stopping = job.SecondaryStatusTransitions.find((t) => t.Status === "Stopping");
    assert.match(stopping?.StatusMessage ?? "", /MaxRuntimeInSeconds \(1 s\) exceeded/);
    const ran = job.TrainingEndTime!.getTime() - job.CreationTime.getTime();
    assert.ok(ran >= 1000 && ran < 3000, `ran ${ran} ms`);
  });

  it("runs two jobs at once, and stays responsive while they train", async () => {
    const data = blobs(
      2000,
      [
        [0, 0],
        [4, 4],
        [0, 4],
      ],
      11,
    );
    const csv = writeCsv(join(env.home, "two.csv"), data);
    const { request, channels } = longKMeansJob("long-background", env.home);
    await service.createTrainingJob(request, { channels });
    await service.createTrainingJob(
      csvRequest({ image: "kmeans", train: csv, hyperParameters: { k: "3" }, name: "pair-kmeans" }),
    );
    await service.createTrainingJob(
      csvRequest({ image: "pca", train: csv, hyperParameters: { num_components: "2" }, name: "pair-pca" }),
    );
    // The event loop keeps turning while the long job trains on another thread: a timer fires, and the
    // job is still training when it does.
    await untilTraining(service, "long-background");
    await new Promise((r) => setTimeout(r, 20));
    assert.equal(service.describeTrainingJob("long-background").SecondaryStatus, "Training");
    const [a, b] = await Promise.all([
      service.waitForCompletion("pair-kmeans", { timeoutMs: 10_000 }),
      service.waitForCompletion("pair-pca", { timeoutMs: 10_000 }),
    ]);
    assert.equal(a.TrainingJobStatus, "Completed", a.FailureReason);
    assert.equal(b.TrainingJobStatus, "Completed", b.FailureReason);
    assert.equal(service.describeTrainingJob("long-background").TrainingJobStatus, "InProgress");
    await service.stopTrainingJob("long-background");
    assert.equal(
      (await service.waitForCompletion("long-background", { timeoutMs: 5000 })).TrainingJobStatus,
      "Stopped",
    );
  });

  it("marks a job Failed after its process is killed, and leaves no model.tar.gz", async () => {
    const crashHome = tempHome();
    try {
      const pid = await killTrainerMidJob(crashHome.home);

      const reopened = await TrainingService.open({ home: crashHome.home });
      try {
        const job = reopened.describeTrainingJob("killed-job");
        assert.equal(job.TrainingJobStatus, "Failed");
        assert.equal(
          job.FailureReason,
          `The Strata process running this job (pid ${pid}) exited before the job finished.`,
        );
        assert.equal(
          existsSync(join(crashHome.home, "artifacts", "killed-job", "output", "model.tar.gz")),
          false,
        );
        assert.equal(
          reopened.listTrainingJobs({ StatusEquals: "InProgress" }).TrainingJobSummaries.length,
          0,
        );
      } finally {
        await reopened.close();
      }
    } finally {
      crashHome.cleanup();
    }
  });
});
