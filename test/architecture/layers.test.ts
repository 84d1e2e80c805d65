/**
 * Issue 13: imports point one way, down. Every module of src/ belongs to the layer its top folder names; a
 * module may import its own layer and the layers below it, never one above. The order is the architecture
 * (README "Layout"): what a layer may use is everything listed before it.
 * @module
 */
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { test } from "node:test";
import { PROJECT_ROOT } from "../helpers/census.js";

/** Bottom to top: a layer may import those on its own line and the lines before it. */
const LAYERS: readonly (readonly string[])[] = [
  ["errors", "version", "util"],
  ["linalg", "wasm"],
  ["formats", "data"],
  ["parallel"],
  ["contract"],
  ["cluster"],
  ["preprocess", "pca", "kmeans"],
  ["models"],
  ["explain"],
  ["registry"],
  ["jobs"],
  ["serving"],
  ["report"],
  ["workflow"],
  ["api"],
  ["cli"],
  ["index"],
];

const SRC = resolve(PROJECT_ROOT, "src");
const rank = new Map(LAYERS.flatMap((names, i) => names.map((n) => [n, i] as const)));

function layerOf(file: string): string {
  return relative(SRC, file)
    .split("/")[0]!
    .replace(/\.(ts|js)$/, "");
}

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory()
      ? sources(join(dir, e.name))
      : e.name.endsWith(".ts") && !e.name.endsWith(".d.ts")
        ? [join(dir, e.name)]
        : [],
  );
}

const IMPORT = /(?:from|import)\s*\(?\s*"(\.{1,2}\/[^"]+)"/g;

/** Every relative import that goes to a higher layer, among `files` (absolute paths under src/ and their text). */
function upwardImports(files: readonly { path: string; text: string }[]): string[] {
  const found: string[] = [];
  for (const { path, text } of files) {
    const from = layerOf(path);
    for (const m of text.matchAll(IMPORT)) {
      const to = layerOf(resolve(dirname(path), m[1]!));
      if (to === from) continue;
      if ((rank.get(to) ?? Number.POSITIVE_INFINITY) > (rank.get(from) ?? -1))
        found.push(`${relative(PROJECT_ROOT, path)} (${from}) imports ${m[1]} (${to})`);
    }
  }
  return found;
}

test("every layer of src/ is known", () => {
  const unknown = [...new Set(sources(SRC).map(layerOf))].filter((l) => !rank.has(l));
  assert.deepEqual(unknown, [], "add the new folder to LAYERS (and to the README's layout)");
});

test("no module imports a layer above its own", () => {
  const files = sources(SRC).map((path) => ({ path, text: readFileSync(path, "utf8") }));
  assert.ok(files.length > 100);
  assert.deepEqual(upwardImports(files), []);
});

test("the check reports an upward import, and lets downward and same-layer ones through", () => {
  const files = [
    {
      path: join(SRC, "kmeans/made-up.ts"),
      text: 'import { executeRun } from "../workflow/run.js";\nimport "./engine.js";',
    },
    { path: join(SRC, "workflow/made-up.ts"), text: 'import { KMeans } from "../kmeans/kmeans.js";' },
    { path: join(SRC, "parallel/made-up.ts"), text: 'const m = await import("../pca/scatter-shards.js");' },
  ];
  assert.deepEqual(upwardImports(files), [
    "src/kmeans/made-up.ts (kmeans) imports ../workflow/run.js (workflow)",
    "src/parallel/made-up.ts (parallel) imports ../pca/scatter-shards.js (pca)",
  ]);
});
