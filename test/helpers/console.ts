/**
 * The web console for tests: built once per test process from web/console into a temp directory (so a test
 * never serves a stale dist/), and a `strata serve` with it whose printed lines are kept, so a test signs in
 * with the URL the server printed, as a user would.
 * @module
 */
import { tmpdir } from "node:os";
import { buildConsole } from "../../scripts/build-console.mjs";
import { type RunningServer, type ServeOptions, startServer } from "../../src/api/server.js";
import { tempDir } from "./cli.js";

let built: Promise<string> | undefined;

/** The console built from the sources, once per process. */
export function consoleAssets(): Promise<string> {
  built ??= (async () => {
    const dir = tempDir("strata-console-");
    await buildConsole(dir);
    return dir;
  })();
  return built;
}

export interface ConsoleServer {
  readonly server: RunningServer;
  readonly home: string;
  /** Every line the server printed. */
  readonly printed: readonly string[];
  /** The sign-in URL from the server's start-up lines. */
  readonly printedUrl: string;
  close(): Promise<void>;
}

/** A server on 127.0.0.1:0 with the console, in a temp home that may read and write temp directories. */
export async function startConsoleServer(options: ServeOptions = {}): Promise<ConsoleServer> {
  const home = options.home ?? tempDir("strata-console-home-");
  const printed: string[] = [];
  const server = await startServer({
    port: 0,
    home,
    syncIntervalMs: 200,
    access: { dataRoots: [tmpdir()], outputRoots: [tmpdir()] },
    consoleAssets: await consoleAssets(),
    log: (line) => printed.push(line),
    ...options,
  });
  const line = printed.find((l) => l.includes("web console on "));
  const printedUrl = line?.split("web console on ")[1]?.trim() ?? "";
  return { server, home, printed, printedUrl, close: () => server.close() };
}
