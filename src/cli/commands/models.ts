/**
 * `strata models create|list|describe|delete`: SageMaker models in the registry. `create` takes the image
 * and artifact of one container, or `--pipeline` JSON of several (`[{"Image": …, "ModelDataUrl": …,
 * "Environment": {…}}, …]`), e.g. scaler → PCA with STRATA_PCA_KEEP_TOP → K-Means.
 * @module
 */
import type { Command } from "commander";
import { formatTable, printLines } from "../output.js";
import { printResponse, withHosting } from "./hosting-cli.js";

interface CreateFlags {
  image?: string;
  modelData?: string;
  env: string[];
  pipeline?: string;
  json?: boolean;
}

const collect = (value: string, previous: string[]) => [...previous, value];

export function registerModels(program: Command): void {
  const models = program
    .command("models")
    .description("SageMaker models: an artifact and its algorithm, or a pipeline.");
  models
    .command("create")
    .argument("<name>", "model name")
    .option("--image <image>", "container image, e.g. 382416733822.dkr.ecr.us-east-1.amazonaws.com/pca:1")
    .option("--model-data <uri>", "the container's model.tar.gz")
    .option(
      "--env <NAME=value>",
      "container environment (repeatable), e.g. STRATA_PCA_KEEP_TOP=5",
      collect,
      [],
    )
    .option("--pipeline <json>", "containers of an inference pipeline as a JSON array")
    .option("--json", "print the response as JSON")
    .action(async (name: string, flags: CreateFlags) => {
      const environment = Object.fromEntries(
        flags.env.map((e) => [e.slice(0, e.indexOf("=")), e.slice(e.indexOf("=") + 1)]),
      );
      const request =
        flags.pipeline === undefined
          ? {
              ModelName: name,
              PrimaryContainer: {
                Image: flags.image,
                ModelDataUrl: flags.modelData,
                ...(flags.env.length > 0 ? { Environment: environment } : {}),
              },
            }
          : { ModelName: name, Containers: JSON.parse(flags.pipeline) as unknown };
      const result = await withHosting((h) => h.models.createModel(request));
      if (flags.json) printResponse(result);
      else printLines(result.ModelArn);
    });
  models
    .command("list")
    .option("--json", "print the response as JSON")
    .action(async (flags: { json?: boolean }) => {
      const result = await withHosting((h) => h.models.listModels());
      if (flags.json) return printResponse(result);
      printLines(
        formatTable(result.Models, [
          { header: "NAME", value: (m) => String(m["ModelName"]) },
          { header: "CREATED", value: (m) => (m["CreationTime"] as Date).toISOString() },
        ]),
      );
    });
  models
    .command("describe")
    .argument("<name>")
    .action(async (name: string) => printResponse(await withHosting((h) => h.models.describeModel(name))));
  models
    .command("delete")
    .argument("<name>")
    .action(async (name: string) => {
      await withHosting((h) => h.models.deleteModel(name));
      printLines(`Deleted model ${name}.`);
    });
}
