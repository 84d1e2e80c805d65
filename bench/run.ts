/**
 * `npm run bench`: Strata side by side with its peers, on this machine, in one run.
 *
 *   npm run bench -- [--only load,pca,pca-wide,kmeans,kmeans-web-scale,run,run-large,serve,stream,cluster,cluster-fit] [--rows 100000] [--threads N] [--json] [--markdown FILE]
 *
 * Sizes default to 10k, 100k and 1M rows (`--rows` picks one or a comma list); pca-wide (1,000 columns),
 * kmeans-web-scale (2M), run-large and stream (20M rows) have sizes of their own unless `--rows` is given.
 * Every case warms each tool
 * up, times several runs and reports min / median / max and the ratio of each tool to Strata (see
 * harness.ts). `--json` prints the rows as JSON; `--markdown FILE` writes the table with the machine's facts
 * (what BENCHMARKS.md keeps). Generated data lives in bench/.data/ (git-ignored). Not part of `npm test`.
 * @module
 */
import { execSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { availableParallelism, cpus, loadavg, totalmem } from "node:os";
import { defaultThreads, sharedPool, shutdownPool } from "../src/parallel/pool.js";
import { clusterCase } from "./cases/cluster.js";
import { clusterFitCase } from "./cases/cluster-fit.js";
import { kmeansCase } from "./cases/kmeans.js";
import { kmeansWebScaleCase } from "./cases/kmeans-web-scale.js";
import { loadCase } from "./cases/load.js";
import { pcaCase } from "./cases/pca.js";
import { pcaWideCase } from "./cases/pca-wide.js";
import { runCase } from "./cases/run.js";
import { runLargeCase } from "./cases/run-large.js";
import { serveCase } from "./cases/serve.js";
import { streamCase } from "./cases/stream.js";
import { addRatios, type BenchRow, formatTable } from "./harness.js";
import { pythonFacts } from "./python.js";

const CASES = [
  "load",
  "pca",
  "pca-wide",
  "kmeans",
  "kmeans-web-scale",
  "run",
  "run-large",
  "serve",
  "stream",
  "cluster",
  "cluster-fit",
] as const;
type CaseName = (typeof CASES)[number];

interface Args {
  only: CaseName[];
  sizes: number[];
  /** Whether --rows was given (pca-wide, kmeans-web-scale, run-large and stream have sizes of their own otherwise). */
  sizesGiven: boolean;
  threads: number;
  json: boolean;
  markdown?: string;
}

function parseArgs(argv: readonly string[]): Args {
  const args: Args = {
    only: [...CASES],
    sizes: [10_000, 100_000, 1_000_000],
    sizesGiven: false,
    threads: defaultThreads(),
    json: false,
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const value = () => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${a} needs a value.`);
      return v;
    };
    if (a === "--json") args.json = true;
    else if (a === "--only") {
      const names = value().split(",");
      const bad = names.filter((n) => !(CASES as readonly string[]).includes(n));
      if (bad.length > 0) throw new Error(`Unknown case ${bad.join(", ")}: expected ${CASES.join(", ")}.`);
      args.only = names as CaseName[];
    } else if (a === "--rows") {
      args.sizes = value().split(",").map(Number);
      args.sizesGiven = true;
    } else if (a === "--threads") args.threads = Number(value());
    else if (a === "--markdown") args.markdown = value();
    else throw new Error(`Unknown option ${a}: expected --only, --rows, --threads, --json or --markdown.`);
  }
  if (args.sizes.some((n) => !Number.isInteger(n) || n < 100))
    throw new Error("--rows takes integers of at least 100.");
  return args;
}

function machineFacts(threads: number): string[] {
  const sklearn = pythonFacts();
  let os = "";
  try {
    os = execSync("uname -sr", { encoding: "utf8" }).trim();
  } catch {}
  return [
    `- CPU: ${cpus()[0]?.model ?? "unknown"}, ${availableParallelism()} cores; memory ${(totalmem() / 2 ** 30).toFixed(0)} GiB; ${os}`,
    `- Node ${process.versions.node} (V8 ${process.versions.v8}); Strata threads ${threads}`,
    `- ${sklearn}`,
    `- load average at the end: ${loadavg()
      .map((l) => l.toFixed(2))
      .join(", ")}; date ${new Date().toISOString()}`,
  ];
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const rows: BenchRow[] = [];
  const log = (m: string) => process.stderr.write(`bench: ${m}\n`);
  // Start the worker threads before any case, so no timed run waits for a thread to boot.
  if (args.threads > 1) await sharedPool(args.threads).ready();
  for (const name of args.only) {
    log(`${name}…`);
    const t0 = performance.now();
    if (name === "load") rows.push(...(await loadCase(args.sizes)));
    else if (name === "pca") rows.push(...(await pcaCase(args.sizes, args.threads)));
    else if (name === "pca-wide")
      rows.push(...(await pcaWideCase(args.sizesGiven ? args.sizes : [20_000], args.threads)));
    else if (name === "kmeans") rows.push(...(await kmeansCase(args.sizes, args.threads)));
    else if (name === "kmeans-web-scale")
      rows.push(...(await kmeansWebScaleCase(args.sizesGiven ? args.sizes : [2_000_000], args.threads)));
    else if (name === "run") rows.push(...(await runCase()));
    else if (name === "run-large")
      rows.push(...(await runLargeCase(args.sizesGiven ? args.sizes : [200_000, 1_000_000])));
    else if (name === "stream") rows.push(...(await streamCase(args.sizesGiven ? args.sizes : [20_000_000])));
    else if (name === "cluster")
      rows.push(...(await clusterCase(args.sizesGiven ? args.sizes : [6_000, 600_000])));
    else if (name === "cluster-fit")
      rows.push(...(await clusterFitCase(args.sizesGiven ? args.sizes : [20_000_000])));
    else rows.push(...(await serveCase()));
    log(`${name} done in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  }
  addRatios(rows);
  await shutdownPool();
  if (args.json) process.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
  else process.stdout.write(`${formatTable(rows)}\n`);
  if (args.markdown !== undefined) {
    const facts = machineFacts(args.threads);
    writeFileSync(args.markdown, `${facts.join("\n")}\n\n${formatTable(rows)}\n`);
  }
}

main().catch((e) => {
  process.stderr.write(`bench: ${(e as Error).stack ?? e}\n`);
  process.exit(1);
});
