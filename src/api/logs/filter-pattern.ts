/**
 * CloudWatch Logs filter patterns for FilterLogEvents, the term form (the one used on unstructured lines,
 * which is what Strata's log lines are): terms are case-sensitive substrings; plain terms must all occur,
 * `-term` must not occur, and when `?term`s are given at least one of them must occur; `"a quoted phrase"`
 * is one term. JSON (`{ $.x = … }`), space-delimited (`[a, b]`) and regex (`%…%`) patterns are refused with
 * a message saying so, rather than matched wrongly.
 * @module
 */
import { StrataError } from "../../errors.js";

/** A compiled pattern: true when a message matches. */
export type LogFilter = (message: string) => boolean;

const TERM = /\s*([?-]?)(?:"((?:[^"\\]|\\.)*)"|(\S+))/y;

/**
 * Compiles a filter pattern (empty or absent: every event).
 * @throws StrataError INVALID_LOGS_PARAMETER for a pattern form Strata does not match
 * @example
 * compileFilterPattern('?ERROR ?"Training job Failed"')("Training job Failed: ClientError"); // true
 */
export function compileFilterPattern(pattern: string | undefined): LogFilter {
  const text = (pattern ?? "").trim();
  if (text === "") return () => true;
  if (/^[{[%]/.test(text))
    throw new StrataError(
      "INVALID_LOGS_PARAMETER",
      'filterPattern: Strata matches term patterns (words, "quoted phrases", ?optional and -excluded terms); JSON, space-delimited and regex patterns are not supported.',
      { details: { field: "filterPattern" } },
    );
  const required: string[] = [];
  const optional: string[] = [];
  const excluded: string[] = [];
  TERM.lastIndex = 0;
  while (TERM.lastIndex < text.length) {
    const m = TERM.exec(text);
    if (m === null || m[3]?.startsWith('"'))
      throw new StrataError("INVALID_LOGS_PARAMETER", "filterPattern has an unterminated quoted phrase.", {
        details: { field: "filterPattern" },
      });
    const term = m[2] === undefined ? m[3]! : m[2].replace(/\\(.)/g, "$1");
    (m[1] === "?" ? optional : m[1] === "-" ? excluded : required).push(term);
  }
  return (message) =>
    required.every((t) => message.includes(t)) &&
    !excluded.some((t) => message.includes(t)) &&
    (optional.length === 0 || optional.some((t) => message.includes(t)));
}
