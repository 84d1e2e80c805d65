/**
 * A command run once as a fresh process under GNU time: its wall time spawn to exit and its peak RSS (`%M`),
 * the one way the bench measures a process's memory.
 * @module
 */
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";

export const GNU_TIME = "/usr/bin/time";

/** Why memory cannot be measured here, or false. */
export const gnuTimeMissing: string | false = existsSync(GNU_TIME)
  ? false
  : `${GNU_TIME} (GNU time) is missing`;

export interface TimedProcess {
  readonly ms: number;
  readonly peakMb: number;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs `command args` under GNU time with `env` added to this process's environment.
 * @throws Error naming `what` and the end of its stderr when it exits non-zero
 */
export function underGnuTime(
  what: string,
  command: string,
  args: readonly string[],
  env: Record<string, string> = {},
): TimedProcess {
  const t0 = performance.now();
  const r = spawnSync(GNU_TIME, ["-f", "%M", command, ...args], {
    encoding: "utf8",
    env: { ...process.env, ...env },
    maxBuffer: 64 * 1024 * 1024,
  });
  const ms = performance.now() - t0;
  if (r.status !== 0) throw new Error(`${what} failed: ${r.stderr.slice(-1500)}`);
  // GNU time's line is the last on stderr.
  const peakMb = Number(r.stderr.trim().split("\n").at(-1)) / 1024;
  return { ms, peakMb, stdout: r.stdout, stderr: r.stderr };
}
