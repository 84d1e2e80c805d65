/**
 * The native guard (src/util/native-guard.ts): a worker thread is ended only between its native calls, because
 * ending it inside DuckDB's start-up or one of its queries aborts the whole process.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { describe, test } from "node:test";
import { fileURLToPath } from "node:url";
import type { Worker } from "node:worker_threads";
import { terminateWorker } from "../../src/util/native-guard.js";
import { startWorkerModule } from "../../src/util/worker-module.js";

const endWorkers = fileURLToPath(new URL("./fixtures/end-duckdb-workers.ts", import.meta.url));

function endDuckdbWorkers(rounds: number, unguarded: boolean) {
  return spawnSync(
    process.execPath,
    ["--import", "tsx", endWorkers, String(rounds), ...(unguarded ? ["--unguarded"] : [])],
    { encoding: "utf8", timeout: 120_000 },
  );
}

function nextMessage(worker: Worker): Promise<unknown> {
  return new Promise((resolve) => worker.once("message", resolve));
}

describe("ending worker threads that use DuckDB", () => {
  test("threads ended at random moments of the addon's start-up and of their queries: the process lives", () => {
    const run = endDuckdbWorkers(20, false);
    assert.equal(run.status, 0, run.stderr);
    assert.equal(run.stdout.trim(), "ended 20");
  });

  test("the same threads ended with worker.terminate() abort the process: the hazard the guard is for", () => {
    const run = endDuckdbWorkers(30, true);
    assert.notEqual(
      run.status,
      0,
      "worker.terminate() inside DuckDB no longer aborts: the guard may be dropped",
    );
    assert.match(run.stderr, /Napi::Error/);
  });
});

describe("terminateWorker", () => {
  test("waits for the native call in flight to finish", async () => {
    const worker = startWorkerModule(new URL("./fixtures/native-call-worker", import.meta.url));
    const heard: unknown[] = [];
    worker.on("message", (m) => heard.push(m));
    worker.postMessage("slow");
    while (!heard.includes("entered")) await nextMessage(worker);
    await terminateWorker(worker);
    assert.deepEqual(heard, ["entered", "left"]);
  });

  test("stops waiting when the thread exits inside its call (the count is never given back)", async () => {
    const worker = startWorkerModule(new URL("./fixtures/native-call-worker", import.meta.url));
    const exited = new Promise((resolve) => worker.once("exit", resolve));
    worker.postMessage("exit-inside");
    await nextMessage(worker);
    await terminateWorker(worker);
    assert.equal(await exited, 3);
    await terminateWorker(worker);
  });
});
