/**
 * `npm start --data x` (without `--`) hands `--data x` to npm, which keeps it as its own setting
 * (`npm_config_data`) and starts `strata run` without it: the run then reaches for the default source and
 * fails far from the cause. Under `npm start`, a failed run says where its options went.
 * @module
 */
import type { Command } from "commander";
import { isStrataError } from "../errors.js";

/**
 * The hint for a failure under `npm start`, or undefined: which of the command's options npm took for itself,
 * and how to pass them; with none taken, how to pass a local file when the default source was unreachable.
 * @example npmStartHint(runCommand, process.env, error)
 */
export function npmStartHint(
  command: Command | undefined,
  env: NodeJS.ProcessEnv,
  error: unknown,
): string | undefined {
  if (env["npm_lifecycle_event"] !== "start") return undefined;
  const taken = (command?.options ?? [])
    .map((o) => o.long?.replace(/^--/, ""))
    .filter(
      (name): name is string =>
        name !== undefined && env[`npm_config_${name.replace(/-/g, "_")}`] !== undefined,
    );
  if (taken.length === 0)
    return isStrataError(error, "SOURCE_UNREACHABLE")
      ? "Under npm, strata's options go after --: npm start -- --data <path>."
      : undefined;
  const flags = taken.map((t) => `--${t}`).join(", ");
  return `npm took ${flags} as its own setting${taken.length === 1 ? "" : "s"}: pass strata's options after --, as in npm start -- --${taken[0]} <value>.`;
}
