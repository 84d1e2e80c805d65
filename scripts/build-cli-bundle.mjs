// The `strata` command as an esbuild bundle of dist's modules: dist/bundle/main.js and its chunks (run by
// `npm run build`, after tsc and the vendor bundles; the package's bin and `npm start` run it). Node resolves,
// reads and compiles each ES module on its own, and `strata run` imports about 220 of Strata's: as 40-odd
// chunks they load sooner: spawn to exit of the census run 550 → 518 ms without the report, 1089 → 1046
// with it (medians of 10 interleaved runs). Packages stay outside (the heavy ones are bundled already,
// build-vendor.mjs).
//
// Every module's `import.meta.url` becomes the URL of its own file in dist, which stays beside the bundle:
// worker threads and cluster workers are started from dist's modules and find algorithms by those URLs
// (src/util/module-ref.ts), and the bundle's own thread finds them without importing anything (definedRef).
import { readFile, rm } from "node:fs/promises";
import { dirname, join, relative } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { build } from "esbuild";

const root = fileURLToPath(new URL("..", import.meta.url));

/** Bundles dist/cli/main.js into dist/bundle. */
export async function buildCliBundle() {
  const distDir = join(root, "dist");
  const outdir = join(distDir, "bundle");
  await rm(outdir, { recursive: true, force: true });
  const ownUrls = {
    name: "own-module-urls",
    setup(b) {
      b.onLoad({ filter: /\.js$/ }, async (args) => {
        const code = await readFile(args.path, "utf8");
        const own = JSON.stringify(relative(outdir, args.path).split("\\").join("/"));
        return {
          contents: code.replaceAll("import.meta.url", `new URL(${own}, import.meta.url).href`),
          loader: "js",
          resolveDir: dirname(args.path),
        };
      });
    },
  };
  await build({
    entryPoints: { main: join(distDir, "cli", "main.js") },
    bundle: true,
    splitting: true,
    format: "esm",
    platform: "node",
    target: "node20",
    packages: "external",
    outdir,
    chunkNames: "chunk-[hash]",
    plugins: [ownUrls],
    logLevel: "warning",
  });
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) await buildCliBundle();
