/**
 * Issue 12, owners that die: a `strata train --wait` in another process is killed with SIGKILL while a server
 * has the same registry open. The server's next DescribeTrainingJob (what an SDK waiter polls) reads Failed
 * with the reason, and so does its ListTrainingJobs; without a request, the periodic check marks it Failed
 * within seconds. Before, it read InProgress until another process opened the registry.
 * @module
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { DescribeTrainingJobCommand, ListTrainingJobsCommand } from "@aws-sdk/client-sagemaker";
import { TrainingJobStore } from "../../src/jobs/training-job-store.js";
import { openRegistryDb } from "../../src/registry/db.js";
import { pollUntil, startTestServer } from "../api/helpers.js";
import { tempHome } from "../jobs/job-fixtures.js";
import { killTrainerMidJob } from "../jobs/long-job.js";

test("a job whose process was killed reads Failed at the server's next Describe and List", async () => {
  const { home, cleanup } = tempHome();
  const t = await startTestServer({ home });
  try {
    const pid = await killTrainerMidJob(home);
    const job = await t.sm.send(new DescribeTrainingJobCommand({ TrainingJobName: "killed-job" }));
    assert.equal(job.TrainingJobStatus, "Failed");
    assert.equal(
      job.FailureReason,
      `The Strata process running this job (pid ${pid}) exited before the job finished.`,
    );
    const inProgress = await t.sm.send(new ListTrainingJobsCommand({ StatusEquals: "InProgress" }));
    assert.deepEqual(inProgress.TrainingJobSummaries, []);
  } finally {
    await t.close();
    cleanup();
  }
});

test("without any request, the server's periodic check marks it Failed", async () => {
  const { home, cleanup } = tempHome();
  const t = await startTestServer({ home });
  try {
    await killTrainerMidJob(home);
    // Read the registry directly, as another process would, so no request of ours triggers the recovery.
    const db = openRegistryDb({ home });
    try {
      const store = new TrainingJobStore(db);
      const status = await pollUntil(async () => {
        const s = store.get("killed-job").state.status;
        return s === "InProgress" ? undefined : s;
      }, 20_000);
      assert.equal(status, "Failed");
    } finally {
      db.close();
    }
  } finally {
    await t.close();
    cleanup();
  }
});
