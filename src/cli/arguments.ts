/**
 * Parsers for command-line option values. They throw StrataError INVALID_ARGUMENT naming the option and the
 * value, so every command reports bad flags the same way (stderr, exit code 2).
 * @module
 */
import { StrataError } from "../errors.js";

/** An integer option parser for commander. */
export function parseInteger(option: string): (value: string) => number {
  return (value: string) => {
    if (!/^-?\d+$/.test(value.trim())) {
      throw new StrataError(
        "INVALID_ARGUMENT",
        `${option} ${JSON.stringify(value)} is invalid: expected an integer.`,
        {
          details: { option, value },
        },
      );
    }
    return Number(value);
  };
}

/** A comma-separated list ("State,County"); empty items are dropped. */
export function parseList(value: string): string[] {
  return value
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}
