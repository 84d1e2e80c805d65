/**
 * Which columns of any table are features, which name the rows, and why every other column is left out —
 * detected from the data rather than assumed to be the census's State, County and CensusId:
 *
 * - text columns (and integer codes written with leading zeros, which the loader keeps as text) name rows;
 * - a numeric column is an identifier when its values are whole, distinct and present in every row and its
 *   name says so (`id`, `key`, `fips`, `code`, `zip`, `no`, `number`, as a word at its end: CensusId,
 *   customer_id, FIPS), or when it counts the rows (1..n or 0..n−1 in order);
 * - a numeric column with one value (or none) is left out as constant (or empty);
 * - every other numeric column is a feature, unless `--exclude` names it or `--features` does not, or it is
 *   the `--weight` column (a feature only when `--features` names it too).
 *
 * The row index is `--index` when given ([] for row numbers); else the first text column whose values are
 * all distinct, else the first distinct pair among the first 8 text columns (the census's State and County), else the
 * first identifier, else the row number. The census gets today's index and identifiers through these rules.
 * @module
 */
import { quote, StrataError } from "../../errors.js";
import type { Frame } from "../frame.js";

/** What the user chose (undefined: detect). */
export interface ColumnChoices {
  /** Columns joined into the row label; [] for 1-based row numbers. */
  readonly index?: readonly string[] | undefined;
  /** Columns kept beside the results in assignments.csv (never features). */
  readonly ids?: readonly string[] | undefined;
  /** Exactly these numeric columns are the features. */
  readonly features?: readonly string[] | undefined;
  /** Numeric columns that are not features. */
  readonly exclude?: readonly string[] | undefined;
  /** The numeric column that weights the rows. */
  readonly weight?: string | undefined;
}

/** A column the run does not use as a feature, and why. */
export interface UnusedColumn {
  readonly column: string;
  readonly reason: string;
}

/** The roles of a table's columns. */
export interface ColumnPlan {
  /** Joined with "-" into row labels; [] means 1-based row numbers. */
  readonly index: readonly string[];
  /** Kept beside the results (the index columns among them), table order. */
  readonly identifiers: readonly string[];
  readonly features: readonly string[];
  /** Every column that is not a feature, with the reason, table order. */
  readonly unused: readonly UnusedColumn[];
  /** The column that weights the rows, or null. */
  readonly weight: string | null;
}

/** A numeric column's name that says it identifies rows: the word at its end (customer_id, FIPS, CensusId). */
const ID_WORD = /(^|[^A-Za-z])(id|key|fips|code|zip|no|number)$/i;
const ID_CAMEL = /[a-z](Id|ID|Key|KEY|Fips|FIPS|Code|CODE|Zip|ZIP|No|Number)$/;
const idName = (name: string) => ID_WORD.test(name) || ID_CAMEL.test(name);

function isWhole(v: number): boolean {
  return Number.isFinite(v) && Math.floor(v) === v;
}

/**
 * The values ascending (NaN last) and how many distinct ones are present. Sorted by Float64Array's own sort
 * rather than counted in a Set: a Set of the census' 3,220 CensusIds took 5 ms, unoptimised and boxing.
 */
function distinctPresent(values: Float64Array): { sorted: Float64Array; distinct: number; present: number } {
  const sorted = Float64Array.from(values).sort();
  let distinct = 0;
  let present = 0;
  for (let i = 0; i < sorted.length; i++) {
    const v = sorted[i]!;
    if (Number.isNaN(v)) break;
    present++;
    if (i === 0 || v !== sorted[i - 1]) distinct++;
  }
  return { sorted, distinct, present };
}

/** Whole, distinct and present in every row: it can name the rows. */
function isKey(values: Float64Array): boolean {
  const { sorted, distinct, present } = distinctPresent(values);
  return present === values.length && distinct === present && sorted.every(isWhole);
}

/** Whole numbers, nearly all distinct, where present: an id with a gap or a repeat is still an id. */
function isIdLike(values: Float64Array): boolean {
  const { sorted, distinct, present } = distinctPresent(values);
  return present > 0 && sorted.subarray(0, present).every(isWhole) && distinct >= 0.95 * present;
}

/** assignments.csv's own columns: an identifier of the same name would repeat a header. */
const OUTPUT_COLUMNS = /^(comp_\d+|closest_cluster|distance_to_cluster)$/;

/** 1..n or 0..n−1 in order: a row number. */
function countsRows(values: Float64Array): boolean {
  if (values.length === 0) return false;
  const start = values[0];
  if (start !== 0 && start !== 1) return false;
  for (let i = 0; i < values.length; i++) if (values[i] !== start + i) return false;
  return true;
}

type Spread = "empty" | "constant" | "varies";

function spread(values: Float64Array): Spread {
  let first: number | undefined;
  for (const v of values) {
    if (Number.isNaN(v)) continue;
    if (first === undefined) first = v;
    else if (v !== first) return "varies";
  }
  return first === undefined ? "empty" : "constant";
}

/** Whether the labels these columns make are all distinct (and none is missing). */
function distinct(frame: Frame, columns: readonly string[]): boolean {
  const texts = columns.map((c) => frame.stringColumn(c));
  const seen = new Set<string>();
  for (let i = 0; i < frame.numRows; i++) {
    const parts: string[] = [];
    for (const t of texts) {
      const v = t[i];
      if (v === null || v === undefined || v === "") return false;
      parts.push(v);
    }
    const label = parts.join("\u0000");
    if (seen.has(label)) return false;
    seen.add(label);
  }
  return true;
}

function checkNamed(frame: Frame, names: readonly string[] | undefined, flag: string): void {
  for (const name of names ?? [])
    if (!frame.hasColumn(name))
      throw new StrataError(
        "MISSING_COLUMN",
        `${flag} names ${quote(name)}, which is not in the data; the columns are ${frame.columnNames.map(quote).join(", ")}.`,
        { details: { flag, column: name, columns: [...frame.columnNames] } },
      );
}

/**
 * The roles of `frame`'s columns under the user's choices (see the module).
 * @throws StrataError MISSING_COLUMN (a named column is not in the data), INVALID_ARGUMENT (a text column
 *   asked for as a feature, or no feature left)
 * @example planColumns(census).index // ["State", "County"]
 */
export function planColumns(frame: Frame, choices: ColumnChoices = {}): ColumnPlan {
  checkNamed(frame, choices.index, "--index");
  checkNamed(frame, choices.ids, "--id");
  checkNamed(frame, choices.features, "--features");
  checkNamed(frame, choices.exclude, "--exclude");
  if (choices.weight !== undefined) {
    checkNamed(frame, [choices.weight], "--weight");
    if (!frame.isNumeric(choices.weight))
      throw new StrataError(
        "INVALID_ARGUMENT",
        `--weight names ${quote(choices.weight)}, a text column; a weight must be a number per row (e.g. a population).`,
        { details: { flag: "--weight", column: choices.weight } },
      );
  }
  for (const f of choices.features ?? [])
    if (!frame.isNumeric(f))
      throw new StrataError(
        "INVALID_ARGUMENT",
        `--features names ${quote(f)}, a text column; features must be numbers (the text columns name the rows).`,
        { details: { flag: "--features", column: f } },
      );
  const text = frame.stringColumnNames;
  const reasons = new Map<string, string>();
  const keys: string[] = [];
  for (const name of frame.numericColumnNames) {
    const values = frame.column(name);
    const s = spread(values);
    if (s === "empty") reasons.set(name, "empty: every value is missing");
    else if (s === "constant") reasons.set(name, "constant: one value in every row");
    // The name and the row count first: they rule out most columns at once, where isKey's set of every value
    // took 9 ms of the census' 34 columns.
    else if ((idName(name) || countsRows(values)) && isKey(values)) {
      keys.push(name);
      reasons.set(name, "identifier: a distinct whole number per row");
    } else if (idName(name) && isIdLike(values))
      reasons.set(name, "identifier: whole numbers with an id's name");
  }
  for (const name of text) reasons.set(name, "text");
  for (const name of [...(choices.index ?? []), ...(choices.ids ?? [])])
    if (OUTPUT_COLUMNS.test(name))
      throw new StrataError(
        "INVALID_ARGUMENT",
        `${quote(name)} is a column assignments.csv writes itself; rename it to keep it beside the results.`,
        { details: { column: name } },
      );
  const wanted = new Set(choices.features ?? []);
  const index =
    choices.index ??
    detectIndex(
      frame,
      text.filter((c) => !OUTPUT_COLUMNS.test(c)),
      keys.filter((c) => !wanted.has(c) && !OUTPUT_COLUMNS.test(c)),
    );
  const asked = new Set(choices.ids ?? []);
  const byRule = (c: string) =>
    !OUTPUT_COLUMNS.test(c) &&
    !wanted.has(c) &&
    (text.includes(c) || reasons.get(c)?.startsWith("identifier") === true);
  const identifiers = frame.columnNames.filter(
    (c) => index.includes(c) || (choices.ids === undefined ? byRule(c) : asked.has(c)),
  );
  for (const c of text)
    if (OUTPUT_COLUMNS.test(c) && !identifiers.includes(c))
      reasons.set(c, "text, named like a column assignments.csv writes itself");
  for (const c of identifiers) if (!reasons.has(c)) reasons.set(c, "identifier: named by --id or --index");
  for (const c of index)
    reasons.set(c, reasons.get(c) === "text" ? "text, the row label" : "identifier, the row label");

  const excluded = new Set(choices.exclude ?? []);
  const chosen = choices.features === undefined ? undefined : new Set(choices.features);
  const features: string[] = [];
  for (const name of frame.numericColumnNames) {
    if (name === choices.weight && chosen?.has(name) !== true) reasons.set(name, "the weight (--weight)");
    else if (excluded.has(name)) reasons.set(name, "excluded by --exclude");
    else if (chosen?.has(name) === true) {
      // What the user names is a feature, whatever it looked like.
      reasons.delete(name);
      features.push(name);
    } else if (chosen !== undefined) {
      if (!reasons.has(name)) reasons.set(name, "not in --features");
    } else if (!reasons.has(name)) features.push(name);
  }
  if (features.length === 0)
    throw new StrataError(
      "INVALID_ARGUMENT",
      `No column is left to use as a feature: ${frame.columnNames.map((c) => `${c} (${reasons.get(c)})`).join(", ")}. Name the features with --features.`,
      { details: { columns: [...frame.columnNames] } },
    );
  const unused = frame.columnNames
    .filter((c) => !features.includes(c))
    .map((column) => ({ column, reason: reasons.get(column) ?? "text" }));
  return {
    index,
    identifiers: identifiers.filter((c) => !features.includes(c)),
    features,
    unused,
    weight: choices.weight ?? null,
  };
}

/** Pairs are tried among this many text columns at most: each try is a pass over the rows. */
const PAIR_COLUMNS = 8;

function detectIndex(frame: Frame, text: readonly string[], keys: readonly string[]): string[] {
  for (const c of text) if (distinct(frame, [c])) return [c];
  const first = text.slice(0, PAIR_COLUMNS);
  for (let a = 0; a < first.length; a++)
    for (let b = a + 1; b < first.length; b++)
      if (distinct(frame, [first[a]!, first[b]!])) return [first[a]!, first[b]!];
  return keys.length > 0 ? [keys[0]!] : [];
}
