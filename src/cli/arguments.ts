/**
 * Parsers for command-line option values. They throw StrataError INVALID_ARGUMENT naming the option and the
 * value, so every command reports bad flags the same way (stderr, exit code 2).
 * @module
 */
import { StrataError } from "../errors.js";

/**
 * A bad flag, in the words every flag's error uses (the hyperparameter engine's template, util/
 * hyperparameter-engine.ts): `--scale="robust" is invalid: expected minmax or standard.`
 */
export function flagError(option: string, value: string, expected: string): StrataError {
  return new StrataError(
    "INVALID_ARGUMENT",
    `${option}=${JSON.stringify(value)} is invalid: expected ${expected}.`,
    {
      details: { option, value, expected },
    },
  );
}

/** An integer option parser for commander. */
export function parseInteger(option: string): (value: string) => number {
  return (value: string) => {
    if (!/^-?\d+$/.test(value.trim())) throw flagError(option, value, "an integer");
    return Number(value);
  };
}

/** An integer option from `min` to `max`. */
export function parseIntegerIn(option: string, min: number, max: number): (value: string) => number {
  return (value: string) => {
    const n = Number(value);
    if (!/^-?\d+$/.test(value.trim()) || n < min || n > max)
      throw flagError(option, value, `an integer from ${min} to ${max}`);
    return n;
  };
}

/** An option that takes one of a few words. */
export function parseChoice<T extends string>(option: string, choices: readonly T[]): (value: string) => T {
  return (value: string) => {
    if ((choices as readonly string[]).includes(value)) return value as T;
    throw flagError(option, value, choices.join(" or "));
  };
}

/** A comma-separated list ("State,County"); empty items are dropped. */
export function parseList(value: string): string[] {
  return value
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}
