/**
 * How commands talk to people and to scripts: results on stdout (a table or text on a terminal, JSON with
 * `--json`), progress and errors on stderr. Progress is a bar on a terminal and plain lines elsewhere (CI,
 * pipes), so logs stay readable; `--quiet` silences it.
 * @module
 */
import { isStrataError } from "../errors.js";

export interface OutputOptions {
  readonly json?: boolean;
  readonly quiet?: boolean;
}

/** Writes a value as pretty JSON on stdout (the `--json` contract: one document per command). */
export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

/** Writes text lines on stdout. */
export function printLines(...lines: string[]): void {
  process.stdout.write(`${lines.join("\n")}\n`);
}

export interface TableColumn<T> {
  readonly header: string;
  readonly value: (row: T) => string | number;
  readonly align?: "left" | "right";
}

/** Formats rows as an aligned plain-text table (numbers right-aligned by default). */
export function formatTable<T>(rows: readonly T[], columns: readonly TableColumn<T>[]): string {
  const cells = rows.map((r) => columns.map((c) => String(c.value(r))));
  const widths = columns.map((c, j) => Math.max(c.header.length, ...cells.map((row) => row[j]!.length)));
  const aligns = columns.map(
    (c) => c.align ?? (rows.length > 0 && typeof c.value(rows[0]!) === "number" ? "right" : "left"),
  );
  const fmt = (values: string[]) =>
    values
      .map((v, j) => (aligns[j] === "right" ? v.padStart(widths[j]!) : v.padEnd(widths[j]!)))
      .join("  ")
      .trimEnd();
  return [fmt(columns.map((c) => c.header)), fmt(widths.map((w) => "-".repeat(w))), ...cells.map(fmt)].join(
    "\n",
  );
}

/** Prints an error on stderr (JSON with `--json`) and returns the exit code to use. */
export function reportError(error: unknown, options: OutputOptions = {}): number {
  if (isStrataError(error)) {
    if (options.json) {
      process.stderr.write(
        `${JSON.stringify({ error: { code: error.code, message: error.message, details: error.details } })}\n`,
      );
    } else {
      process.stderr.write(`strata: ${error.message}\n`);
      if (process.env["STRATA_DEBUG"] && error.cause) process.stderr.write(`cause: ${String(error.cause)}\n`);
    }
    return error.code === "INVALID_ARGUMENT" ? 2 : 1;
  }
  const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
  process.stderr.write(`strata: internal error (please report it): ${message}\n`);
  return 70;
}
