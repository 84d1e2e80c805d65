/**
 * The `strata` bin (built into dist/bundle/main.js by scripts/build-cli-bundle.mjs): runs the CLI's bundle,
 * dist/bundle/cli.cjs, compiled with the V8 code cache the build wrote beside it (cli.v8-cache).
 *
 * Node 20 compiles every script from source on every start, and compiles each function again the first time it
 * runs; `module.enableCompileCache` arrived only in Node 22. The cache holds the bytecode of every function the
 * build's training run compiled, so a command starts with its code compiled. V8 checks the cache against its
 * version, its flags and the source, and on a mismatch (another Node, `--cpu-prof`) compiles from source as it
 * would have without one. The bundle is CommonJS because V8 caches scripts, not ES modules.
 *
 * `STRATA_WRITE_CODE_CACHE=<file>`: write the cache of this process's compiled code to `file` when it exits (the
 * build's training run).
 * @module
 */
import fs = require("node:fs");
import Module = require("node:module");
import path = require("node:path");
import vm = require("node:vm");

const bundle = path.join(__dirname, "cli.cjs");
const cacheFile = path.join(__dirname, "cli.v8-cache");

function cachedCode(): Buffer | undefined {
  try {
    return fs.readFileSync(cacheFile);
  } catch {
    return undefined; // no cache built: compile from source
  }
}

const script = new vm.Script(Module.wrap(fs.readFileSync(bundle, "utf8")), {
  filename: bundle,
  cachedData: cachedCode(),
  // The bundle's import() of the packages that stay outside it go to Node's own loader.
  importModuleDynamically: vm.constants.USE_MAIN_CONTEXT_DEFAULT_LOADER,
});

const writeTo = process.env["STRATA_WRITE_CODE_CACHE"];
if (writeTo !== undefined && writeTo !== "") {
  process.once("exit", () => {
    const partial = `${writeTo}.${process.pid}.tmp`;
    fs.writeFileSync(partial, script.createCachedData());
    fs.renameSync(partial, writeTo);
  });
}

const cli = { exports: {} };
const run = script.runInThisContext() as (
  exports: unknown,
  require: NodeJS.Require,
  module: unknown,
  filename: string,
  dirname: string,
) => void;
run(cli.exports, Module.createRequire(bundle), cli, bundle, path.dirname(bundle));
