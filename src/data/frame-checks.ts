/**
 * The checks behind Frame's errors, kept apart so frame.ts stays about the data: a missing column (naming
 * the ones that exist) and a non-unique row index (naming each repeated label and the rows that share it).
 * @module
 */
import { quote, StrataError } from "../errors.js";

/** MISSING_COLUMN for `name`, listing the available columns. */
export function missingColumn(name: string, available: readonly string[]): StrataError {
  return new StrataError(
    "MISSING_COLUMN",
    `Column ${quote(name)} is not in the data; the columns are ${available.map(quote).join(", ")}.`,
    { details: { column: name, available: [...available] } },
  );
}

/**
 * Throws DUPLICATE_INDEX when `labels` repeat. Rows are named by `rowNames` (the frame's current labels:
 * for a frame fresh from loadTable, the 0-based data row).
 */
export function assertUniqueIndex(
  labels: readonly string[],
  rowNames: readonly string[],
  columns: readonly string[],
  separator: string,
): void {
  const firstRow = new Map<string, number>();
  const dupes = new Map<string, string[]>();
  labels.forEach((label, i) => {
    const first = firstRow.get(label);
    if (first === undefined) firstRow.set(label, i);
    else dupes.set(label, [...(dupes.get(label) ?? [rowNames[first]!]), rowNames[i]!]);
  });
  if (dupes.size === 0) return;
  const listed = [...dupes].slice(0, 5).map(([label, rows]) => `${quote(label)} (rows ${rows.join(", ")})`);
  const more = dupes.size > 5 ? ` and ${dupes.size - 5} more` : "";
  throw new StrataError(
    "DUPLICATE_INDEX",
    `Index ${columns.map(quote).join(` + ${quote(separator)} + `)} is not unique: ${listed.join("; ")}${more}. ` +
      "Choose index columns that identify each row.",
    { details: { columns: [...columns], duplicates: Object.fromEntries(dupes) } },
  );
}
