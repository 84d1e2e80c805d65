/**
 * The CLI bundle (scripts/build-cli-bundle.mjs, built by `npm install`): dist/bundle/main.js, the package's bin
 * and what `npm start` runs, compiles the scripts of dist/bundle (cli.cjs, and vega.cjs for the report) with the
 * V8 code caches beside them. It must do what dist's modules do. Every module URL it rewrote names a file of dist, and on its own thread it loads no module
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
const SCRIPTS = ["cli", "vega"];

test("npm install built the bin, the bundle and its code cache, and each module URL it rewrote names a file of dist", () => {
  for (const file of ["main.js", ...SCRIPTS.flatMap((name) => [`${name}.cjs`, `${name}.v8-cache`])])
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

test("this Node accepts each script's code cache as the bin compiles the script", () => {
  for (const name of SCRIPTS) {
    // As src/cli/launch.cts compiles it: wrapped as a CommonJS module, under its own file name.
    const file = join(BUNDLE, `${name}.cjs`);
    const script = new vm.Script(Module.wrap(readFileSync(file, "utf8")), {
      filename: file,
      cachedData: readFileSync(join(BUNDLE, `${name}.v8-cache`)),
    });
    assert.equal(script.cachedDataRejected, false, name);
  }
});

test("the bin exits with the command's code: 0 for --version, 2 for a usage error, 1 for a missing file", () => {
  const bin = join(BUNDLE, "main.js");
  const status = (...args: string[]) =>
    spawnSync(process.execPath, [bin, ...args], { encoding: "utf8" }).status;
  assert.equal(status("--version"), 0);
  assert.equal(status("run", "--no-such-option"), 2);
  assert.equal(
    status("run", "--data", "/nonexistent/strata.csv", "--out", join(tempDir("strata-bundle-"), "out")),
    1,
  );
});

/** Runs the census segmentation with the CLI at `main` (without the report unless asked); returns assignments.csv. */
function censusRun(
  main: string,
  out: string,
  home: string,
  nodeArgs: readonly string[] = [],
  report = false,
): string {
  const child = spawnSync(
    process.execPath,
    [
      ...nodeArgs,
      main,
      "run",
      "--data",
      censusCsvPath(),
      "--out",
      out,
      ...(report ? [] : ["--no-report"]),
      "--quiet",
    ],
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
    loaded.some((url) => url.includes("/node_modules/better-sqlite3/")),
    "the log records what the bundle requires",
  );
  for (const inlined of ["commander", "tar-stream", "streamx"])
    assert.ok(
      !loaded.some((url) => url.includes(`/node_modules/${inlined}/`)),
      `${inlined} runs from cli.cjs`,
    );
  const outside = loaded.filter(
    (url) => url.startsWith(pathToFileURL(DIST).href) && !url.startsWith(`${pathToFileURL(BUNDLE).href}/`),
  );
  assert.deepEqual([...new Set(outside)], []);
});

test("without its code caches the bin compiles the scripts from source and runs the same, report included", () => {
  const dir = tempDir("strata-bundle-");
  // A copy beside dist/bundle, so the module URLs it rewrote ("../pca/…") still name dist's files.
  const copy = join(DIST, `bundle-without-cache-${process.pid}`);
  try {
    cpSync(BUNDLE, copy, { recursive: true });
    for (const name of SCRIPTS) rmSync(join(copy, `${name}.v8-cache`));
    const home = join(dir, "home");
    const uncached = censusRun(join(copy, "main.js"), join(dir, "uncached"), home, [], true);
    assert.equal(uncached, censusRun(join(BUNDLE, "main.js"), join(dir, "cached"), home));
    assert.ok(
      readFileSync(join(dir, "uncached", "report.html"), "utf8").includes("<svg"),
      "the report has its charts",
    );
  } finally {
    rmSync(copy, { recursive: true, force: true });
  }
});
