// Replaces the compiled output of Strata's vendor modules with esbuild bundles of the packages they re-export
// (run by `npm run build`, after tsc). Node loads a package shipped as many small modules much more slowly
// than the same code in one file: each module is resolved, read and compiled on its own. Measured on the
// 2-core machine: vega + vega-lite 120 → 45 ms, @duckdb/node-api 35–45 → 15–20 ms, of every `strata run`.
// Each vendor module is a facade in src (src/report/vega.ts, src/data/duckdb-node-api.cts) whose source
// imports the packages directly, so tests under tsx see the packages as they are; only dist is bundled.
import { rmSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { build } from "esbuild";

const root = fileURLToPath(new URL("..", import.meta.url));

/**
 * vega-canvas as its browser build. Its Node build tries `await import("canvas")` at the top level, and
 * top-level await would keep the CLI's CommonJS bundle (build-cli-bundle.mjs) from including vega. The two
 * builds are the same code but for that probe: Strata never installs node-canvas, so the probe always failed and
 * vega measured text through our font metrics (src/report/text-metrics.ts); now it does so even where some
 * other package brought node-canvas in.
 */
const vegaCanvasForBrowsers = {
  name: "vega-canvas-browser",
  setup(b) {
    b.onResolve({ filter: /^vega-canvas$/ }, () => ({
      path: join(root, "node_modules/vega-canvas/build/vega-canvas.browser.js"),
    }));
  },
};

/** Each facade: its source, the compiled file it replaces, the module format, and what stays outside. */
export const VENDOR_MODULES = [
  {
    source: "src/report/vega.ts",
    output: "dist/report/vega.js",
    format: "esm",
    external: [],
    plugins: [vegaCanvasForBrowsers],
  },
  {
    source: "src/data/duckdb-node-api.cts",
    output: "dist/data/duckdb-node-api.cjs",
    format: "cjs",
    // The native addon and its platform packages are loaded by Node as they are.
    external: ["@duckdb/node-bindings", "@duckdb/node-bindings-*"],
  },
];

/**
 * Bundles every vendor module into `outRoot` (default: this checkout's dist). Returns, per bundle, what it still
 * imports from outside itself (Node's built-ins and the externals), as esbuild resolved them.
 */
export async function buildVendor(outRoot = root) {
  const built = [];
  for (const vendor of VENDOR_MODULES) {
    const outfile = join(outRoot, vendor.output);
    const result = await build({
      entryPoints: [join(root, vendor.source)],
      bundle: true,
      platform: "node",
      target: "node20",
      format: vendor.format,
      external: vendor.external,
      outfile,
      minify: true,
      legalComments: "eof",
      logLevel: "warning",
      metafile: true,
      plugins: vendor.plugins ?? [],
    });
    // tsc's source map describes the facade, not the bundle.
    rmSync(`${outfile}.map`, { force: true });
    const imports = Object.values(result.metafile.outputs).flatMap((o) => o.imports.map((i) => i.path));
    built.push({ output: vendor.output, imports: [...new Set(imports)].sort() });
  }
  return built;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) await buildVendor();
