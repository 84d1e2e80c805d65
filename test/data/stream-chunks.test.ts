/**
 * Issue 15: channel objects read as streams of bounded chunks (src/data/stream). Whatever the format (CSV
 * with or without a header, CRLF, a label column; RecordIO float32 or float64 with labels; Parquet) and
 * whether gzip wraps it, the chunks joined are the object's rows, every chunk but the last has exactly
 * `chunkRows` rows, and each names its first row. Records that straddle the reader's 4 MB blocks are joined;
 * a truncated RecordIO file, a bad CSV cell deep in a file and a missing Parquet cell are named errors.
 * @module
 */
import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, test } from "node:test";
import { gzipSync } from "node:zlib";
import fc from "fast-check";
import { sqlString, withConnection } from "../../src/data/duckdb.js";
import type { DataChunk, RecordFormat } from "../../src/data/stream/chunks.js";
import { countRows } from "../../src/data/stream/count-rows.js";
import { objectChunks } from "../../src/data/stream/object-chunks.js";
import { isStrataError } from "../../src/errors.js";
import { encodeDenseRows } from "../../src/formats/dense-rows.js";
import { type Matrix, matrix } from "../../src/linalg/matrix.js";
import { tempDir } from "../helpers/cli.js";

const dir = tempDir("strata-stream-");
let files = 0;

function csvText(
  m: Matrix,
  options: { header: boolean; crlf: boolean; labels: Float64Array | null },
): string {
  const eol = options.crlf ? "\r\n" : "\n";
  const names = Array.from({ length: m.cols }, (_, t) => `f${t}`);
  const lines = options.header ? [[...(options.labels ? ["label"] : []), ...names].join(",")] : [];
  for (let i = 0; i < m.rows; i++) {
    const row = Array.from(m.data.subarray(i * m.cols, (i + 1) * m.cols), String);
    lines.push([...(options.labels ? [String(options.labels[i])] : []), ...row].join(","));
  }
  return lines.join(eol) + eol;
}

async function writeObject(
  m: Matrix,
  format: RecordFormat,
  options: { gzip: boolean; header: boolean; crlf: boolean; labels: Float64Array | null },
): Promise<string> {
  const path = join(dir, `object-${files++}`);
  if (format === "parquet") {
    const csv = `${path}.csv`;
    writeFileSync(csv, csvText(m, { header: true, crlf: false, labels: null }));
    await withConnection((con) =>
      con.run(
        `COPY (SELECT * FROM read_csv(${sqlString(csv)}, header = true)) TO ${sqlString(path)} (FORMAT parquet)`,
      ),
    );
    return path;
  }
  const bytes =
    format === "csv"
      ? new TextEncoder().encode(csvText(m, options))
      : encodeDenseRows(m, { dtype: "float64", ...(options.labels ? { labels: options.labels } : {}) });
  writeFileSync(path, options.gzip ? gzipSync(bytes) : bytes);
  return path;
}

async function collect(
  path: string,
  format: RecordFormat,
  labelSize: number,
  chunkRows: number,
): Promise<{ chunks: DataChunk[]; names: readonly string[] | null }> {
  const chunks: DataChunk[] = [];
  let names: readonly string[] | null = null;
  for await (const c of objectChunks({ path, format, labelSize, name: path }, chunkRows, (n) => {
    names = n;
  }))
    chunks.push(c);
  return { chunks, names };
}

function joined(chunks: readonly DataChunk[]): { data: number[]; labels: number[] | null } {
  return {
    data: chunks.flatMap((c) => Array.from(c.matrix.data)),
    labels: chunks[0]?.labels ? chunks.flatMap((c) => Array.from(c.labels!)) : null,
  };
}

function assertChunkPlan(chunks: readonly DataChunk[], rows: number, chunkRows: number): void {
  let first = 0;
  for (const [i, c] of chunks.entries()) {
    assert.equal(c.firstRow, first);
    if (i < chunks.length - 1) assert.equal(c.matrix.rows, chunkRows);
    first += c.matrix.rows;
  }
  assert.equal(first, rows);
}

describe("channel objects streamed in chunks", () => {
  test("any format, gzip or not: the chunks joined are the rows, cut at exactly chunkRows; countRows counts them without decoding", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          rows: fc.integer({ min: 1, max: 900 }),
          cols: fc.integer({ min: 1, max: 6 }),
          chunkRows: fc.integer({ min: 1, max: 400 }),
          format: fc.constantFrom<RecordFormat>("csv", "recordio-protobuf", "parquet"),
          gzip: fc.boolean(),
          header: fc.boolean(),
          crlf: fc.boolean(),
          withLabels: fc.boolean(),
          seed: fc.integer({ min: 0, max: 1000 }),
        }),
        async (p) => {
          const m = matrix(p.rows, p.cols);
          for (let i = 0; i < m.data.length; i++)
            m.data[i] = Math.round(Math.sin(i * 7.1 + p.seed) * 1e6) / 1e3;
          const withLabels = p.withLabels && p.format !== "parquet";
          const labels = withLabels ? Float64Array.from({ length: p.rows }, (_, i) => 1 + (i % 9)) : null;
          const gzip = p.gzip && p.format !== "parquet";
          const path = await writeObject(m, p.format, { gzip, header: p.header, crlf: p.crlf, labels });
          const labelSize = p.format === "csv" && withLabels ? 1 : 0;
          const { chunks, names } = await collect(path, p.format, labelSize, p.chunkRows);
          assertChunkPlan(chunks, p.rows, p.chunkRows);
          const counted = await countRows({ path, format: p.format, labelSize, name: path });
          assert.equal(counted, p.rows, "countRows without decoding");
          const got = joined(chunks);
          assert.deepEqual(got.data, Array.from(m.data));
          assert.deepEqual(got.labels, labels ? Array.from(labels) : null);
          const expectNames = p.format === "parquet" || (p.format === "csv" && p.header);
          assert.deepEqual(names, expectNames ? Array.from({ length: p.cols }, (_, t) => `f${t}`) : null);
        },
      ),
      { seed: 15, numRuns: 40 },
    );
  });

  test("RecordIO records across the reader's 4 MB blocks are joined: 200,000 rows x 6, gzip or not", async () => {
    const m = matrix(200_000, 6);
    for (let i = 0; i < m.data.length; i++) m.data[i] = (i % 1013) / 7;
    const labels = Float64Array.from({ length: m.rows }, (_, i) => i % 5);
    for (const gzip of [false, true]) {
      const path = await writeObject(m, "recordio-protobuf", { gzip, header: false, crlf: false, labels });
      const { chunks } = await collect(path, "recordio-protobuf", 0, 8192);
      assertChunkPlan(chunks, m.rows, 8192);
      assert.equal(await countRows({ path, format: "recordio-protobuf", labelSize: 0, name: path }), m.rows);
      const got = joined(chunks);
      assert.ok(got.data.every((v, i) => v === m.data[i]));
      assert.ok(got.labels!.every((v, i) => v === labels[i]));
    }
  });

  test("a truncated RecordIO object, a bad CSV cell past the first block and a missing Parquet cell are named", async () => {
    const m = matrix(1000, 3, new Float64Array(3000).fill(1.5));
    const recordio = await writeObject(m, "recordio-protobuf", {
      gzip: false,
      header: false,
      crlf: false,
      labels: null,
    });
    const bytes = encodeDenseRows(m, { dtype: "float64" });
    writeFileSync(recordio, bytes.subarray(0, bytes.length - 5));
    await assert.rejects(collect(recordio, "recordio-protobuf", 0, 100), (e: unknown) =>
      isStrataError(e, "FORMAT_ERROR"),
    );
    // ~6 MB of rows, then a bad cell on line 400,001: past the first 4 MB block.
    const lines = Array.from({ length: 400_000 }, (_, i) => `${i},1.25,2`);
    lines.push("7,oops,3");
    const csv = join(dir, "bad.csv");
    writeFileSync(csv, `${lines.join("\n")}\n`);
    await assert.rejects(collect(csv, "csv", 0, 8192), (e: unknown) => {
      assert.ok(isStrataError(e, "NON_NUMERIC_VALUE"), String(e));
      assert.match(e.message, /line 400001, column 2 is not a finite number/);
      assert.doesNotMatch(e.message, /oops/, "the cell is never quoted");
      return true;
    });
    const parquet = join(dir, "missing.parquet");
    await withConnection((con) =>
      con.run(
        `COPY (SELECT * FROM (VALUES (1.0, 2.0), (3.0, NULL), (5.0, 6.0)) t(a, b)) TO ${sqlString(parquet)} (FORMAT parquet)`,
      ),
    );
    await assert.rejects(collect(parquet, "parquet", 0, 2), (e: unknown) => {
      assert.ok(isStrataError(e, "NON_NUMERIC_VALUE"), String(e));
      assert.match(e.message, /row 2, column "b" is empty/);
      return true;
    });
  });
});
