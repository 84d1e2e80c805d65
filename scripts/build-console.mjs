// Bundles the web console (web/console, Preact) into static assets with esbuild: dist/console/index.html and
// dist/console/assets/<name>-<hash>.{js,css}. Run by `npm run build`; tests call buildConsole() into a
// directory of their own. Content-hashed names let the server mark the assets immutable.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { basename, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { build } from "esbuild";

const root = fileURLToPath(new URL("..", import.meta.url));
const source = join(root, "web", "console");

/** Builds the console into `outDir` (replacing what is there) and returns the asset names. */
export async function buildConsole(outDir = join(root, "dist", "console")) {
  rmSync(outDir, { recursive: true, force: true });
  const assets = join(outDir, "assets");
  mkdirSync(assets, { recursive: true });
  const result = await build({
    entryPoints: { app: join(source, "main.tsx") },
    bundle: true,
    format: "esm",
    splitting: true,
    minify: true,
    sourcemap: true,
    target: "es2022",
    jsx: "automatic",
    jsxImportSource: "preact",
    outdir: assets,
    entryNames: "[name]-[hash]",
    chunkNames: "chunk-[hash]",
    assetNames: "[name]-[hash]",
    metafile: true,
    logLevel: "warning",
    legalComments: "linked",
  });
  const outputs = Object.entries(result.metafile.outputs);
  const entry = outputs.find(([, o]) => o.entryPoint?.endsWith("main.tsx"));
  if (entry === undefined) throw new Error("esbuild produced no entry for web/console/main.tsx");
  const [script, meta] = entry;
  const tags = [`<script type="module" src="/console/assets/${basename(script)}"></script>`];
  if (meta.cssBundle !== undefined)
    tags.push(`<link rel="stylesheet" href="/console/assets/${basename(meta.cssBundle)}">`);
  const html = readFileSync(join(source, "index.html"), "utf8").replace("<!-- assets -->", tags.join("\n"));
  writeFileSync(join(outDir, "index.html"), html);
  return {
    script: basename(script),
    css: meta.cssBundle === undefined ? undefined : basename(meta.cssBundle),
  };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) await buildConsole();
