import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { isStrataError } from "../../src/errors.js";
import {
  advance,
  canTransition,
  initialState,
  primaryStatus,
  type SecondaryStatus,
} from "../../src/jobs/lifecycle.js";

const t = (s: number) => new Date(Date.UTC(2026, 11, 1, 0, 0, s));

function walk(path: SecondaryStatus[]) {
  let state = initialState(t(0));
  path.forEach((s, i) => {
    state = advance(state, s, t(i + 1), s === "Failed" ? { failureReason: "ClientError: bad." } : {});
  });
  return state;
}

describe("training job lifecycle", () => {
  it("runs Starting -> Downloading -> Training -> Uploading -> Completed with SageMaker's messages and times", () => {
    const state = walk(["Downloading", "Training", "Uploading", "Completed"]);
    assert.equal(state.status, "Completed");
    assert.deepEqual(
      state.transitions.map((x) => [
        x.Status,
        x.StatusMessage,
        x.StartTime.getUTCSeconds(),
        x.EndTime?.getUTCSeconds(),
      ]),
      [
        ["Starting", "Starting the training job", 0, 1],
        ["Downloading", "Downloading input data", 1, 2],
        ["Training", "Training image download completed. Training in progress.", 2, 3],
        ["Uploading", "Uploading generated training model", 3, 4],
        ["Completed", "Training job completed", 4, 4],
      ],
    );
    assert.deepEqual(state.creationTime, t(0));
    assert.deepEqual(state.trainingStartTime, t(1));
    assert.deepEqual(state.trainingEndTime, t(4));
    assert.deepEqual(state.lastModifiedTime, t(4));
  });

  it("goes InProgress -> Stopping -> Stopped, and records MaxRuntimeExceeded as Stopped", () => {
    const stopping = walk(["Downloading", "Training", "Stopping"]);
    assert.equal(stopping.status, "Stopping");
    assert.equal(stopping.trainingEndTime, undefined);
    assert.equal(advance(stopping, "Stopped", t(9)).status, "Stopped");
    const timedOut = advance(stopping, "MaxRuntimeExceeded", t(9));
    assert.equal(timedOut.status, "Stopped");
    assert.equal(timedOut.secondaryStatus, "MaxRuntimeExceeded");
  });

  it("keeps a failure reason (at most 1024 characters)", () => {
    const failed = walk(["Downloading", "Failed"]);
    assert.equal(failed.status, "Failed");
    assert.equal(failed.failureReason, "ClientError: bad.");
    const long = advance(initialState(t(0)), "Failed", t(1), { failureReason: "x".repeat(5000) });
    assert.equal(long.failureReason!.length, 1024);
  });

  it("throws ILLEGAL_STATUS_TRANSITION for changes the machine does not allow", () => {
    const completed = walk(["Downloading", "Training", "Uploading", "Completed"]);
    for (const [state, to] of [
      [completed, "Training"],
      [completed, "Stopping"],
      [initialState(t(0)), "Completed"],
      [initialState(t(0)), "Stopped"],
      [walk(["Downloading", "Training", "Stopping"]), "Training"],
    ] as const) {
      assert.throws(
        () => advance(state, to, t(10)),
        (e: unknown) =>
          isStrataError(e, "ILLEGAL_STATUS_TRANSITION") &&
          e.message.includes(`from ${state.secondaryStatus} to ${to}`),
      );
    }
    assert.equal(canTransition("Uploading", "Completed"), true);
    assert.equal(canTransition("Failed", "Starting"), false);
  });

  it("derives the primary status from the secondary one", () => {
    assert.equal(primaryStatus("Downloading"), "InProgress");
    assert.equal(primaryStatus("Stopping"), "Stopping");
    assert.equal(primaryStatus("MaxRuntimeExceeded"), "Stopped");
    assert.equal(primaryStatus("Failed"), "Failed");
  });
});
