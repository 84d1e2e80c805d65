/**
 * `strata endpoints list|describe|delete`: endpoints in the registry, as DescribeEndpoint / ListEndpoints
 * show them.
 * @module
 */
import type { Command } from "commander";
import { formatTable, printLines } from "../output.js";
import { printResponse, withHosting } from "./hosting-cli.js";

export function registerEndpoints(program: Command): void {
  const endpoints = program.command("endpoints").description("Endpoints: list, describe, delete.");
  endpoints
    .command("list")
    .option("--json", "print the response as JSON")
    .action(async (flags: { json?: boolean }) => {
      const result = await withHosting((h) => h.endpoints.listEndpoints());
      if (flags.json) return printResponse(result);
      printLines(
        formatTable(result.Endpoints, [
          { header: "NAME", value: (e) => String(e["EndpointName"]) },
          { header: "STATUS", value: (e) => String(e["EndpointStatus"]) },
          { header: "CREATED", value: (e) => (e["CreationTime"] as Date).toISOString() },
        ]),
      );
    });
  endpoints
    .command("describe")
    .argument("<name>")
    .action(async (name: string) =>
      printResponse(await withHosting((h) => h.endpoints.describeEndpoint(name))),
    );
  endpoints
    .command("delete")
    .argument("<name>")
    .action(async (name: string) => {
      await withHosting((h) => h.endpoints.deleteEndpoint(name));
      printLines(`Deleted endpoint ${name}.`);
    });
}
