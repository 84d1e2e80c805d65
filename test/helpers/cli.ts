/**
 * Runs the real `strata` CLI in a child process (from the TypeScript sources through tsx, so tests need no
 * build), with a private STRATA_HOME, and returns exit code, stdout and stderr.
 * @module
 */
import { spawn } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { PROJECT_ROOT } from "./census.js";

export interface CliResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly elapsedMs: number;
}

export interface CliOptions {
  /** Variables added to (or, with undefined, removed from) the inherited environment. */
  readonly env?: Record<string, string | undefined>;
  readonly cwd?: string;
  readonly input?: string;
}

export const CLI_ENTRY = resolve(PROJECT_ROOT, "src/cli/main.ts");

export function tempDir(prefix = "strata-test-"): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export function runCli(args: readonly string[], options: CliOptions = {}): Promise<CliResult> {
  const env: NodeJS.ProcessEnv = { ...process.env, STRATA_HOME: tempDir("strata-home-"), NO_COLOR: "1" };
  for (const [k, v] of Object.entries(options.env ?? {})) {
    if (v === undefined) delete env[k];
    else env[k] = v;
  }
  const started = performance.now();
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", CLI_ENTRY, ...args], {
      cwd: options.cwd ?? PROJECT_ROOT,
      env,
      stdio: ["pipe", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (d: string) => {
      stdout += d;
    });
    child.stderr.setEncoding("utf8").on("data", (d: string) => {
      stderr += d;
    });
    child.on("error", reject);
    child.on("close", (code) =>
      resolvePromise({ code, stdout, stderr, elapsedMs: performance.now() - started }),
    );
    child.stdin.end(options.input ?? "");
  });
}

/**
 * A runner of the CLI with one environment (e.g. one STRATA_HOME) that fails the test, naming the command and
 * its stderr, when the command does not exit 0; it returns stdout.
 * @example const cli = cliThatSucceeds({ STRATA_HOME: home }); await cli("models", "list");
 */
export function cliThatSucceeds(env: CliOptions["env"]): (...args: string[]) => Promise<string> {
  return async (...args) => {
    const r = await runCli(args, { env: env ?? {} });
    if (r.code !== 0) throw new Error(`strata ${args.join(" ")} exited ${r.code}: ${r.stderr}`);
    return r.stdout;
  };
}
