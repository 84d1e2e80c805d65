/**
 * Byte helpers for the codec tests: hex literals as the spec prints them, ASCII runs, and an assertion that a
 * call fails only with the StrataError codes a decoder is allowed to raise.
 * @module
 */
import assert from "node:assert/strict";
import { type ErrorCode, isStrataError } from "../../src/errors.js";

/** Parses hex written with any whitespace, e.g. "0a 23 d7 ce"; `"text"` runs are taken as ASCII. */
export function hexBytes(text: string): Uint8Array {
  const out: number[] = [];
  for (const part of text.split(/("[^"]*")/)) {
    if (part.startsWith('"')) out.push(...Buffer.from(part.slice(1, -1), "ascii"));
    else {
      const digits = part.replace(/\s+/g, "");
      assert.equal(digits.length % 2, 0, `odd hex length in ${JSON.stringify(part)}`);
      for (let i = 0; i < digits.length; i += 2) out.push(Number.parseInt(digits.slice(i, i + 2), 16));
    }
  }
  return Uint8Array.from(out);
}

/** Hex of bytes, space-separated (readable assertion diffs). */
export function toHex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join(" ");
}

/** Concatenates byte arrays. */
export function concatBytes(...parts: Uint8Array[]): Uint8Array {
  return new Uint8Array(Buffer.concat(parts));
}

/** Runs `fn`; any exception other than a StrataError with one of `codes` fails the test. */
export function expectOnlyCodes<T>(fn: () => T, codes: readonly ErrorCode[]): T | undefined {
  try {
    return fn();
  } catch (e) {
    if (isStrataError(e) && codes.includes(e.code)) return undefined;
    throw e;
  }
}

/** Asserts that `fn` throws a StrataError of `code` whose message matches `message`. */
export function assertStrataError(fn: () => unknown, code: ErrorCode, message?: RegExp | string): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(isStrataError(e), `expected a StrataError, got ${String(e)}`);
    assert.equal(e.code, code, e.message);
    if (typeof message === "string") assert.equal(e.message, message);
    else if (message) assert.match(e.message, message);
    return true;
  });
}

/** Async variant of `assertStrataError`. */
export async function rejectsStrataError(
  p: Promise<unknown>,
  code: ErrorCode,
  message?: RegExp,
): Promise<void> {
  await assert.rejects(p, (e: unknown) => {
    assert.ok(isStrataError(e), `expected a StrataError, got ${String(e)}`);
    assert.equal(e.code, code, e.message);
    if (message) assert.match(e.message, message);
    return true;
  });
}
