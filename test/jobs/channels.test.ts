import assert from "node:assert/strict";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { gzipSync } from "node:zlib";
import { MAX_CSV_FIELDS, MAX_CSV_LINE_CHARS, parseNumericCsv } from "../../src/data/stream/numeric-csv.js";
import { isStrataError } from "../../src/errors.js";
import { encodeDenseRows } from "../../src/formats/dense-rows.js";
import { readChannel } from "../../src/jobs/channels.js";
import { InlineJobRunner } from "../../src/jobs/runners/inline.js";
import type { ChannelSpec } from "../../src/jobs/spec.js";
import { TrainingService } from "../../src/jobs/training-service.js";
import { fromRows, matrix, toRows } from "../../src/linalg/matrix.js";
import { createStopFlag, raiseStopFlag, signalFromStopFlag } from "../../src/util/stop-flag.js";
import { tempDir } from "../helpers/cli.js";
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
      (e: unknown) => isStrataError(e, "NON_NUMERIC_VALUE") && /line 3, column 2 is empty/.test(e.message),
    );
    assert.throws(
      () => parseNumericCsv("1,2\naws_secret_access_key = AKIA,2\n", { labelSize: 0, source }),
      (e: unknown) =>
        isStrataError(e, "NON_NUMERIC_VALUE") &&
        /line 2, column 1 is not a finite number/.test(e.message) &&
        !e.message.includes("AKIA"),
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

describe("job runners", () => {
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

  it("the inline and thread job runners write byte-identical artifacts", async () => {
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
      for (const runner of [new InlineJobRunner(), undefined]) {
        const home = join(env.home, runner ? "inline" : "threads");
        const service = await TrainingService.open({ home, ...(runner ? { runner } : {}) });
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

describe("channels of several objects (issue 11)", () => {
  const csv: ChannelSpec["contentType"] = { format: "csv", labelSize: 0 };
  const recordio: ChannelSpec["contentType"] = { format: "recordio-protobuf", labelSize: 0 };
  const spec = (
    uri: string,
    contentType: ChannelSpec["contentType"],
    dataType: "S3Prefix" | "ManifestFile" = "S3Prefix",
  ): ChannelSpec => ({
    name: "train",
    uri,
    dataType,
    contentType,
  });

  it("stacks every part under a prefix in key order, skipping empty ones, with the first header's names", async () => {
    const dir = tempDir("strata-parts-");
    mkdirSync(join(dir, "parts"));
    writeFileSync(join(dir, "parts", "b.csv"), "x,y\n5,6\n");
    writeFileSync(join(dir, "parts", "a.csv"), "x,y\n1,2\n3,4\n");
    writeFileSync(join(dir, "parts", "c.csv"), "");
    const data = await readChannel(spec(join(dir, "parts/"), csv));
    assert.deepEqual(data.featureNames, ["x", "y"]);
    assert.deepEqual(toRows(data.matrix), [
      [1, 2],
      [3, 4],
      [5, 6],
    ]);
  });

  it("reads record_set's RecordIO shards through a manifest, in manifest order", async () => {
    const dir = tempDir("strata-shards-");
    writeFileSync(
      join(dir, "matrix_0.pbr"),
      encodeDenseRows(matrix(1, 2, Float64Array.of(1, 2)), { dtype: "float32" }),
    );
    writeFileSync(
      join(dir, "matrix_1.pbr"),
      encodeDenseRows(matrix(2, 2, Float64Array.of(3, 4, 5, 6)), { dtype: "float32" }),
    );
    writeFileSync(
      join(dir, ".amazon.manifest"),
      JSON.stringify([{ prefix: `${dir}/` }, "matrix_1.pbr", "matrix_0.pbr"]),
    );
    const data = await readChannel(spec(join(dir, ".amazon.manifest"), recordio, "ManifestFile"));
    assert.deepEqual(toRows(data.matrix), [
      [3, 4],
      [5, 6],
      [1, 2],
    ]);
  });

  it("names objects of another format: MIXED_RECORD_FORMATS for a mix, FORMAT_ERROR with the ContentType to use for all", async () => {
    const dir = tempDir("strata-mixed-");
    writeFileSync(
      join(dir, "a.pbr"),
      encodeDenseRows(matrix(1, 2, Float64Array.of(1, 2)), { dtype: "float32" }),
    );
    writeFileSync(join(dir, "b.csv"), "1,2\n");
    await assert.rejects(readChannel(spec(`${dir}/`, recordio)), (e: unknown) => {
      assert.ok(isStrataError(e, "MIXED_RECORD_FORMATS"), String(e));
      assert.match(
        e.message,
        /a\.pbr is RecordIO-protobuf .* but .*b\.csv is text such as CSV \(ContentType text\/csv\)/,
      );
      return true;
    });
    await assert.rejects(readChannel(spec(join(dir, "b.csv"), recordio)), (e: unknown) => {
      assert.ok(isStrataError(e, "FORMAT_ERROR"), String(e));
      assert.match(
        e.message,
        /ContentType reads RecordIO-protobuf .* but .*b\.csv is text such as CSV \(ContentType text\/csv\)/,
      );
      return true;
    });
  });

  it("reads gzip objects by their content, whatever their names: a CSV part and a RecordIO part, decompressed as they stream", async () => {
    const dir = tempDir("strata-gzip-");
    writeFileSync(join(dir, "a.csv"), gzipSync("x,y\n1,2\n3,4\n"));
    const data = await readChannel(spec(join(dir, "a.csv"), csv));
    assert.deepEqual(data.featureNames, ["x", "y"]);
    assert.deepEqual(toRows(data.matrix), [
      [1, 2],
      [3, 4],
    ]);
    writeFileSync(join(dir, "b.rec"), gzipSync(encodeDenseRows(fromRows([[7, 8]]), { dtype: "float32" })));
    assert.deepEqual(toRows((await readChannel(spec(join(dir, "b.rec"), recordio))).matrix), [[7, 8]]);
  });

  it("refuses parts of different widths, naming both", async () => {
    const dir = tempDir("strata-widths-");
    writeFileSync(join(dir, "a.csv"), "1,2\n");
    writeFileSync(join(dir, "b.csv"), "1,2,3\n");
    await assert.rejects(readChannel(spec(`${dir}/`, csv)), (e: unknown) => {
      assert.ok(isStrataError(e, "WIDTH_MISMATCH"), String(e));
      assert.match(e.message, /b\.csv has 3 features per record; .*a\.csv has 2/);
      return true;
    });
  });
});

describe("issue 12: CSV channel limits, named", () => {
  it("a first line past the line limit, and past the column limit, are INPUT_TOO_LARGE", () => {
    assert.throws(
      () => parseNumericCsv(`${"7".repeat(MAX_CSV_LINE_CHARS + 1)}\n`, { labelSize: 0, source }),
      (e: unknown) =>
        isStrataError(e, "INPUT_TOO_LARGE") &&
        /line 1 has \d+ characters; a line may have at most/.test(e.message),
    );
    assert.throws(
      () =>
        parseNumericCsv(`${Array.from({ length: MAX_CSV_FIELDS + 1 }, () => "1").join(",")}\n`, {
          labelSize: 0,
          source,
        }),
      (e: unknown) =>
        isStrataError(e, "INPUT_TOO_LARGE") && new RegExp(`has ${MAX_CSV_FIELDS + 1} fields`).test(e.message),
    );
  });
});

describe("issue 12: one number grammar for training CSV", () => {
  it("hex, nan, inf and overflowing values are not finite numbers; a blank line is named", () => {
    for (const cell of ["0x1F", "nan", "NaN", "inf", "Infinity", "-Infinity", "1e400", "banana", "1_000"])
      assert.throws(
        () => parseNumericCsv(`1,2\n3,${cell}\n`, { labelSize: 0, source }),
        (e: unknown) =>
          isStrataError(e, "NON_NUMERIC_VALUE") && /line 2, column 2 is not a finite number/.test(e.message),
        cell,
      );
    assert.throws(
      () => parseNumericCsv("1,2\n\n3,4\n", { labelSize: 0, source }),
      (e: unknown) => isStrataError(e, "CSV_PARSE_ERROR") && /line 2 is empty/.test(e.message),
    );
    assert.deepEqual(toRows(parseNumericCsv(" 1.5e3 ,-.5\n+2,3.\n", { labelSize: 0, source }).matrix), [
      [1500, -0.5],
      [2, 3],
    ]);
  });
});
