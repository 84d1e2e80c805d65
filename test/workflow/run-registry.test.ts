/**
 * Issue 17: runs are a registry resource. A `strata run` in a terminal is recorded with its steps and its
 * headline; one that fails is recorded Failed with its reason; `strata runs list|describe` and the API's
 * ListSegmentationRuns / DescribeSegmentationRun (the console's list too) read the same records.
 */
import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { type RunningServer, startServer } from "../../src/api/server.js";
import { signedCall } from "../api/helpers.js";
import { censusCsvPath } from "../helpers/census.js";
import { runCli, tempDir } from "../helpers/cli.js";

interface ListedRun {
  id: string;
  status: string;
  source: string;
  failureReason: string | null;
  headline: { name: string; rows: number; clusters: number; pipelineModel: string } | null;
}

describe("runs in the registry", () => {
  const dir = tempDir("strata-run-registry-");
  const env = { STRATA_HOME: join(dir, "home") };
  let server: RunningServer;

  before(async () => {
    const ok = await runCli(
      ["run", "--data", censusCsvPath(), "--out", join(dir, "out"), "--no-report", "--quiet"],
      {
        env,
      },
    );
    assert.equal(ok.code, 0, ok.stderr);
    const bad = join(dir, "bad.csv");
    writeFileSync(bad, "Id,X\na,1\nb,oops\nc,3\n");
    const failed = await runCli(["run", "--data", bad, "--out", join(dir, "out-bad"), "--quiet"], { env });
    assert.notEqual(failed.code, 0);
    server = await startServer({ port: 0, home: env.STRATA_HOME, log: () => undefined });
  });
  after(() => server?.close());

  test("strata runs list shows the completed run with its headline and the failed one with its reason", async () => {
    const r = await runCli(["runs", "list", "--json"], { env });
    assert.equal(r.code, 0, r.stderr);
    const { runs } = JSON.parse(r.stdout) as { runs: ListedRun[] };
    assert.equal(runs.length, 2);
    const [failed, done] = runs;
    assert.equal(failed!.status, "Failed");
    assert.match(failed!.failureReason ?? "", /oops|X/);
    assert.equal(done!.status, "Completed");
    assert.deepEqual(
      { name: done!.headline!.name, rows: done!.headline!.rows, k: done!.headline!.clusters },
      { name: "census", rows: 3218, k: 7 },
    );
    assert.equal(done!.headline!.pipelineModel, "census-pipeline");
  });

  test("strata runs describe lists the run's steps in order", async () => {
    const { runs } = JSON.parse((await runCli(["runs", "list", "--json"], { env })).stdout) as {
      runs: ListedRun[];
    };
    const id = runs.find((r) => r.status === "Completed")!.id;
    const r = await runCli(["runs", "describe", id, "--json"], { env });
    assert.equal(r.code, 0, r.stderr);
    const { events } = JSON.parse(r.stdout) as { events: { kind: string; step: string | null }[] };
    const done = events.filter((e) => e.kind === "step-done").map((e) => e.step);
    assert.deepEqual(done, [
      "load",
      "clean",
      "describe",
      "scale",
      "pca",
      "project",
      "kmeans",
      "assign",
      "explain",
      "write",
    ]);
    assert.equal(events.at(-1)!.kind, "end");
  });

  test("the API's ListSegmentationRuns and DescribeSegmentationRun read the same records", async () => {
    const list = await signedCall(server, "SageMaker.ListSegmentationRuns", "{}");
    assert.equal(list.status, 200, list.text);
    const { Runs } = JSON.parse(list.text) as {
      Runs: { RunId: string; RunStatus: string; Clusters?: number }[];
    };
    assert.deepEqual(
      Runs.map((r) => r.RunStatus),
      ["Failed", "Completed"],
    );
    const described = await signedCall(
      server,
      "SageMaker.DescribeSegmentationRun",
      JSON.stringify({ RunId: Runs[1]!.RunId }),
    );
    assert.equal(described.status, 200, described.text);
    const run = JSON.parse(described.text) as { Clusters: number; Events: unknown[]; CreationTime: number };
    assert.equal(run.Clusters, 7);
    assert.ok(run.Events.length >= 10);
    assert.equal(typeof run.CreationTime, "number");
    const missing = await signedCall(
      server,
      "SageMaker.DescribeSegmentationRun",
      JSON.stringify({ RunId: "nope" }),
    );
    assert.equal(missing.status, 400);
  });
});
