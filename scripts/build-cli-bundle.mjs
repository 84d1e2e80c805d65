// The `strata` command as CommonJS bundles of dist's modules with V8 code caches (run by `npm run build`, after
// tsc and the vendor bundles; the package's bin and `npm start` run it):
//   dist/bundle/main.js       the bin (src/cli/launch.cts), which compiles the scripts below with their caches;
//   dist/bundle/cli.cjs       dist/cli/main.js, every module of dist it imports, commander and tar-stream;
//   dist/bundle/vega.cjs      the vega bundle (dist/report/vega.js), which only the report requires;
//   dist/bundle/*.v8-cache    the bytecode of every function a training run compiled (trainCodeCache).
//
// Node resolves, reads and compiles each ES module on its own and keeps no compiled code between runs. The
// census run without the report took 388 ms from spawn to exit with the CLI as 44 ES-module chunks, 361 ms as
// one CommonJS file and 335 ms with the code cache too (medians of 10-12 interleaved runs, 2-core machine);
// with the report, 860 → 706 ms. Vega inside cli.cjs cost the run without the report 18-32 ms: its minified
// code is mostly functions V8 compiles eagerly, so the file and its cache were twice the size. Commander and
// tar-stream inside it took 4 ms of wall time and 16 of CPU off the run (18 interleaved runs).
// Modules a command imports on demand stay lazy inside the file: esbuild wraps them and runs their top level
// on first import.
//
// Every module's `import.meta.url` becomes the URL of its own file in dist, which stays beside the bundle:
// worker threads and cluster workers are started from dist's modules and find algorithms by those URLs
// (src/util/module-ref.ts), and the bundle's own thread finds them without importing anything (definedRef).
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { build } from "esbuild";

const root = fileURLToPath(new URL("..", import.meta.url));

/** The bin's file name inside dist/bundle; each script there is `<name>.cjs`, cached in `<name>.v8-cache`. */
const BIN = "main.js";

/** The bundle's stand-ins for `import.meta`, which CommonJS has not: the bundle's URL, and resolve. */
const BUNDLE_HELPERS = [
  'const __bundleUrl = require("node:url").pathToFileURL(__filename).href;',
  'const __bundleResolve = (specifier) => require("node:url").pathToFileURL(require.resolve(specifier)).href;',
].join("\n");

/** Rewrites each module's `import.meta` to name its own file in dist. */
function ownModuleUrls(outdir) {
  return {
    name: "own-module-urls",
    setup(b) {
      b.onLoad({ filter: /\.js$/ }, async (args) => {
        const code = readFileSync(args.path, "utf8");
        const own = JSON.stringify(relative(outdir, args.path).split("\\").join("/"));
        const contents = code
          .replaceAll("import.meta.url", `new URL(${own}, __bundleUrl).href`)
          .replaceAll("import.meta.resolve(", "__bundleResolve(");
        if (contents.includes("import.meta"))
          throw new Error(`${args.path} uses import.meta in a way the CommonJS bundle cannot rewrite`);
        return { contents, loader: "js", resolveDir: dirname(args.path) };
      });
    },
  };
}

/**
 * The packages every command loads, bundled into cli.cjs so that their code is cached with it: commander (every
 * command) and tar-stream with its dependencies (every model artifact). Loaded as 25 files of their own, they
 * were compiled from source on every run. Every other package stays outside: native addons (better-sqlite3,
 * DuckDB) find their binaries from their own files, and the rest load only with the commands that need them.
 */
const INLINED_PACKAGES = ["commander", "tar-stream"];

/** Marks every package import external but those of `inlined`, and the imports inside packages it bundles. */
function packagesOutsideBut(inlined) {
  return {
    name: "packages-outside-but",
    setup(b) {
      b.onResolve({ filter: /^[^./]/ }, (args) => {
        if (args.path.startsWith("node:")) return { path: args.path, external: true };
        const parts = args.path.split("/");
        const name = args.path.startsWith("@") ? parts.slice(0, 2).join("/") : parts[0];
        const insidePackage = args.importer.includes("/node_modules/");
        return insidePackage || inlined.includes(name) ? undefined : { path: args.path, external: true };
      });
    },
  };
}

/**
 * commander's `require("node:child_process")` as a module that requires it on first use. commander needs it
 * only to run executable subcommands, which Strata has none of, and loading it (with net, dgram and their
 * streams) took 3 ms of every command's start.
 */
const lazyChildProcessForCommander = {
  name: "lazy-child-process-for-commander",
  setup(b) {
    b.onResolve({ filter: /^(node:)?child_process$/ }, (args) =>
      args.importer.includes("/node_modules/commander/")
        ? { path: "lazy-child-process", namespace: "lazy-child-process" }
        : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: "lazy-child-process" }, () => ({
      contents:
        'let loaded;\nmodule.exports = new Proxy({}, { get: (_, key) => (loaded ??= require("node:child_process"))[key] });\n',
      loader: "js",
    }));
  },
};

/** The report's `import … from "./vega.js"` as a require of the script beside the bundle, vega.cjs. */
const vegaBeside = {
  name: "vega-beside",
  setup(b) {
    b.onResolve({ filter: /^\.\/vega\.js$/ }, (args) =>
      args.resolveDir === join(root, "dist", "report") ? { path: "./vega.cjs", external: true } : undefined,
    );
  },
};

/** Bundles dist/cli/main.js into dist/bundle and trains its code caches. */
export async function buildCliBundle() {
  const distDir = join(root, "dist");
  const outdir = join(distDir, "bundle");
  rmSync(outdir, { recursive: true, force: true });
  mkdirSync(outdir, { recursive: true });
  const common = { bundle: true, format: "cjs", platform: "node", target: "node20", logLevel: "warning" };
  const cli = await build({
    ...common,
    entryPoints: [join(distDir, "cli", "main.js")],
    banner: { js: BUNDLE_HELPERS },
    plugins: [
      ownModuleUrls(outdir),
      vegaBeside,
      lazyChildProcessForCommander,
      packagesOutsideBut(INLINED_PACKAGES),
    ],
    write: false,
  });
  // The launcher compiles the bundle as a function body, where the entry's `#!` line would be a syntax error.
  writeFileSync(join(outdir, "cli.cjs"), cli.outputFiles[0].text.replace(/^#!.*\n/, ""));
  await build({
    ...common,
    entryPoints: [join(distDir, "report", "vega.js")],
    outfile: join(outdir, "vega.cjs"),
    minify: true, // as the vega bundle is (build-vendor.mjs)
    legalComments: "eof",
  });
  await build({
    ...common,
    entryPoints: [join(distDir, "cli", "launch.cjs")],
    outfile: join(outdir, BIN),
    banner: { js: "#!/usr/bin/env node" },
  });
  // The package is "type": "module"; these files are CommonJS.
  writeFileSync(join(outdir, "package.json"), `${JSON.stringify({ type: "commonjs" })}\n`);
  trainCodeCache(outdir);
}

/**
 * Writes the code caches from a `strata run`, report included, on a generated table in a temporary directory,
 * with a Strata home of its own there: the functions it compiles are the ones a run needs.
 */
function trainCodeCache(outdir) {
  const dir = mkdtempSync(join(tmpdir(), "strata-code-cache-"));
  try {
    const csv = join(dir, "training.csv");
    writeFileSync(csv, trainingTable());
    const child = spawnSync(
      process.execPath,
      [join(outdir, BIN), "run", "--data", csv, "--out", join(dir, "out"), "--quiet"],
      {
        encoding: "utf8",
        env: {
          ...process.env,
          STRATA_HOME: join(dir, "home"),
          STRATA_WRITE_CODE_CACHE: outdir,
        },
      },
    );
    if (child.status !== 0)
      throw new Error(`the code cache's training run failed (exit ${child.status}):\n${child.stderr}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * A table of 400 counties: FIPS codes (Texas' 254 and Georgia's first 146, which the report puts on the county
 * map, so its code is trained too), a name, one gap, and ten measures drawn around three centres (a fixed
 * linear congruential sequence, so every build trains on the same rows).
 */
function trainingTable() {
  let state = 12345;
  const next = () => {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    return state / 2 ** 31;
  };
  const measures = Array.from({ length: 10 }, (_, j) => `Measure${j + 1}`);
  const lines = [["CountyId", "Name", ...measures].join(",")];
  for (let i = 0; i < 400; i++) {
    const fips = i < 254 ? 48001 + 2 * i : 13001 + 2 * (i - 254);
    const centre = i % 3;
    const values = measures.map((_, j) =>
      i === 17 && j === 4 ? "" : (centre * (j + 1) * 3 + next() * 10).toFixed(2),
    );
    lines.push([fips, `County ${i}`, ...values].join(","));
  }
  return `${lines.join("\n")}\n`;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) await buildCliBundle();
