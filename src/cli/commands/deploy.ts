/**
 * `strata deploy <model> --name <endpoint>`: an endpoint config (one variant `AllTraffic`) and the endpoint in
 * one step, repeatable (serving/deploy-model.ts: a deleted or failed name is deployed afresh, a live one moves
 * to the model), waiting until the endpoint is InService (exit 1 when it ends Failed, printing the
 * FailureReason). A running `strata serve` on the same home serves it within a second.
 * @module
 */
import type { Command } from "commander";
import { StrataError } from "../../errors.js";
import { deployModel } from "../../serving/deploy-model.js";
import { printLines } from "../output.js";
import { printResponse, withHosting } from "./hosting-cli.js";

export function registerDeploy(program: Command): void {
  program
    .command("deploy")
    .description("Deploy a model as an endpoint (endpoint config + endpoint) and wait until InService.")
    .argument("<model>", "model name")
    .requiredOption("--name <endpoint>", "endpoint name")
    .option("--instance-type <type>", "recorded InstanceType", "ml.m5.large")
    .option("--json", "print DescribeEndpoint as JSON")
    .action(async (model: string, flags: { name: string; instanceType: string; json?: boolean }) => {
      const { action, endpointConfigName, description } = await withHosting((h) =>
        deployModel(h, { model, endpoint: flags.name, instanceType: flags.instanceType }),
      );
      if (description["EndpointStatus"] === "Failed")
        throw new StrataError(
          "ENDPOINT_NOT_IN_SERVICE",
          `Endpoint "${flags.name}" Failed: ${String(description["FailureReason"])}`,
        );
      if (flags.json) printResponse(description);
      else
        printLines(
          `${String(description["EndpointArn"])} ${String(description["EndpointStatus"])} (${action}, endpoint config ${endpointConfigName})`,
        );
    });
}
