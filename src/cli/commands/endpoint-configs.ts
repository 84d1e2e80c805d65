/**
 * `strata endpoint-configs list|describe|delete`: endpoint configs in the registry, as ListEndpointConfigs /
 * DescribeEndpointConfig show them (`strata deploy` makes them; delete the ones no endpoint needs).
 * @module
 */
import type { Command } from "commander";
import { formatTable, printLines } from "../output.js";
import { printResponse, withHosting } from "./hosting-cli.js";

export function registerEndpointConfigs(program: Command): void {
  const configs = program
    .command("endpoint-configs")
    .description("Endpoint configs: list, describe, delete.");
  configs
    .command("list")
    .option("--json", "print the response as JSON")
    .action(async (flags: { json?: boolean }) => {
      const all = await withHosting((h) => {
        const configs: Record<string, unknown>[] = [];
        let token: string | undefined;
        do {
          const page = h.models.listEndpointConfigs({
            MaxResults: 100,
            ...(token === undefined ? {} : { NextToken: token }),
          });
          configs.push(...page.EndpointConfigs);
          token = page.NextToken;
        } while (token !== undefined);
        return configs;
      });
      if (flags.json) return printResponse({ EndpointConfigs: all });
      printLines(
        formatTable(all, [
          { header: "NAME", value: (c) => String(c["EndpointConfigName"]) },
          { header: "CREATED", value: (c) => (c["CreationTime"] as Date).toISOString() },
        ]),
      );
    });
  configs
    .command("describe")
    .argument("<name>")
    .action(async (name: string) =>
      printResponse(await withHosting((h) => h.models.describeEndpointConfig(name))),
    );
  configs
    .command("delete")
    .argument("<name>")
    .action(async (name: string) => {
      await withHosting((h) => h.models.deleteEndpointConfig(name));
      printLines(`Deleted endpoint config ${name}.`);
    });
}
