/**
 * The seeding sample of a streamed full-batch fit (src/kmeans/init/sample-rounds.ts): the `size` rows of
 * smallest key, whatever the shard plan and the chunks; a channel of at most `size` rows is its own sample,
 * row for row; the rows are in channel order, spread over the whole channel.
 * @module
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { rowShards } from "../../src/contract/contract.js";
import { fitRounds, InlineExecutor } from "../../src/contract/executor.js";
import {
  ROW_SAMPLE_REF,
  type RowSample,
  rowKey,
  type SamplePartial,
  type SampleState,
} from "../../src/kmeans/init/sample-rounds.js";
import { matrix } from "../../src/linalg/matrix.js";

function table(n: number, d: number) {
  const x = matrix(n, d);
  for (let i = 0; i < n; i++) for (let t = 0; t < d; t++) x.data[i * d + t] = i + t / 10;
  return x;
}

async function sampleOf(
  x: ReturnType<typeof table>,
  size: number,
  plan: { shardRows: number; chunkRows: number },
  seed = 7,
) {
  return (
    await fitRounds<SampleState, SamplePartial, RowSample>(
      new InlineExecutor(),
      ROW_SAMPLE_REF,
      { size, seed },
      rowShards(x, plan),
    )
  ).model;
}

test("the sample is the size rows of smallest key, in channel order, for every shard plan and chunk size", async () => {
  const x = table(10_000, 3);
  const size = 100;
  const expected = Array.from({ length: x.rows }, (_, i) => i)
    .sort((a, b) => rowKey(7, a) - rowKey(7, b) || a - b)
    .slice(0, size)
    .sort((a, b) => a - b);
  for (const plan of [
    { shardRows: 10_000, chunkRows: 10_000 },
    { shardRows: 1_429, chunkRows: 97 },
    { shardRows: 3_000, chunkRows: 1 },
  ]) {
    const { sample, rows } = await sampleOf(x, size, plan);
    assert.deepEqual(Array.from(rows), expected, JSON.stringify(plan));
    assert.equal(sample.rows, size);
    // Each sampled row carries its own values.
    for (const [i, r] of rows.entries())
      assert.deepEqual(Array.from(sample.data.subarray(i * 3, i * 3 + 3)), [r, r + 0.1, r + 0.2]);
  }
  // Spread over the channel: their mean index is near the middle (σ of the mean ≈ 290 here).
  const mean = expected.reduce((a, b) => a + b, 0) / size;
  assert.ok(Math.abs(mean - 5_000) < 1_200, `mean index ${mean}`);
  // Another seed, another sample.
  const other = await sampleOf(x, size, { shardRows: 10_000, chunkRows: 512 }, 8);
  assert.notDeepEqual(Array.from(other.rows), expected);
});

test("a channel of at most size rows is its own sample, row for row", async () => {
  const x = table(3_218, 4);
  const { sample } = await sampleOf(x, 65_536, { shardRows: 1_100, chunkRows: 256 });
  assert.deepEqual(sample, x);
});

test("keys are uniform in [0, 1): a quarter of 40,000 rows' keys fall in each quarter (± 3%), for rows near and far apart", () => {
  // Consecutive rows, and rows far apart whose low 32 bits repeat (beyond 2^32 rows): σ ≈ 87 per quarter.
  for (const at of [(i: number) => i, (i: number) => i * 2 ** 20 + 3]) {
    const counts = [0, 0, 0, 0];
    for (let i = 0; i < 40_000; i++) {
      const k = rowKey(1, at(i));
      assert.ok(k >= 0 && k < 1);
      counts[Math.floor(k * 4)]!++;
    }
    for (const c of counts) assert.ok(Math.abs(c - 10_000) < 300, `quarters: ${counts.join(", ")}`);
  }
});
