/**
 * Issue 2: `strata run` end to end on the real census file, through the real CLI in a child process.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, readFileSync, utimesSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { before, describe, test } from "node:test";
import { censusCsvPath, PROJECT_ROOT } from "../helpers/census.js";
import { type CliResult, runCli, tempDir } from "../helpers/cli.js";
import { expectClose } from "../helpers/expect-close.js";

interface Assignment {
  id: string;
  key: string;
  comps: number[];
  cluster: number;
  distance: number;
}

function readAssignments(path: string): { header: string[]; rows: Assignment[] } {
  const [headerLine, ...lines] = readFileSync(path, "utf8").trimEnd().split("\n");
  const header = headerLine!.split(",");
  const rows = lines.map((line) => {
    const f = line.split(",");
    return {
      id: f[0]!,
      key: `${f[1]}-${f[2]}`,
      comps: f.slice(3, -2).map(Number),
      cluster: Number(f.at(-2)),
      distance: Number(f.at(-1)),
    };
  });
  return { header, rows };
}

describe("strata run on the census file", () => {
  const out = join(tempDir(), "out");
  let result: CliResult;
  // biome-ignore lint/suspicious/noExplicitAny: the summary is checked field by field below
  let summary: any;

  before(async () => {
    result = await runCli(["run", "--data", censusCsvPath(), "--out", out, "--json"]);
    assert.equal(result.code, 0, `strata run failed: ${result.stderr}`);
    summary = JSON.parse(readFileSync(join(out, "summary.json"), "utf8"));
  });

  test("prints summary.json on stdout with --json, progress on stderr", () => {
    assert.deepEqual(JSON.parse(result.stdout), summary);
    assert.match(result.stderr, /\[1\/11\] load/);
    assert.match(result.stderr, /\[10\/11\] write/);
    assert.match(result.stderr, /\[11\/11\] report/);
  });

  test("3220 rows loaded, Hawaii-Kalawao and Texas-Loving dropped, 3218 used, 34 features", () => {
    assert.deepEqual(summary.rows, {
      loaded: 3220,
      dropped: 2,
      used: 3218,
      // One county misses Income and IncomeErr, the other ChildPoverty.
      missingByColumn: { Income: 1, IncomeErr: 1, ChildPoverty: 1 },
      impute: null,
      imputed: {},
    });
    assert.deepEqual([...summary.droppedRows].sort(), ["Hawaii-Kalawao", "Texas-Loving"]);
    // The notebook's cleaning, from the general column rules.
    assert.deepEqual(summary.columns.index, ["State", "County"]);
    assert.deepEqual(summary.columns.identifiers, ["CensusId", "State", "County"]);
    assert.deepEqual(
      summary.columns.unused.map((u: { column: string }) => u.column),
      ["CensusId", "State", "County"],
    );
    assert.equal(summary.features.length, 34);
    assert.equal(summary.features[0], "TotalPop");
    assert.equal(summary.features[33], "Unemployment");
  });

  test("PCA matches SageMaker's published singular values and the ~72% explained variance", () => {
    assert.equal(summary.pca.numComponents, 33);
    assert.equal(summary.pca.kept, 5);
    expectClose(
      summary.pca.singularValues.slice(0, 5),
      [19.59218, 13.03598, 11.71825, 10.18006, 7.99131],
      { rtol: 1e-5 },
      "s",
    );
    expectClose(summary.pca.keptExplainedVariance, 0.717982, { atol: 1e-6 }, "top-5 explained variance");
    assert.equal(summary.pca.components.length, 5);
    for (const c of summary.pca.components) {
      assert.equal(c.top.length, 10);
      assert.ok(c.name.length > 0);
      assert.ok(Math.abs(c.top[0].weight) >= Math.abs(c.top[9].weight));
    }
  });

  test("K-Means k=7 reaches scikit-learn's best-of-10 inertia (281.5192) or lower, and records its restarts", () => {
    assert.equal(summary.kmeans.k, 7);
    assert.ok(summary.kmeans.inertia <= 281.5192, `inertia ${summary.kmeans.inertia}`);
    assert.ok(summary.kmeans.restarts >= 10 && summary.kmeans.restarts <= 100, `${summary.kmeans.restarts}`);
    assert.equal(
      summary.kmeans.sizes.reduce((a: number, b: number) => a + b, 0),
      3218,
    );
    assert.equal(summary.kmeans.centroids.length, 7);
    assert.ok(summary.kmeans.silhouette > 0 && summary.kmeans.silhouette < 1);
  });

  test("assignments.csv: the contract's columns, one row per county, closest_cluster is the argmin", () => {
    const { header, rows } = readAssignments(join(out, "assignments.csv"));
    assert.deepEqual(header, [
      "CensusId",
      "State",
      "County",
      "comp_1",
      "comp_2",
      "comp_3",
      "comp_4",
      "comp_5",
      "closest_cluster",
      "distance_to_cluster",
    ]);
    assert.equal(rows.length, 3218);
    const centroids: number[][] = summary.kmeans.centroids;
    let inertia = 0;
    for (const r of rows) {
      const d = centroids.map((c) => Math.sqrt(c.reduce((s, cj, j) => s + (r.comps[j]! - cj) ** 2, 0)));
      const best = d.indexOf(Math.min(...d));
      assert.equal(r.cluster, best, `${r.key}: cluster ${r.cluster}, nearest ${best}`);
      expectClose(r.distance, d[best]!, { rtol: 1e-12, atol: 1e-15 }, `${r.key} distance`);
      inertia += r.distance ** 2;
    }
    expectClose(inertia, summary.kmeans.inertia, { rtol: 1e-9 }, "inertia from assignments");
  });

  test("California-Fresno and Arizona-Yuma land in the same cluster, as the seed notebook says", () => {
    const { rows } = readAssignments(join(out, "assignments.csv"));
    const fresno = rows.find((r) => r.key === "California-Fresno");
    const yuma = rows.find((r) => r.key === "Arizona-Yuma");
    assert.ok(fresno && yuma);
    assert.equal(fresno.cluster, yuma.cluster);
    assert.equal(fresno.id, "6019");
  });

  test("every step is timed in summary.json", () => {
    for (const step of [
      "load",
      "clean",
      "describe",
      "scale",
      "pca",
      "project",
      "kmeans",
      "assign",
      "explain",
    ]) {
      assert.ok(summary.timings[step] >= 0, `timing for ${step}`);
    }
  });

  test("the same seed gives the same segmentation", async () => {
    const out2 = join(tempDir(), "out");
    const again = await runCli(["run", "--data", censusCsvPath(), "--out", out2, "--quiet"]);
    assert.equal(again.code, 0, again.stderr);
    assert.equal(again.stderr, "");
    assert.equal(
      readFileSync(join(out2, "assignments.csv"), "utf8"),
      readFileSync(join(out, "assignments.csv"), "utf8"),
    );
    assert.match(again.stdout, /3220 rows loaded, 2 dropped/);
    assert.match(again.stdout, /K-Means: k=7/);
  });
});

describe("the quick start", () => {
  test("npm start -- --data <census> --out <dir> runs the compiled CLI", async () => {
    const out = join(tempDir(), "out");
    const child = spawnSync(
      "npm",
      ["start", "--silent", "--", "--data", censusCsvPath(), "--out", out, "--quiet"],
      {
        cwd: PROJECT_ROOT,
        encoding: "utf8",
        env: { ...process.env, STRATA_HOME: tempDir("strata-home-") },
      },
    );
    assert.equal(child.status, 0, child.stderr);
    assert.match(child.stdout, /3220 rows loaded, 2 dropped/);
    assert.ok(existsSync(join(out, "summary.json")) && existsSync(join(out, "assignments.csv")));
  });

  test("npm start builds only when a source is newer than dist/ (in a copy of the layout, not the repository)", () => {
    const root = tempDir("strata-start-");
    mkdirSync(join(root, "scripts"));
    mkdirSync(join(root, "src"));
    mkdirSync(join(root, "dist", "bundle"), { recursive: true });
    copyFileSync(join(PROJECT_ROOT, "scripts", "start.mjs"), join(root, "scripts", "start.mjs"));
    for (const f of ["tsconfig.json", "tsconfig.build.json"]) writeFileSync(join(root, f), "{}");
    writeFileSync(join(root, "src", "a.ts"), "export {};");
    // A stand-in for the built CLI: it prints what it was asked to do.
    writeFileSync(
      join(root, "dist", "bundle", "main.js"),
      "console.log(JSON.stringify(process.argv.slice(2)));",
    );
    const past = new Date(Date.now() - 60_000);
    for (const f of ["src/a.ts", "tsconfig.json", "tsconfig.build.json"])
      utimesSync(join(root, f), past, past);
    const fresh = spawnSync(process.execPath, [join(root, "scripts", "start.mjs"), "--quiet"], {
      encoding: "utf8",
    });
    assert.equal(fresh.status, 0, fresh.stderr);
    assert.equal(fresh.stdout.trim(), JSON.stringify(["run", "--quiet"]));
    // A source newer than dist/: it builds first (here `npm run build` fails: the copy has no package.json).
    utimesSync(join(root, "src", "a.ts"), new Date(), new Date(Date.now() + 60_000));
    const stale = spawnSync(process.execPath, [join(root, "scripts", "start.mjs")], { encoding: "utf8" });
    assert.notEqual(stale.status, 0);
    assert.doesNotMatch(stale.stdout, /"run"/);
  });
});

describe("strata run without a reachable source", () => {
  test("with no network and no --data it says it could not reach S3 and how to pass a local file", async () => {
    const out = join(tempDir(), "out");
    const result = await runCli(["run", "--out", out], {
      // A closed loopback port stands in for "no network" whatever machine runs the test.
      env: {
        STRATA_CENSUS_CSV: undefined,
        STRATA_DATA: undefined,
        AWS_ENDPOINT_URL_S3: "http://127.0.0.1:9",
      },
    });
    assert.notEqual(result.code, 0);
    assert.match(result.stderr, /could not reach/i);
    assert.match(result.stderr, /s3:\/\/aws-ml-blog-sagemaker-census-segmentation/);
    assert.match(result.stderr, /--data/);
    assert.equal(existsSync(out), false, "nothing written to --out");
  });
});
