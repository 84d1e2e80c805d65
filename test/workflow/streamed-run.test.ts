/**
 * Issue 15, item 1: `strata run` on a table that does not fit in memory streams it — three passes over the
 * table in chunks, the models trained by Pipe-mode jobs over channels the run writes, assignments.csv written
 * as rows are assigned, segments explained from a uniform sample. Against the same run held in memory, on a
 * generated three-file Parquet table (90,000 rows, a text column, missing values, a weight column) and on the
 * census: the same rows dropped and used, the same scaler (exactly), the same PCA (1e-9), the same
 * projections for every row (1e-9), every row assigned to its nearest centre, exact sizes and describe
 * columns. The choice between holding and streaming follows the memory budget; options a streamed run cannot
 * honour are refused before anything is written; a bad cell deep in a streamed CSV fails naming its line.
 * @module
 */
import assert from "node:assert/strict";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { before, describe, test } from "node:test";
import { sqlString, withConnection } from "../../src/data/duckdb.js";
import { tableFiles } from "../../src/data/table-files.js";
import { TrainingService } from "../../src/jobs/training-service.js";
import { DEFAULT_OPTIONS } from "../../src/workflow/options.js";
import { executeRun, type RunOutcome } from "../../src/workflow/run.js";
import { chooseStreaming } from "../../src/workflow/stream-choice.js";
import { SAMPLE_ROWS } from "../../src/workflow/streamed-segmentation.js";
import { censusCsvPath } from "../helpers/census.js";
import { runCli, tempDir } from "../helpers/cli.js";

const FILES = 3;
const ROWS_PER_FILE = 30_000;
const ROWS = FILES * ROWS_PER_FILE;

/** Feature t of row i: smooth signals and their mixtures, so the spectrum and the clusters have structure. */
function featureSql(t: number): string {
  const value = `sin(i * ${0.0009 * (t + 1)}) * ${t + 1} + cos(i * ${0.017 * ((t % 4) + 1)}) + (i % ${5 + t}) * 0.1`;
  // Feature 3 is missing in every 997th row: those rows are dropped, in both runs alike.
  return t === 3 ? `CASE WHEN i % 997 = 0 THEN NULL ELSE ${value} END AS f${t}` : `${value} AS f${t}`;
}

/** assignments.csv as rows of fields (no quoted fields in these tables). */
function readAssignments(file: string): { header: string[]; rows: string[][] } {
  const lines = readFileSync(file, "utf8").trimEnd().split("\n");
  return { header: lines[0]!.split(","), rows: lines.slice(1).map((l) => l.split(",")) };
}

/** Each of `actual` within `tolerance` (relative above 1) of `expected`'s value at the same place. */
function assertAllClose(
  actual: readonly number[],
  expected: readonly number[],
  tolerance: number,
  what: string,
): void {
  assert.equal(actual.length, expected.length, what);
  for (const [i, v] of actual.entries()) assertClose(v, expected[i]!, tolerance, `${what}[${i}]`);
}

function assertClose(actual: number, expected: number, tolerance: number, what: string): void {
  assert.ok(
    Math.abs(actual - expected) <= tolerance * Math.max(1, Math.abs(expected)),
    `${what}: ${actual} vs ${expected}`,
  );
}

describe("a streamed run on a three-file Parquet table equals the run held in memory", () => {
  let home: string;
  let dir: string;
  let streamed: RunOutcome;
  let held: RunOutcome;
  let outStreamed: string;

  before(async () => {
    home = tempDir("strata-streamed-run-");
    dir = join(home, "customers");
    mkdirSync(dir);
    const features = Array.from({ length: 10 }, (_, t) => featureSql(t)).join(", ");
    await withConnection(async (con) => {
      for (let f = 0; f < FILES; f++)
        await con.run(
          `COPY (SELECT (i + 1)::BIGINT AS customer_id, 'region-' || (i::BIGINT % 40) AS region, ${features}, 1 + (i % 9) AS pop FROM (SELECT range::DOUBLE AS i FROM range(${f * ROWS_PER_FILE}, ${(f + 1) * ROWS_PER_FILE}))) TO ${sqlString(join(dir, `part-${f}.parquet`))} (FORMAT parquet)`,
        );
    });
    const options = { ...DEFAULT_OPTIONS, source: `${dir}/`, exclude: ["pop"], home, report: false };
    outStreamed = join(home, "out-streamed");
    streamed = await executeRun({ ...options, stream: true, outDir: outStreamed, name: "streamed" });
    held = await executeRun({ ...options, stream: false, outDir: join(home, "out-held"), name: "held" });
  });

  test("the same rows loaded, dropped and used; the summary says it streamed, from a sample", () => {
    const [s, h] = [streamed.summary, held.summary];
    assert.deepEqual(s.rows, h.rows);
    assert.equal(s.rows.loaded, ROWS);
    assert.equal(s.rows.dropped, Math.floor((ROWS - 1) / 997) + 1);
    assert.deepEqual(s.droppedRows, h.droppedRows);
    assert.deepEqual(s.columns, h.columns);
    assert.deepEqual(s.streamed, {
      sampleRows: SAMPLE_ROWS,
      uniformRows: SAMPLE_ROWS,
      passes: 3,
      sampleFile: "assignments-sample.csv",
    });
    // The sample's rows, for the report: a uniform sample of the used rows, in table order.
    const sample = readAssignments(join(outStreamed, "assignments-sample.csv"));
    assert.equal(sample.rows.length, SAMPLE_ROWS);
    const ids = sample.rows.map((r) => Number(r[0]));
    assert.ok(ids.every((id, i) => i === 0 || id > ids[i - 1]!));
    assert.equal(h.streamed, null);
  });

  test("the scaler is the same exactly, the PCA to 1e-9", () => {
    const [s, h] = [streamed.summary, held.summary];
    assert.deepEqual(s.scaler, h.scaler);
    assertAllClose(s.pca.singularValues, h.pca.singularValues, 1e-9, "s");
    assertAllClose(s.pca.loadings.flat(), h.pca.loadings.flat(), 1e-9, "v");
    assertAllClose(s.pca.mean, h.pca.mean, 1e-9, "mean");
  });

  test("describe's count, mean, std, min and max are exact; its quartiles come from the sample", () => {
    const [s, h] = [streamed.summary.describe, held.summary.describe];
    for (const which of ["raw", "scaled"] as const)
      for (const stat of ["count", "mean", "std", "min", "max"] as const)
        assertAllClose(s[which].stats[stat], h[which].stats[stat], 1e-9, `${which} ${stat}`);
    // A uniform sample of 50,000 of 89,909 rows: each median within 2% of the range of the column.
    s.raw.stats["50%"].forEach((v, j) => {
      const range = h.raw.stats.max[j]! - h.raw.stats.min[j]!;
      assert.ok(Math.abs(v - h.raw.stats["50%"][j]!) <= 0.02 * range, `median of ${s.raw.columns[j]}`);
    });
  });

  test("every row's projections equal the in-memory run's (1e-9), and every row is assigned to its nearest centre", () => {
    const a = readAssignments(join(outStreamed, "assignments.csv"));
    const b = readAssignments(join(held.outDir, "assignments.csv"));
    assert.deepEqual(a.header, b.header);
    assert.equal(a.rows.length, streamed.summary.rows.used);
    const kept = streamed.summary.pca.kept;
    const centroids = streamed.summary.kmeans.centroids;
    const sizes = new Array<number>(centroids.length).fill(0);
    a.rows.forEach((row, i) => {
      assert.equal(row[0], b.rows[i]![0], `row ${i} names the same customer`);
      const z = row.slice(2, 2 + kept).map(Number);
      assertAllClose(z, b.rows[i]!.slice(2, 2 + kept).map(Number), 1e-9, `row ${i} comps`);
      const distances = centroids.map((c) => Math.sqrt(c.reduce((sum, cj, j) => sum + (z[j]! - cj) ** 2, 0)));
      const cluster = Number(row[2 + kept]);
      sizes[cluster]!++;
      assert.equal(cluster, distances.indexOf(Math.min(...distances)), `row ${i} nearest centre`);
      assertClose(Number(row[3 + kept]), distances[cluster]!, 1e-9, `row ${i} distance`);
    });
    assert.deepEqual(streamed.summary.kmeans.sizes, sizes);
  });

  test("the models are Pipe-mode jobs over the channels the run wrote; K-Means ran web-scale, its log says why", async () => {
    const service = await TrainingService.open({ home });
    try {
      for (const algorithm of ["pca", "kmeans"] as const) {
        const name = streamed.summary.jobs[algorithm]!;
        const job = service.describeTrainingJob(name);
        assert.equal(job.TrainingJobStatus, "Completed");
        assert.equal(job.AlgorithmSpecification.TrainingInputMode, "Pipe");
        const uri = job.InputDataConfig[0]!.DataSource.S3DataSource.S3Uri;
        assert.equal(uri, join(outStreamed, "data", `${algorithm}-train.pbr`));
        assert.ok(existsSync(uri), uri);
      }
      const log = service
        .logs(streamed.summary.jobs.kmeans!)
        .map((l) => l.message)
        .join("\n");
      assert.match(log, /streamed/);
      assert.match(log, /web-scale/);
    } finally {
      await service.close();
    }
    // Web-scale K-Means against full-batch Lloyd with restarts on the same projections: within 5% of inertia.
    const ratio = streamed.summary.kmeans.inertia / held.summary.kmeans.inertia;
    assert.ok(ratio < 1.05, `web-scale inertia / Lloyd's = ${ratio}`);
  });

  test("weighted by a column, the total and each segment's weight are over every row", async () => {
    const options = { ...DEFAULT_OPTIONS, source: `${dir}/`, weight: "pop", home, report: false };
    const w = await executeRun({ ...options, stream: true, outDir: join(home, "out-w"), name: "weighted" });
    // pop = 1 + (i mod 9) over the used rows (those with feature 3 present).
    let total = 0;
    for (let i = 0; i < ROWS; i++) if (i % 997 !== 0) total += 1 + (i % 9);
    assert.equal(w.summary.weight?.total, total);
    const segmentWeights = w.summary.segments.map((g) => g.weight!);
    assertClose(
      segmentWeights.reduce((a, b) => a + b, 0),
      total,
      1e-12,
      "segment weights add up",
    );
  });

  test("auto: a table over the memory budget streams, one within it is held", async () => {
    const files = await tableFiles(`${dir}/`);
    assert.equal(files.files.length, FILES);
    const small = await chooseStreaming(files, undefined, 1024 * 1024);
    assert.equal(small.stream, true);
    assert.match(small.reason, /over the run's memory budget of 1 MB/);
    assert.equal((await chooseStreaming(files, undefined, 2 ** 34)).stream, false);
  });
});

describe("a small segment in a large streamed table", () => {
  test("150 outlying rows of 120,000: their segment is explained from its own rows, not left out of the sample", async () => {
    const home = tempDir("strata-streamed-small-");
    const dir = join(home, "t");
    mkdirSync(dir);
    const outlier = "i % 800 = 0";
    await withConnection((con) =>
      con.run(
        `COPY (SELECT CASE WHEN ${outlier} THEN 1000 + sin(i) ELSE (i % 2) * 10 + sin(i) END AS a, CASE WHEN ${outlier} THEN 1000 ELSE cos(i) END AS b, CASE WHEN ${outlier} THEN 1000 ELSE (i % 2) * 5 + sin(i * 0.3) END AS c FROM (SELECT range::DOUBLE AS i FROM range(0, 120000))) TO ${sqlString(join(dir, "part-0.parquet"))} (FORMAT parquet)`,
      ),
    );
    const run = await executeRun({
      ...DEFAULT_OPTIONS,
      source: `${dir}/`,
      clusters: 3,
      stream: true,
      home,
      report: false,
      outDir: join(home, "out"),
    });
    const s = run.summary;
    const small = s.kmeans.sizes.indexOf(150);
    assert.ok(small >= 0, `sizes ${s.kmeans.sizes.join(", ")}`);
    // Every one of its 150 rows is in the sample, beside the 50,000 uniform rows.
    assert.equal(s.streamed?.uniformRows, SAMPLE_ROWS);
    const sample = readAssignments(join(home, "out", "assignments-sample.csv"));
    const cluster = sample.header.indexOf("closest_cluster");
    assert.equal(sample.rows.filter((r) => Number(r[cluster]) === small).length, 150);
    assert.equal(s.streamed?.sampleRows, sample.rows.length);
    // Its profile is its members': a median of a near 1000, never a missing value.
    const profile = s.segments[small]!.profile;
    assert.ok(Math.abs(profile.median[0]! - 1000) <= 1, JSON.stringify(profile.median));
    assert.ok(s.segments.every((g) => g.profile.median.every((m) => Number.isFinite(m))));
    assert.equal(s.segments[small]!.typicalCounties.length, 5);
  });
});

describe("strata run --stream on the census and on bad input", () => {
  test("over the budget (STRATA_RUN_MEMORY_MB=1) the census streams: the PCA and projections of the held run, every row explained", async () => {
    const out = tempDir();
    const heldOut = tempDir();
    const [s, h] = await Promise.all([
      runCli(["run", "--data", censusCsvPath(), "--out", out, "--no-report", "--json"], {
        env: { STRATA_RUN_MEMORY_MB: "1" },
      }),
      runCli(["run", "--data", censusCsvPath(), "--out", heldOut, "--no-report", "--json"]),
    ]);
    assert.equal(s.code, 0, s.stderr);
    assert.equal(h.code, 0, h.stderr);
    assert.match(
      s.stderr,
      /Streaming the table: holding the table would take about \d+ MB, over the run's memory budget of 1 MB/,
    );
    const streamed = JSON.parse(s.stdout);
    const held = JSON.parse(h.stdout);
    assert.deepEqual(streamed.streamed, {
      sampleRows: 3218,
      uniformRows: 3218,
      passes: 3,
      sampleFile: "assignments-sample.csv",
    });
    assert.deepEqual(streamed.rows, held.rows);
    assert.deepEqual(streamed.droppedRows, ["Hawaii-Kalawao", "Texas-Loving"]);
    assertAllClose(streamed.pca.singularValues, held.pca.singularValues, 1e-9, "s");
    const a = readAssignments(join(out, "assignments.csv"));
    const b = readAssignments(join(heldOut, "assignments.csv"));
    assert.equal(a.rows.length, 3218);
    a.rows.forEach((row, i) => {
      assert.deepEqual(row.slice(0, 3), b.rows[i]!.slice(0, 3));
      for (let j = 3; j < 8; j++)
        assertClose(Number(row[j]), Number(b.rows[i]![j]), 1e-9, `row ${i} col ${j}`);
    });
    // Explained from every row: the sample is the table's rows, all of them.
    assert.deepEqual(
      readFileSync(join(out, "assignments-sample.csv"), "utf8"),
      readFileSync(join(out, "assignments.csv"), "utf8"),
    );
    // `strata report` rebuilds the report of a streamed run from its sample.
    const report = await runCli(["report", out]);
    assert.equal(report.code, 0, report.stderr);
    assert.ok(existsSync(join(out, "report.html")));
  });

  test("a k range is swept on the sample of projections, and the run trains the chosen k", async () => {
    const out = tempDir();
    const r = await runCli(
      [
        "run",
        "--data",
        censusCsvPath(),
        "--out",
        out,
        "--no-report",
        "--json",
        "--stream",
        "--clusters",
        "3..5",
      ],
      {},
    );
    assert.equal(r.code, 0, r.stderr);
    const s = JSON.parse(r.stdout);
    assert.deepEqual(
      s.kSweep.points.map((p: { k: number }) => p.k),
      [3, 4, 5],
    );
    assert.equal(s.kmeans.k, s.kSweep.chosen);
    assert.equal(s.kmeans.sizes.length, s.kSweep.chosen);
  });

  test("--impute and --stability are refused for a streamed run (a usage error, exit 2), naming the flag, with nothing written", async () => {
    const out = join(tempDir(), "out");
    for (const extra of [
      ["--impute", "median"],
      ["--stability", "5"],
    ]) {
      const r = await runCli(["run", "--data", censusCsvPath(), "--out", out, "--stream", ...extra]);
      assert.equal(r.code, 2, r.stderr);
      assert.match(r.stderr, new RegExp(`${extra[0]} is not available when the table is streamed`));
      assert.ok(!existsSync(out));
    }
  });

  test("a bad cell on line 89,992 of a streamed CSV fails naming the line; nothing is written", async () => {
    const dir = tempDir();
    const lines = ["name,a,b,c"];
    for (let i = 0; i < 100_000; i++)
      lines.push(`n${i},${i === 89_990 ? "abc" : i * 0.5},${i % 7},${(i * 13) % 101}`);
    writeFileSync(join(dir, "bad.csv"), `${lines.join("\n")}\n`);
    const out = join(dir, "out");
    const r = await runCli(["run", "--data", join(dir, "bad.csv"), "--out", out, "--stream"]);
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stderr, /Column "a" is numeric, but line 89992 of .*bad\.csv holds "abc"/);
    assert.ok(!existsSync(out));
  });

  test("a folder whose files differ in format is refused, naming both", async () => {
    const dir = tempDir();
    writeFileSync(join(dir, "a.csv"), "x,y\n1,2\n3,4\n");
    writeFileSync(join(dir, "b.json"), '[{"x": 1, "y": 2}]\n');
    const r = await runCli(["run", "--data", dir, "--out", join(dir, "out"), "--stream"]);
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stderr, /b\.json is json but .*a\.csv is csv; the files of one table must share a format/);
  });
});
