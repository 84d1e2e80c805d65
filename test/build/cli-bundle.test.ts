/**
 * The CLI bundle (scripts/build-cli-bundle.mjs, built by `npm install`): dist/bundle/main.js, the package's bin
 * and what `npm start` runs, compiles dist/bundle/cli.cjs with the V8 code cache beside it. It must do what
 * dist's modules do. Every module URL it rewrote names a file of dist, and on its own thread it loads no module
 * of dist outside the bundle: a second copy of one (its StrataError class, say) would break `instanceof` across
 * the copies.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import Module from "node:module";
import { join, resolve } from "node:path";
import { test } from "node:test";
import { pathToFileURL } from "node:url";
import vm from "node:vm";
import { censusCsvPath, PROJECT_ROOT } from "../helpers/census.js";
import { tempDir } from "../helpers/cli.js";

const DIST = join(PROJECT_ROOT, "dist");
const BUNDLE = join(DIST, "bundle");
const CLI = join(BUNDLE, "cli.cjs");
const CACHE = join(BUNDLE, "cli.v8-cache");

test("npm install built the bin, the bundle and its code cache, and each module URL it rewrote names a file of dist", () => {
  for (const file of ["main.js", "cli.cjs", "cli.v8-cache"])
    assert.ok(existsSync(join(BUNDLE, file)), `npm install builds dist/bundle/${file}`);
  const code = readFileSync(CLI, "utf8");
  assert.ok(!code.includes("import.meta"), "CommonJS has no import.meta: every use is rewritten");
  const urls = new Set<string>();
  for (const m of code.matchAll(/new URL\("([^"]+)", __bundleUrl\)/g)) urls.add(m[1]!);
  // The modules that name themselves: algorithms and kernels by URL, workers started beside their callers.
  for (const own of ["../pca/pca-rounds.js", "../kmeans/hamerly.js", "../jobs/runners/threads.js"])
    assert.ok(urls.has(own), `${own} among ${[...urls].join(", ")}`);
  for (const url of urls) assert.ok(existsSync(resolve(BUNDLE, url)), `${url} is not a file of dist`);
});

test("this Node accepts the code cache for the bundle as the bin compiles it", () => {
  // As src/cli/launch.cts compiles it: the bundle wrapped as a CommonJS module, under its own file name.
  const script = new vm.Script(Module.wrap(readFileSync(CLI, "utf8")), {
    filename: CLI,
    cachedData: readFileSync(CACHE),
  });
  assert.equal(script.cachedDataRejected, false);
});

/** Runs the census segmentation with the CLI at `main`; returns assignments.csv. */
function censusRun(main: string, out: string, home: string, nodeArgs: readonly string[] = []): string {
  const child = spawnSync(
    process.execPath,
    [...nodeArgs, main, "run", "--data", censusCsvPath(), "--out", out, "--no-report", "--quiet"],
    { encoding: "utf8", env: { ...process.env, STRATA_HOME: home } },
  );
  assert.equal(child.status, 0, child.stderr);
  return readFileSync(join(out, "assignments.csv"), "utf8");
}

test("the census run through the bundle writes what dist's modules write, loading no module of dist beside it", () => {
  const dir = tempDir("strata-bundle-");
  // Every module the run loads: the ES modules Node's loader resolves (its hooks run on their own thread, so
  // they append to a file) and the CommonJS modules in require's cache when the process exits.
  const log = join(dir, "modules.log");
  writeFileSync(
    join(dir, "hooks.mjs"),
    `import { appendFileSync } from "node:fs";
export async function resolve(specifier, context, next) {
  const resolved = await next(specifier, context);
  appendFileSync(${JSON.stringify(log)}, resolved.url + "\\n");
  return resolved;
}`,
  );
  writeFileSync(
    join(dir, "register.mjs"),
    `import { register } from "node:module"; register(${JSON.stringify(pathToFileURL(join(dir, "hooks.mjs")).href)});`,
  );
  writeFileSync(
    join(dir, "required.cjs"),
    `const { appendFileSync } = require("node:fs");
const { pathToFileURL } = require("node:url");
process.on("exit", () => {
  const urls = Object.keys(require.cache).map((file) => pathToFileURL(file).href + "\\n");
  appendFileSync(${JSON.stringify(log)}, urls.join(""));
});`,
  );
  const home = join(dir, "home");
  const recording = [
    "--import",
    pathToFileURL(join(dir, "register.mjs")).href,
    "--require",
    join(dir, "required.cjs"),
  ];
  const bundled = censusRun(join(BUNDLE, "main.js"), join(dir, "bundled"), home, recording);
  const modules = censusRun(join(DIST, "cli", "main.js"), join(dir, "modules"), home);
  assert.equal(bundled, modules);
  const loaded = readFileSync(log, "utf8").trim().split("\n");
  assert.ok(loaded.includes(pathToFileURL(join(BUNDLE, "main.js")).href), "the log records the bin itself");
  assert.ok(
    loaded.some((url) => url.includes("/node_modules/commander/")),
    "the log records what the bundle requires",
  );
  const outside = loaded.filter(
    (url) => url.startsWith(pathToFileURL(DIST).href) && !url.startsWith(`${pathToFileURL(BUNDLE).href}/`),
  );
  assert.deepEqual([...new Set(outside)], []);
});

test("without its code cache the bin compiles the bundle from source and runs the same", () => {
  const dir = tempDir("strata-bundle-");
  // A copy beside dist/bundle, so the module URLs it rewrote ("../pca/…") still name dist's files.
  const copy = join(DIST, `bundle-without-cache-${process.pid}`);
  try {
    cpSync(BUNDLE, copy, { recursive: true });
    rmSync(join(copy, "cli.v8-cache"));
    const home = join(dir, "home");
    const uncached = censusRun(join(copy, "main.js"), join(dir, "uncached"), home);
    assert.equal(uncached, censusRun(join(BUNDLE, "main.js"), join(dir, "cached"), home));
  } finally {
    rmSync(copy, { recursive: true, force: true });
  }
});
