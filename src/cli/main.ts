#!/usr/bin/env node
/**
 * The `strata` command: one commander program, one file per command group under commands/. Entry points only:
 * the work lives in the library modules, so the HTTP API and the CLI share it.
 *
 * Command modules are imported on demand: `strata run` loads the workflow, not the HTTP server, the report
 * renderer or the AWS clients of the other commands. Importing every command up front cost about half a
 * second of start-up, more than the whole census PCA and K-Means take. Help without a command loads them all.
 * @module
 */
import { Command, CommanderError } from "commander";
import { STRATA_VERSION } from "../version.js";
import { npmStartHint } from "./npm-hint.js";
import { reportError } from "./output.js";

type Register = (program: Command) => void;

/** Every top-level command, by name, with the loader of the module that registers it. */
const COMMANDS: Readonly<Record<string, () => Promise<Register>>> = {
  run: async () => (await import("./commands/run.js")).registerRun,
  report: async () => (await import("./commands/report.js")).registerReport,
  train: async () => (await import("./commands/train.js")).registerTrain,
  jobs: async () => (await import("./commands/jobs.js")).registerJobs,
  model: async () => (await import("./commands/model.js")).registerModel,
  serve: async () => (await import("./commands/serve.js")).registerServe,
  "console-url": async () => (await import("./commands/console-url.js")).registerConsoleUrl,
  runs: async () => (await import("./commands/runs.js")).registerRuns,
  models: async () => (await import("./commands/models.js")).registerModels,
  deploy: async () => (await import("./commands/deploy.js")).registerDeploy,
  endpoints: async () => (await import("./commands/endpoints.js")).registerEndpoints,
  "endpoint-configs": async () => (await import("./commands/endpoint-configs.js")).registerEndpointConfigs,
  invoke: async () => (await import("./commands/invoke.js")).registerInvoke,
  transform: async () => (await import("./commands/transform.js")).registerTransform,
  worker: async () => (await import("./commands/worker.js")).registerWorker,
  workers: async () => (await import("./commands/workers.js")).registerWorkers,
};

/**
 * The program with the commands `argv` needs: the named one, none for `--version` alone (loading every command
 * made it take 0.4 s), or all of them for help or an unknown name (so commander can list them).
 */
export async function buildProgram(argv: readonly string[] = []): Promise<Command> {
  const program = new Command("strata")
    .description("Population segmentation: the SageMaker census PCA + K-Means workflow, locally, in seconds.")
    .version(STRATA_VERSION)
    .showHelpAfterError("(strata --help lists the commands; strata <command> --help their options)")
    .exitOverride();
  const name = argv[2];
  const versionOnly = argv.length === 3 && (name === "--version" || name === "-V");
  const wanted = versionOnly
    ? []
    : name !== undefined && Object.hasOwn(COMMANDS, name)
      ? [name]
      : Object.keys(COMMANDS);
  for (const register of await Promise.all(wanted.map((n) => COMMANDS[n]!()))) register(program);
  return program;
}

async function main(argv: string[]): Promise<number> {
  let program: Command | undefined;
  try {
    program = await buildProgram(argv);
    await program.parseAsync(argv);
    return 0;
  } catch (error) {
    const hint = npmStartHint(
      program?.commands.find((c) => c.name() === argv[2]),
      process.env,
      error,
    );
    // Help and --version end with 0; a usage error (unknown command or option, a missing argument) with 2,
    // as docs/errors.md promises, after commander's one-line message and a hint, not the whole help.
    if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : 2;
    const json = argv.includes("--json");
    const code = reportError(error, { json });
    if (hint !== undefined && !json) process.stderr.write(`strata: ${hint}\n`);
    return code;
  }
}

// No top-level await: the bin's bundle is CommonJS, for V8's code cache (scripts/build-cli-bundle.mjs).
void main(process.argv).then((code) => {
  process.exitCode = code;
});
