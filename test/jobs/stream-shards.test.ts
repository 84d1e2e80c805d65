/**
 * A streamed channel's shard plan: one shard per object, or — FullyReplicated to N instances — each object in N
 * consecutive row ranges. The ranges cover every row once, in order, whatever N (even more ranges than rows),
 * and the statistics over them are those of the whole objects.
 * @module
 */
import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { fitRounds, InlineExecutor } from "../../src/contract/executor.js";
import { type StreamedChannel, streamShards } from "../../src/jobs/algorithm.js";
import {
  MIN_MAX_STATS_REF,
  type MinMaxStats,
  MOMENT_STATS_REF,
  type MomentStats,
} from "../../src/preprocess/scaler-stats.js";
import { tempDir } from "../helpers/cli.js";

/** Three CSV objects of 5, 2 and 9 rows x 3 columns; row r holds r, r², −r. */
function channel(): StreamedChannel {
  const dir = tempDir("strata-stream-shards-");
  const sizes = [5, 2, 9];
  let row = 0;
  const sources = sizes.map((n, f) => {
    const path = join(dir, `part-${f}.csv`);
    const lines = Array.from({ length: n }, () => {
      const r = row++;
      return `${r},${r * r},${-r}`;
    });
    writeFileSync(path, `${lines.join("\n")}\n`);
    return { path, format: "csv" as const, labelSize: 0, name: `part-${f}.csv` };
  });
  return {
    sources,
    firstRows: [0, 5, 7],
    rows: 16,
    cols: 3,
    featureNames: null,
    labels: false,
  };
}

test("each object in N row ranges: every row once, in order, first rows numbered in the channel (N of 1, 2, 3 and more than an object's rows)", () => {
  const c = channel();
  assert.deepEqual(
    streamShards(c, 4).map((s) => [s.firstRow, s.rows]),
    [
      [0, undefined],
      [5, undefined],
      [7, undefined],
    ],
  );
  for (const n of [2, 3, 7]) {
    const shards = streamShards({ ...c, rangesPerObject: n }, 4);
    const covered = shards.flatMap((s) => Array.from({ length: s.rows!.take }, (_, i) => s.firstRow + i));
    assert.deepEqual(
      covered,
      Array.from({ length: 16 }, (_, i) => i),
      `N = ${n}`,
    );
    // An object of 2 rows has at most 2 ranges.
    assert.equal(shards.filter((s) => s.stream.name === "part-1.csv").length, Math.min(n, 2));
    assert.ok(shards.every((s) => s.rows!.take > 0));
  }
});

test("statistics over the row ranges equal those over whole objects: min, max, count exactly, moments to 1e-12", async () => {
  const c = channel();
  const fit = async <M>(ref: typeof MIN_MAX_STATS_REF, n: number) =>
    (
      await fitRounds<null, M, M>(
        new InlineExecutor(),
        ref,
        null,
        streamShards({ ...c, rangesPerObject: n }, 3),
      )
    ).model;
  const whole = await fit<MinMaxStats>(MIN_MAX_STATS_REF, 1);
  assert.equal(whole.count, 16);
  assert.deepEqual(Array.from(whole.dataMax), [15, 225, 0]);
  for (const n of [2, 3, 7]) {
    assert.deepEqual(await fit<MinMaxStats>(MIN_MAX_STATS_REF, n), whole);
    const a = await fit<MomentStats>(MOMENT_STATS_REF, n);
    const b = await fit<MomentStats>(MOMENT_STATS_REF, 1);
    assert.equal(a.count, 16);
    for (const key of ["mean", "m2"] as const)
      for (const [j, v] of a[key].entries())
        assert.ok(Math.abs(v - b[key][j]!) <= 1e-12 * Math.max(1, Math.abs(v)), key);
  }
});
