import assert from "node:assert/strict";
import { afterEach, beforeEach, describe, it } from "node:test";
import { isStrataError } from "../../src/errors.js";
import { advance, initialState } from "../../src/jobs/lifecycle.js";
import { recoverOrphanedJobs } from "../../src/jobs/recovery.js";
import { validateTrainingJobRequest } from "../../src/jobs/spec.js";
import { type TrainingJobRecord, TrainingJobStore } from "../../src/jobs/training-job-store.js";
import { openRegistryDb, schemaVersion } from "../../src/registry/db.js";
import { HostingStore } from "../../src/registry/hosting-store.js";
import { SCHEMA_VERSION } from "../../src/registry/migrations.js";
import { createOwner, isOwnerGone, releaseOwner } from "../../src/registry/owner.js";
import { tempHome } from "../jobs/job-fixtures.js";

function record(name: string, created: Date, owner: TrainingJobRecord["owner"] = null): TrainingJobRecord {
  const spec = validateTrainingJobRequest({
    TrainingJobName: name,
    AlgorithmSpecification: { TrainingImage: "kmeans" },
    HyperParameters: { k: "2" },
    InputDataConfig: [
      { ChannelName: "train", DataSource: { S3DataSource: { S3Uri: "/x.csv" } }, ContentType: "text/csv" },
    ],
  });
  return {
    name,
    arn: `arn:aws:sagemaker:us-east-1:000000000000:training-job/${name}`,
    algorithm: "kmeans",
    request: spec.request,
    state: initialState(created),
    artifactUri: null,
    metadataUri: null,
    progress: null,
    progressMessage: null,
    stopReason: null,
    owner,
  };
}

describe("registry", () => {
  let env: ReturnType<typeof tempHome>;
  beforeEach(() => {
    env = tempHome();
  });
  afterEach(() => env.cleanup());

  it("creates every table in WAL mode with a schema version", () => {
    const db = openRegistryDb({ home: `${env.home}/nested/home` });
    assert.equal(db.pragma("journal_mode", { simple: true }), "wal");
    assert.equal(db.pragma("foreign_keys", { simple: true }), 1);
    assert.equal(schemaVersion(db), SCHEMA_VERSION);
    const tables = (
      db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as {
        name: string;
      }[]
    ).map((r) => r.name);
    for (const t of [
      "endpoint_configs",
      "endpoints",
      "models",
      "schema_version",
      "training_job_logs",
      "training_job_metrics",
      "training_jobs",
      "transform_jobs",
    ]) {
      assert.ok(tables.includes(t), t);
    }
    db.close();
  });

  it("compiles each SQL text once per connection and reuses the statement, which still binds new values", () => {
    const db = openRegistryDb({ home: env.home });
    const sql = "SELECT ? + 1 AS n";
    const first = db.prepare(sql);
    assert.equal(db.prepare(sql), first);
    assert.notEqual(db.prepare("SELECT ? + 2 AS n"), first);
    assert.deepEqual([db.prepare(sql).get(1), db.prepare(sql).get(41)], [{ n: 2 }, { n: 42 }]);
    const other = openRegistryDb({ home: env.home });
    assert.notEqual(other.prepare(sql), first, "a statement belongs to its connection");
    other.close();
    db.close();
  });

  it("refuses a registry from a newer Strata", () => {
    const db = openRegistryDb({ home: env.home });
    db.prepare("INSERT INTO schema_version (version, applied_at) VALUES (?, ?)").run(
      SCHEMA_VERSION + 1,
      Date.now(),
    );
    db.close();
    assert.throws(
      () => openRegistryDb({ home: env.home }),
      (e: unknown) => isStrataError(e, "REGISTRY_UNAVAILABLE") && /newer|knows up to/.test(e.message),
    );
  });

  it("stores jobs, logs and metrics, and they survive a reopen", () => {
    let db = openRegistryDb({ home: env.home });
    let store = new TrainingJobStore(db);
    store.insert(record("job-a", new Date(1000)));
    store.insert(record("job-b", new Date(2000)));
    assert.throws(
      () => store.insert(record("job-a", new Date(3000))),
      (e: unknown) => isStrataError(e, "JOB_NAME_IN_USE"),
    );
    store.update("job-a", (r) => ({ state: advance(r.state, "Downloading", new Date(1500)) }));
    const first = store.appendLog("job-a", "info", "hello", new Date(1600));
    store.appendLog("job-a", "warn", "world", new Date(1700));
    store.setMetrics(
      "job-a",
      [
        { name: "train:msd", value: 0.25 },
        { name: "train:ssd", value: Number.NaN },
      ],
      new Date(1800),
    );
    db.close();

    db = openRegistryDb({ home: env.home });
    store = new TrainingJobStore(db);
    const a = store.get("job-a");
    assert.equal(a.state.secondaryStatus, "Downloading");
    assert.equal(a.state.transitions[0]!.EndTime!.getTime(), 1500);
    assert.equal(a.request.HyperParameters["k"], "2");
    assert.deepEqual(
      store.logs("job-a").map((l) => l.message),
      ["hello", "world"],
    );
    assert.deepEqual(
      store.logs("job-a", { sinceId: first }).map((l) => [l.level, l.message, l.time.getTime()]),
      [["warn", "world", 1700]],
    );
    assert.deepEqual(
      store.metrics("job-a").map((m) => [m.name, m.value]),
      [
        ["train:msd", 0.25],
        ["train:ssd", Number.NaN],
      ],
    );
    assert.deepEqual(
      store.list().map((r) => r.name),
      ["job-b", "job-a"],
    );
    assert.deepEqual(
      store.list({ sortOrder: "Ascending", limit: 1 }).map((r) => r.name),
      ["job-a"],
    );
    assert.deepEqual(
      store.list({ nameContains: "-B" }).map((r) => r.name),
      ["job-b"],
    );
    assert.throws(
      () => store.get("nope"),
      (e: unknown) => isStrataError(e, "JOB_NOT_FOUND") && e.awsType === "ResourceNotFound",
    );
    db.close();
  });

  it("marks jobs of dead processes Failed, and leaves live owners alone", () => {
    const db = openRegistryDb({ home: env.home });
    const store = new TrainingJobStore(db);
    const live = createOwner();
    const closed = createOwner();
    releaseOwner(closed);
    const dead = { pid: 2 ** 22 + 12345, hostname: live.hostname, token: "t", start: "1" };
    assert.equal(isOwnerGone(live), false);
    assert.equal(isOwnerGone(closed), true);
    assert.equal(isOwnerGone(dead), true);
    assert.equal(isOwnerGone({ ...dead, hostname: "another-host" }), false);
    store.insert(record("live", new Date(1), live));
    store.insert(record("closed", new Date(2), closed));
    store.insert(record("dead", new Date(3), dead));
    const recovered = recoverOrphanedJobs(store)
      .map((r) => r.name)
      .sort();
    assert.deepEqual(recovered, ["closed", "dead"]);
    assert.equal(store.get("live").state.status, "InProgress");
    const failed = store.get("dead");
    assert.equal(failed.state.status, "Failed");
    assert.equal(
      failed.state.failureReason,
      `The Strata process running this job (pid ${dead.pid}) exited before the job finished.`,
    );
    assert.deepEqual(recoverOrphanedJobs(store), []);
    releaseOwner(live);
    db.close();
  });

  it("finds the models whose names start with a prefix, taking glob characters literally", () => {
    const db = openRegistryDb({ home: env.home });
    const store = new HostingStore(db);
    const names = [
      "census-pca",
      "census-2-pipeline",
      "Census-kmeans",
      "cens",
      "census",
      "a[b]-x",
      "a*-y",
      "ab",
    ];
    for (const [i, name] of names.entries()) {
      store.insertModel(
        {
          name,
          arn: `arn:aws:sagemaker:us-east-1:000000000000:model/${name}`,
          request: {},
          creationTime: new Date(i),
        },
        null,
        null,
      );
    }
    assert.deepEqual(store.modelNamesStartingWith("census").sort(), [
      "census",
      "census-2-pipeline",
      "census-pca",
    ]);
    assert.deepEqual(store.modelNamesStartingWith("a[b]"), ["a[b]-x"]);
    assert.deepEqual(store.modelNamesStartingWith("a*"), ["a*-y"]);
    assert.deepEqual(store.modelNamesStartingWith("zzz"), []);
    db.close();
  });
});
