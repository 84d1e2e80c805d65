/**
 * The CLI bundle, dist/bundle/main.js (scripts/build-cli-bundle.mjs, built by `npm install`): the package's bin
 * and `npm start` run it, so it must do what dist's modules do. Every module URL it rewrote names a file of
 * dist, and on its own thread it loads no module of dist outside the bundle: a second copy of one (its
 * StrataError class, say) would break `instanceof` across the copies.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { test } from "node:test";
import { pathToFileURL } from "node:url";
import { censusCsvPath, PROJECT_ROOT } from "../helpers/census.js";
import { tempDir } from "../helpers/cli.js";

const DIST = join(PROJECT_ROOT, "dist");
const BUNDLE = join(DIST, "bundle");

test("npm install built the bundle, and each module URL it rewrote names a file of dist", () => {
  assert.ok(existsSync(join(BUNDLE, "main.js")), "npm install builds dist/bundle/main.js");
  const urls = new Set<string>();
  for (const chunk of readdirSync(BUNDLE).filter((f) => f.endsWith(".js"))) {
    const code = readFileSync(join(BUNDLE, chunk), "utf8");
    for (const m of code.matchAll(/new URL\("([^"]+)", import\.meta\.url\)/g)) urls.add(m[1]!);
  }
  // The modules that name themselves: algorithms and kernels by URL, workers started beside their callers.
  for (const own of ["../pca/pca-rounds.js", "../kmeans/hamerly.js", "../jobs/runners/threads.js"])
    assert.ok(urls.has(own), `${own} among ${[...urls].join(", ")}`);
  for (const url of urls) assert.ok(existsSync(resolve(BUNDLE, url)), `${url} is not a file of dist`);
});

test("the census run through the bundle writes what dist's modules write, loading no module of dist beside it", () => {
  const dir = tempDir("strata-bundle-");
  // Records every module the run resolves (loader hooks run on their own thread, so they append to a file).
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
  const run = (main: string, out: string, hooks: boolean) => {
    const child = spawnSync(
      process.execPath,
      [
        ...(hooks ? ["--import", pathToFileURL(join(dir, "register.mjs")).href] : []),
        main,
        "run",
        "--data",
        censusCsvPath(),
        "--out",
        out,
        "--no-report",
        "--quiet",
      ],
      { encoding: "utf8", env: { ...process.env, STRATA_HOME: join(dir, "home") } },
    );
    assert.equal(child.status, 0, child.stderr);
    return readFileSync(join(out, "assignments.csv"), "utf8");
  };
  const bundled = run(join(BUNDLE, "main.js"), join(dir, "bundled"), true);
  const modules = run(join(DIST, "cli", "main.js"), join(dir, "modules"), false);
  assert.equal(bundled, modules);
  const loaded = readFileSync(log, "utf8").trim().split("\n");
  assert.ok(loaded.some((url) => url.startsWith(pathToFileURL(BUNDLE).href)));
  const outside = loaded.filter(
    (url) => url.startsWith(pathToFileURL(DIST).href) && !url.startsWith(`${pathToFileURL(BUNDLE).href}/`),
  );
  assert.deepEqual([...new Set(outside)], []);
});
