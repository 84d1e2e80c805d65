/**
 * `strata invoke <endpoint> --content-type text/csv --body <file|-> [--accept …]`: one invocation through
 * the same loaded-endpoint code as InvokeEndpoint, in this process (no server needed); the response body
 * goes to stdout as is.
 * @module
 */
import type { Command } from "commander";
import { FileStore } from "../../data/sources/file.js";
import { withHosting } from "./hosting-cli.js";

async function readBody(source: string): Promise<Uint8Array> {
  // The file store names a missing file (SOURCE_NOT_FOUND, exit 1) instead of a raw ENOENT.
  if (source !== "-") return new FileStore().getBytes(source);
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

export function registerInvoke(program: Command): void {
  program
    .command("invoke")
    .description("Invoke an endpoint with a request body (file or - for stdin); prints the response body.")
    .argument("<endpoint>", "endpoint name")
    .option("--content-type <type>", "request Content-Type", "text/csv")
    .option("--accept <type>", "response type", "application/json")
    .requiredOption("--body <file>", "request body file, or - for stdin")
    .action(async (name: string, flags: { contentType: string; accept: string; body: string }) => {
      const body = await readBody(flags.body);
      const result = await withHosting(async (h) =>
        h.endpoints.invokeLoaded(await h.endpoints.resolve(name), flags.contentType, flags.accept, body),
      );
      process.stdout.write(typeof result.body === "string" ? `${result.body}\n` : result.body);
    });
}
