/**
 * The `strata` bin (built into dist/bundle/main.js by scripts/build-cli-bundle.mjs): runs the CLI's bundle,
 * dist/bundle/cli.cjs, compiled with the V8 code cache the build wrote beside it (cli.v8-cache). Vega is a
 * script of its own there (vega.cjs, with vega.v8-cache), required only by the report: inside cli.cjs its
 * code, and V8's eager compilation of it, made every run read and load twice as much.
 *
 * Node 20 compiles every script from source on every start, and compiles each function again the first time it
 * runs; `module.enableCompileCache` arrived only in Node 22. A cache holds the bytecode of every function the
 * build's training run compiled, so a command starts with its code compiled. V8 checks a cache against its
 * version, its flags and the source's length (not its text: every build writes a script and its cache
 * together), and on a mismatch (another Node, say) compiles from source as it would have without one. The
 * bundle is CommonJS because V8 caches scripts, not ES modules.
 *
 * `STRATA_WRITE_CODE_CACHE=<dir>`: when this process exits, write the cache of each script it compiled into
 * `dir` (the build's training run).
 * @module
 */
import fs = require("node:fs");
import Module = require("node:module");
import path = require("node:path");
import vm = require("node:vm");

/** The scripts of dist/bundle, by name: `<name>.cjs`, cached in `<name>.v8-cache`. */
const SCRIPTS = ["cli", "vega"] as const;
type ScriptName = (typeof SCRIPTS)[number];

/** How the bundle requires each of them: `./<name>.cjs`. */
const REQUIRED_AS = new Map<string, ScriptName>(SCRIPTS.map((name) => [`./${name}.cjs`, name]));

const compiled = new Map<ScriptName, { readonly script: vm.Script; readonly exports: unknown }>();

function cachedCode(name: ScriptName): Buffer | undefined {
  try {
    return fs.readFileSync(path.join(__dirname, `${name}.v8-cache`));
  } catch {
    return undefined; // no cache built: compile from source
  }
}

/** Script `name`'s exports, compiled and run as a CommonJS module the first time. */
function load(name: ScriptName): unknown {
  const done = compiled.get(name);
  if (done !== undefined) return done.exports;
  const file = path.join(__dirname, `${name}.cjs`);
  const script = new vm.Script(Module.wrap(fs.readFileSync(file, "utf8")), {
    filename: file,
    cachedData: cachedCode(name),
    // import() of the packages that stay outside the bundle goes to Node's own loader.
    importModuleDynamically: vm.constants.USE_MAIN_CONTEXT_DEFAULT_LOADER,
  });
  const module = { exports: {} };
  const run = script.runInThisContext() as (
    exports: unknown,
    require: NodeJS.Require,
    module: unknown,
    filename: string,
    dirname: string,
  ) => void;
  run(module.exports, requireFrom(file), module, file, __dirname);
  compiled.set(name, { script, exports: module.exports });
  return module.exports;
}

/** Node's require from `file`, except that the bundle's own scripts (`./vega.cjs`) load through {@link load}. */
function requireFrom(file: string): NodeJS.Require {
  const plain = Module.createRequire(file);
  const require = (id: string) => {
    const name = REQUIRED_AS.get(id);
    return name === undefined ? plain(id) : load(name);
  };
  return Object.assign(require, {
    resolve: plain.resolve,
    cache: plain.cache,
    main: plain.main,
    extensions: plain.extensions,
  });
}

const writeTo = process.env["STRATA_WRITE_CODE_CACHE"];
if (writeTo !== undefined && writeTo !== "") {
  process.once("exit", () => {
    for (const [name, { script }] of compiled) {
      const target = path.join(writeTo, `${name}.v8-cache`);
      const partial = `${target}.${process.pid}.tmp`;
      fs.writeFileSync(partial, script.createCachedData());
      fs.renameSync(partial, target);
    }
  });
}

// With nothing left on the event loop the command is done: exit now, with its code. Left to itself, Node then
// frees the V8 heap object by object, about 9 ms of a census run (the OS frees a process's memory whole).
process.once("beforeExit", (code) => process.exit(process.exitCode ?? code));

load("cli");
