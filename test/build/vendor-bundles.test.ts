/**
 * The build's vendor bundles (scripts/build-vendor.mjs): each replaces a facade's compiled output with one file
 * holding the whole package, so it must be one file and behave as the package does. Built here into a
 * directory of the test's own (inside the project, so the node-api bundle finds the native bindings in
 * node_modules), not read from dist, which may be older than the sources.
 */
import assert from "node:assert/strict";
import { existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { createRequire, isBuiltin } from "node:module";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { pathToFileURL } from "node:url";
import * as vegaPackage from "vega";
import * as vlPackage from "vega-lite";
// @ts-expect-error: a build script in plain JavaScript, without type declarations
import { buildVendor } from "../../scripts/build-vendor.mjs";
import { screeSpec } from "../../src/report/charts/scree.js";
import { PROJECT_ROOT } from "../helpers/census.js";

const require = createRequire(import.meta.url);
const CACHE = join(PROJECT_ROOT, "node_modules", ".cache");

let outRoot: string;
let built: { output: string; imports: string[] }[];
before(async () => {
  mkdirSync(CACHE, { recursive: true });
  outRoot = mkdtempSync(join(CACHE, "strata-vendor-test-"));
  built = await buildVendor(outRoot);
});
after(() => rmSync(outRoot, { recursive: true, force: true }));

test("every vendor bundle is one file: it imports only Node's built-ins and the native bindings", () => {
  assert.deepEqual(
    built.map((b) => b.output),
    ["dist/report/vega.js", "dist/data/duckdb-node-api.cjs"],
  );
  for (const { output, imports } of built) {
    const outside = imports.filter((path) => !isBuiltin(path));
    // vega-canvas goes in as its browser build, without the top-level `import("canvas")` of its Node build.
    assert.deepEqual(outside, output.endsWith(".cjs") ? ["@duckdb/node-bindings"] : [], output);
    assert.ok(existsSync(join(outRoot, output)), output);
  }
});

test("the vega bundle compiles and renders a chart exactly as the packages do", async () => {
  const bundled = (await import(pathToFileURL(join(outRoot, "dist/report/vega.js")).href)) as {
    vega: typeof vegaPackage;
    vl: typeof vlPackage;
  };
  const spec = screeSpec([0.4, 0.2, 0.15, 0.1, 0.08, 0.04, 0.03], 5);
  const compiled = vlPackage.compile(spec).spec;
  // As JSON: the minified bundle's classes have other names.
  assert.equal(JSON.stringify(bundled.vl.compile(spec).spec), JSON.stringify(compiled));
  const svg = async (vega: typeof vegaPackage) => {
    const view = new vega.View(vega.parse(compiled), { renderer: "none" });
    try {
      return await view.toSVG();
    } finally {
      view.finalize();
    }
  };
  const expected = await svg(vegaPackage);
  assert.match(expected, /<svg[^>]*>.*<\/svg>$/s);
  assert.equal(await svg(bundled.vega), expected);
});

test("the node-api bundle exports what the package does and runs a query", async () => {
  const pkg = require("@duckdb/node-api") as Record<string, unknown>;
  const bundled = require(
    join(outRoot, "dist/data/duckdb-node-api.cjs"),
  ) as typeof import("@duckdb/node-api");
  assert.deepEqual(Object.keys(bundled).sort(), Object.keys(pkg).sort());
  const instance = await bundled.DuckDBInstance.create(":memory:");
  const con = await instance.connect();
  try {
    const rows = (await con.runAndReadAll("SELECT 6 * 7 AS answer, 'ok' AS word")).getRowObjectsJson();
    assert.deepEqual(rows, [{ answer: 42, word: "ok" }]);
  } finally {
    con.closeSync();
    instance.closeSync();
  }
});
