/**
 * The end of an exhaustive `switch` (STYLE.md): TypeScript proves the case unreachable, and if a value the
 * types did not foresee arrives anyway (an unchecked cast, a stale file) the error names it.
 * @module
 */
import { StrataError } from "../errors.js";

/**
 * @throws StrataError INTERNAL naming the unexpected value and what it was
 * @example default: return assertNever(mode, "training mode");
 */
export function assertNever(value: never, what: string): never {
  throw new StrataError("INTERNAL", `Unexpected ${what} ${JSON.stringify(value)}.`, {
    details: { value: String(value) },
  });
}
