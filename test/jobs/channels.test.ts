import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { isStrataError } from "../../src/errors.js";
import { parseNumericCsv } from "../../src/jobs/channels.js";
import { InlineExecutor } from "../../src/jobs/executors/inline.js";
import { createStopFlag, raiseStopFlag, signalFromStopFlag } from "../../src/jobs/executors/stop-signal.js";
import { TrainingService } from "../../src/jobs/training-service.js";
import { toRows } from "../../src/linalg/matrix.js";
import { blobs, csvRequest, tempHome, writeCsv } from "./job-fixtures.js";

const source = "x.csv";

describe("CSV channels", () => {
  it("reads headerless CSV as SageMaker does, and takes feature names from a header row", () => {
    const plain = parseNumericCsv("1,2\n3,4.5\n", { labelSize: 0, source });
    assert.deepEqual(toRows(plain.matrix), [
      [1, 2],
      [3, 4.5],
    ]);
    assert.equal(plain.featureNames, null);
    const header = parseNumericCsv('"Total Pop",Income\r\n1,2e3\r\n-3,.5\r\n', { labelSize: 0, source });
    assert.deepEqual(header.featureNames, ["Total Pop", "Income"]);
    assert.deepEqual(toRows(header.matrix), [
      [1, 2000],
      [-3, 0.5],
    ]);
  });

  it("drops label_size leading columns", () => {
    const data = parseNumericCsv("label,a,b\n9,1,2\n8,3,4\n", { labelSize: 1, source });
    assert.deepEqual(data.featureNames, ["a", "b"]);
    assert.deepEqual(toRows(data.matrix), [
      [1, 2],
      [3, 4],
    ]);
  });

  it("names the line and column of bad cells", () => {
    assert.throws(
      () => parseNumericCsv("1,2\n3\n", { labelSize: 0, source }),
      (e: unknown) =>
        isStrataError(e, "CSV_RAGGED_ROW") && /x\.csv line 2 has 1 fields; line 1 has 2\./.test(e.message),
    );
    assert.throws(
      () => parseNumericCsv("a,b\n1,2\n3,\n", { labelSize: 0, source }),
      (e: unknown) => isStrataError(e, "NON_NUMERIC_VALUE") && /line 3, column 2 is ""/.test(e.message),
    );
    assert.throws(
      () => parseNumericCsv("", { labelSize: 0, source }),
      (e: unknown) => isStrataError(e, "EMPTY_DATA"),
    );
    assert.throws(
      () => parseNumericCsv("a,b\n", { labelSize: 0, source }),
      (e: unknown) => isStrataError(e, "EMPTY_DATA"),
    );
  });
});

describe("executors", () => {
  it("a raised stop flag aborts the signal when it is next read, without an event-loop turn", () => {
    const flag = createStopFlag();
    const { signal } = signalFromStopFlag(flag);
    assert.equal(signal.aborted, false);
    raiseStopFlag(flag);
    assert.equal(signal.aborted, true);
    assert.throws(
      () => signal.throwIfAborted(),
      (e: unknown) => (e as Error).name === "AbortError",
    );
  });

  it("inline and threads executors write byte-identical artifacts", async () => {
    const env = tempHome();
    try {
      const csv = writeCsv(
        join(env.home, "d.csv"),
        blobs(
          200,
          [
            [0, 0],
            [3, 3],
            [0, 3],
          ],
          2,
        ),
      );
      const artifacts: Buffer[] = [];
      for (const executor of [new InlineExecutor(), undefined]) {
        const home = join(env.home, executor ? "inline" : "threads");
        const service = await TrainingService.open({ home, ...(executor ? { executor } : {}) });
        await service.createTrainingJob(
          csvRequest({ image: "kmeans", train: csv, hyperParameters: { k: "3" }, name: "same" }),
        );
        const job = await service.waitForCompletion("same", { timeoutMs: 10_000 });
        assert.equal(job.TrainingJobStatus, "Completed", job.FailureReason);
        artifacts.push(readFileSync(job.ModelArtifacts!.S3ModelArtifacts));
        await service.close();
      }
      assert.deepEqual(artifacts[0], artifacts[1]);
    } finally {
      env.cleanup();
    }
  });
});
