#!/usr/bin/env node
/**
 * The `strata` command: one commander program, one file per command group under commands/. Entry points only:
 * the work lives in the library modules, so the HTTP API and the CLI share it.
 * @module
 */
import { Command, CommanderError } from "commander";
import { STRATA_VERSION } from "../version.js";
import { registerDeploy } from "./commands/deploy.js";
import { registerEndpoints } from "./commands/endpoints.js";
import { registerInvoke } from "./commands/invoke.js";
import { registerJobs } from "./commands/jobs.js";
import { registerModel } from "./commands/model.js";
import { registerModels } from "./commands/models.js";
import { registerReport } from "./commands/report.js";
import { registerRun } from "./commands/run.js";
import { registerServe } from "./commands/serve.js";
import { registerTrain } from "./commands/train.js";
import { registerTransform } from "./commands/transform.js";
import { reportError } from "./output.js";

export function buildProgram(): Command {
  const program = new Command("strata")
    .description("Population segmentation: the SageMaker census PCA + K-Means workflow, locally, in seconds.")
    .version(STRATA_VERSION)
    .showHelpAfterError()
    .exitOverride();
  registerRun(program);
  registerReport(program);
  registerTrain(program);
  registerJobs(program);
  registerModel(program);
  registerServe(program);
  registerModels(program);
  registerDeploy(program);
  registerEndpoints(program);
  registerInvoke(program);
  registerTransform(program);
  return program;
}

async function main(argv: string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode;
    const json = argv.includes("--json");
    return reportError(error, { json });
  }
}

process.exitCode = await main(process.argv);
