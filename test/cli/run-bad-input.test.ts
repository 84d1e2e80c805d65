/**
 * Issue 2: bad input to `strata run` gives a clear message on stderr, a non-zero exit, and writes nothing.
 */
import assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, test } from "node:test";
import { DEFAULT_OPTIONS } from "../../src/workflow/options.js";
import { executeRun } from "../../src/workflow/run.js";
import { censusCsvPath } from "../helpers/census.js";
import { runCli, tempDir } from "../helpers/cli.js";

const HEADER = "CensusId,State,County,TotalPop,Income,Poverty";
const GOOD_ROWS = [
  "1001,Alabama,Autauga,55221,51281,12.9",
  "1003,Alabama,Baldwin,195121,50254,13.4",
  "1005,Alabama,Barbour,26932,32964,26.7",
];

async function expectFailure(csv: string | null, args: string[], pattern: RegExp): Promise<void> {
  const dir = tempDir();
  const data = join(dir, "input.csv");
  if (csv !== null) writeFileSync(data, csv);
  const out = join(dir, "out");
  const result = await runCli(["run", "--data", data, "--out", out, ...args]);
  assert.notEqual(result.code, 0, `expected failure, got: ${result.stdout}`);
  assert.match(result.stderr, pattern);
  assert.equal(result.stdout, "", "nothing on stdout");
  assert.equal(existsSync(out), false, "nothing written to --out");
}

describe("strata run rejects bad input", () => {
  test("missing file names the path and the option", () =>
    expectFailure(null, [], /File not found: .*input\.csv\. Check the path, or pass another with --data\./));
  test("empty file", () => expectFailure("", [], /empty|no header/i));
  test("ragged row names the line", () =>
    expectFailure(
      [HEADER, ...GOOD_ROWS.slice(0, 2), "1007,Alabama,Bibb,22604", GOOD_ROWS[2]].join("\n"),
      [],
      /line 4/i,
    ));
  test("non-numeric value names column and row", () =>
    expectFailure(
      [HEADER, GOOD_ROWS[0], "1003,Alabama,Baldwin,195121,lots,13.4", GOOD_ROWS[2]].join("\n"),
      ["--components", "2", "--clusters", "2"],
      /Income.*(row|line)|(row|line).*Income/i,
    ));
  test("duplicate index values are named", () =>
    expectFailure(
      [HEADER, GOOD_ROWS[0], GOOD_ROWS[1], "1009,Alabama,Baldwin,57322,46212,16.6"].join("\n"),
      // Detection would name the rows by CensusId, the unique column; an --index that repeats is an error.
      ["--components", "2", "--clusters", "2", "--index", "State,County"],
      /Alabama-Baldwin/,
    ));
  test("--components larger than the feature count names the limit", async () => {
    const out = join(tempDir(), "out");
    const result = await runCli(["run", "--data", censusCsvPath(), "--out", out, "--components", "40"]);
    assert.equal(result.code, 2);
    assert.match(
      result.stderr,
      /--components=40 is invalid: expected an integer from 1 to 34 \(the number of features\)\./,
    );
    assert.equal(existsSync(out), false);
  });
  test("--clusters larger than the row count names the limit", async () => {
    const out = join(tempDir(), "out");
    const result = await runCli(["run", "--data", censusCsvPath(), "--out", out, "--clusters", "5000"]);
    assert.equal(result.code, 2);
    assert.match(
      result.stderr,
      /--clusters=5000 is invalid: expected an integer from 2 to 3218 \(the number of rows\)\./,
    );
    assert.equal(existsSync(out), false);
  });
  test("--hist naming a feature that does not exist is refused before anything is written", async () => {
    const out = join(tempDir(), "out");
    const result = await runCli([
      "run",
      "--data",
      censusCsvPath(),
      "--out",
      out,
      "--hist",
      "Professional,Nope",
    ]);
    assert.notEqual(result.code, 0);
    assert.match(result.stderr, /"Nope" is not a feature/);
    assert.equal(existsSync(out), false);
  });
  test("a flag that is not an integer", async () => {
    const out = join(tempDir(), "out");
    const result = await runCli(["run", "--data", censusCsvPath(), "--out", out, "--clusters", "seven"]);
    assert.equal(result.code, 2);
    assert.match(result.stderr, /--clusters="seven" is invalid: expected an integer of at least 2\./);
    assert.equal(existsSync(out), false);
  });
});

describe("issue 12: flags out of range are refused before anything is built from them", () => {
  // The flags follow the algorithms' rows: --clusters is K-Means' k, --components PCA's num_components.
  // Bounds that need the data (rows, features) are checked once it is read, before anything is written.
  for (const [flag, value, expected] of [
    ["--clusters", "-1", "an integer of at least 2"],
    ["--clusters", "1", "an integer of at least 2"],
    ["--clusters", "1000000000", "an integer from 2 to 3218 \\(the number of rows\\)"],
    ["--components", "-1", "an integer of at least 1"],
    ["--components", "1000000000", "an integer from 1 to 34 \\(the number of features\\)"],
    ["--pca-components", "0", "an integer of at least 1"],
    ["--pca-components", "3", "an integer from 5 \\(--components\\) to 34 \\(the number of features\\)"],
    ["--restarts", "1000000000", 'an integer from 1 to 1000 \\(Strata\'s limit\\) or "auto"'],
    ["--seed", "-1", "an integer of at least 0"],
  ] as const) {
    test(`${flag} ${value}: exit 2 naming the flag and the range, nothing written`, async () => {
      const out = join(tempDir(), "out");
      const result = await runCli(["run", "--data", censusCsvPath(), "--out", out, flag, value]);
      assert.equal(result.code, 2, result.stderr);
      assert.match(result.stderr, new RegExp(`${flag}=${value} is invalid: expected ${expected}\\.`));
      assert.doesNotMatch(result.stderr, /internal error/i);
      assert.equal(existsSync(out), false);
    });
  }
});

describe("issue 12: a run that fails leaves --out as it was", () => {
  test("a run that fails at K-Means, after the PCA job wrote into the staging: --out keeps the previous run's files, and no staging is left", async () => {
    const dir = tempDir();
    const data = join(dir, "input.csv");
    writeFileSync(data, [HEADER, ...GOOD_ROWS, "1007,Alabama,Bibb,22604,38000,20.1"].join("\n"));
    const out = join(dir, "out");
    const ok = await runCli(["run", "--data", data, "--out", out, "--components", "2", "--clusters", "2"]);
    assert.equal(ok.code, 0, ok.stderr);
    writeFileSync(join(out, "mine.txt"), "the user's own file");
    const before = readdirSync(out).sort();
    const summary = readFileSync(join(out, "summary.json"), "utf8");
    const staged = () => readdirSync(dir).filter((n) => n.includes("strata-staging"));
    let stagedAtFailure: string[] = [];
    const options = { ...DEFAULT_OPTIONS, source: data, components: 2, clusters: 2 };
    await assert.rejects(
      executeRun(
        { ...options, outDir: out, home: tempDir("strata-home-"), report: false },
        {
          onStepStart(step) {
            if (step !== "kmeans") return;
            const [staging] = staged();
            assert.ok(staging !== undefined, "the run stages its outputs");
            stagedAtFailure = readdirSync(join(dir, staging), { recursive: true }).map(String);
            throw new Error("K-Means failed");
          },
        },
      ),
      /K-Means failed/,
    );
    // The failure came after the PCA job had written into the staging directory.
    assert.ok(
      stagedAtFailure.some((f) => f.startsWith("data")),
      stagedAtFailure.join(", "),
    );
    assert.deepEqual(readdirSync(out).sort(), before);
    assert.equal(readFileSync(join(out, "summary.json"), "utf8"), summary);
    assert.equal(readFileSync(join(out, "mine.txt"), "utf8"), "the user's own file");
    assert.deepEqual(staged(), []);
  });

  test("--out naming a file is refused naming it, and the file is untouched", async () => {
    const dir = tempDir();
    const file = join(dir, "a-file");
    writeFileSync(file, "keep");
    const result = await runCli(["run", "--data", censusCsvPath(), "--out", file, "--no-report"]);
    assert.equal(result.code, 1, result.stderr);
    assert.match(result.stderr, /--out .*a-file is a file; name a directory\./);
    assert.doesNotMatch(result.stderr, /internal error/i);
    assert.equal(readFileSync(file, "utf8"), "keep");
  });
});
