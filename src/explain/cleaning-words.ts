/**
 * The words the terminal and the report share for what cleaning did with a table's rows and columns: which
 * rows were dropped (or values filled) and for which feature's missing values, and why each column the run
 * does not use is left out. Long lists are capped.
 * @module
 */
import { cappedList } from "../util/capped-list.js";
import { groupDigits } from "../util/group-digits.js";

/** What summary.json says about the columns and the rows (the parts these sentences read). */
export interface CleaningFacts {
  readonly rows: {
    readonly dropped: number;
    readonly missingByColumn: Readonly<Record<string, number>>;
    readonly impute: "median" | "mean" | null;
    readonly imputed: Readonly<Record<string, { readonly count: number; readonly value: number }>>;
  };
  readonly droppedRows: readonly string[];
  readonly columns: {
    readonly index: readonly string[];
    readonly unused: readonly { readonly column: string; readonly reason: string }[];
  };
}

const count = (n: number) => groupDigits(n);

/** "2 dropped for missing values (Horsepower 6, Miles_per_Gallon 8): data rows 33, 127, … and 12 more". */
export function droppedSentence(f: CleaningFacts): string {
  if (f.rows.impute !== null) {
    const filled = Object.entries(f.rows.imputed).map(([c, v]) => `${c} ${count(v.count)}`);
    return filled.length === 0
      ? "no missing values to fill"
      : `missing values filled with each column's ${f.rows.impute} (${cappedList(filled)})`;
  }
  if (f.rows.dropped === 0) return "0 dropped for missing values";
  const byColumn = Object.entries(f.rows.missingByColumn).map(([c, n]) => `${c} ${count(n)}`);
  const what = f.columns.index.length === 0 ? "data rows (1-based, after the header) " : "";
  return `${count(f.rows.dropped)} dropped for missing values (${cappedList(byColumn)}): ${what}${cappedList(f.droppedRows)}`;
}

/** "Species, Island, Sex (text); id (identifier: …)" — the unused columns grouped by reason, or "". */
export function unusedSentence(f: CleaningFacts): string {
  const byReason = new Map<string, string[]>();
  for (const u of f.columns.unused) byReason.set(u.reason, [...(byReason.get(u.reason) ?? []), u.column]);
  return [...byReason].map(([reason, columns]) => `${cappedList(columns)} (${reason})`).join("; ");
}

/** How rows are named: `"State-County"` or "by their row number". */
export function indexPhrase(f: CleaningFacts): string {
  return f.columns.index.length === 0
    ? "named by their row number in the data"
    : `named "${f.columns.index.join("-")}"`;
}
