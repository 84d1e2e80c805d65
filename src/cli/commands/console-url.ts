/**
 * `strata console-url [--host 127.0.0.1] [--port 8080]`: prints a new one-time sign-in URL for the web
 * console of the `strata serve` on this `$STRATA_HOME` (the tokens live in its registry). The host and port
 * are the ones the server was started with.
 * @module
 */
import type { Command } from "commander";
import { ConsoleTokenStore, consoleUrl } from "../../registry/console-token-store.js";
import { openRegistryDb } from "../../registry/db.js";
import { parseInteger } from "../arguments.js";

interface ConsoleUrlFlags {
  readonly host: string;
  readonly port: number;
}

export function registerConsoleUrl(program: Command): void {
  program
    .command("console-url")
    .description(
      "Print a new one-time URL that signs a browser in to the web console of `strata serve` (valid 24 hours).",
    )
    .option("--host <host>", "the host `strata serve` listens on", "127.0.0.1")
    .option("--port <port>", "the port `strata serve` listens on", parseInteger("--port"), 8080)
    .action((flags: ConsoleUrlFlags) => {
      const db = openRegistryDb();
      try {
        const server = `http://${flags.host.includes(":") ? `[${flags.host}]` : flags.host}:${flags.port}`;
        process.stdout.write(`${consoleUrl(server, new ConsoleTokenStore(db))}\n`);
      } finally {
        db.close();
      }
    });
}
