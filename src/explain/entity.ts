/**
 * What a table's rows are, in words: "counties" when a column holds US county FIPS codes (the census's
 * CensusId, the unemployment table's id), "states" when one holds US state names, postal codes or FIPS codes,
 * else "rows" — or what `--entity` says ("customers"). The words a run prints come from here, so a table of
 * penguins is not described as counties, and "the US median" is said only of US places ("the overall median"
 * otherwise). The geography column is also what a map joins on.
 * @module
 */
import type { Frame } from "../data/frame.js";
import { groupDigits } from "../util/group-digits.js";

/** How the rows are spoken of. */
export interface Entity {
  /** "county", "customer", "row". */
  readonly one: string;
  /** "counties", "customers", "rows". */
  readonly many: string;
  /** The area the rows make up, for "the US median": "US", or null ("the overall median"). */
  readonly area: string | null;
}

/** The column that places each row on a US map, and at which level. */
export interface Geography {
  readonly level: "county" | "state";
  readonly column: string;
}

/** State FIPS codes (the 50 states, DC, Puerto Rico). */
const STATE_FIPS = new Set([
  1, 2, 4, 5, 6, 8, 9, 10, 11, 12, 13, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32,
  33, 34, 35, 36, 37, 38, 39, 40, 41, 42, 44, 45, 46, 47, 48, 49, 50, 51, 53, 54, 55, 56, 72,
]);

/** US state names and postal codes, lower case, with their FIPS code. */
export const STATE_NAMES: ReadonlyMap<string, number> = new Map(
  (
    [
      ["alabama", "al", 1],
      ["alaska", "ak", 2],
      ["arizona", "az", 4],
      ["arkansas", "ar", 5],
      ["california", "ca", 6],
      ["colorado", "co", 8],
      ["connecticut", "ct", 9],
      ["delaware", "de", 10],
      ["district of columbia", "dc", 11],
      ["florida", "fl", 12],
      ["georgia", "ga", 13],
      ["hawaii", "hi", 15],
      ["idaho", "id", 16],
      ["illinois", "il", 17],
      ["indiana", "in", 18],
      ["iowa", "ia", 19],
      ["kansas", "ks", 20],
      ["kentucky", "ky", 21],
      ["louisiana", "la", 22],
      ["maine", "me", 23],
      ["maryland", "md", 24],
      ["massachusetts", "ma", 25],
      ["michigan", "mi", 26],
      ["minnesota", "mn", 27],
      ["mississippi", "ms", 28],
      ["missouri", "mo", 29],
      ["montana", "mt", 30],
      ["nebraska", "ne", 31],
      ["nevada", "nv", 32],
      ["new hampshire", "nh", 33],
      ["new jersey", "nj", 34],
      ["new mexico", "nm", 35],
      ["new york", "ny", 36],
      ["north carolina", "nc", 37],
      ["north dakota", "nd", 38],
      ["ohio", "oh", 39],
      ["oklahoma", "ok", 40],
      ["oregon", "or", 41],
      ["pennsylvania", "pa", 42],
      ["rhode island", "ri", 44],
      ["south carolina", "sc", 45],
      ["south dakota", "sd", 46],
      ["tennessee", "tn", 47],
      ["texas", "tx", 48],
      ["utah", "ut", 49],
      ["vermont", "vt", 50],
      ["virginia", "va", 51],
      ["washington", "wa", 53],
      ["west virginia", "wv", 54],
      ["wisconsin", "wi", 55],
      ["wyoming", "wy", 56],
      ["puerto rico", "pr", 72],
    ] as const
  ).flatMap(([name, code, fips]) => [
    [name, fips],
    [code, fips],
  ]),
);

/** A share of a column's values must look like codes for the column to count as geography. */
const SHARE = 0.95;

function values(frame: Frame, column: string): string[] {
  return frame.isNumeric(column)
    ? Array.from(frame.column(column), (v) => (Number.isNaN(v) ? "" : String(v)))
    : frame.stringColumn(column).map((v) => v ?? "");
}

function distinctShare(vs: readonly string[], test: (v: string) => boolean): boolean {
  const present = vs.filter((v) => v !== "");
  if (present.length === 0 || new Set(present).size !== present.length) return false;
  return present.filter(test).length >= SHARE * present.length;
}

/**
 * County FIPS codes are mostly odd (counties were numbered 1, 3, 5, …; the even ones are later additions such
 * as Virginia's independent cities): an id column of consecutive numbers (1001, 1002, …) is not them.
 */
function mostlyOdd(vs: readonly string[]): boolean {
  const present = vs.filter((v) => v !== "").map(Number);
  return present.filter((n) => n % 2 === 1).length >= ODD_SHARE * present.length;
}

const ODD_SHARE = 0.85;

/** A 5-digit county FIPS code (as a number or zero-padded text): a known state and a county part. */
function isCountyFips(v: string): boolean {
  if (!/^\d{4,5}(\.0)?$/.test(v)) return false;
  const n = Number(v);
  return STATE_FIPS.has(Math.floor(n / 1000)) && n % 1000 > 0;
}

function isState(v: string): boolean {
  const t = v.trim().toLowerCase();
  return STATE_NAMES.has(t) || (/^\d{1,2}(\.0)?$/.test(t) && STATE_FIPS.has(Number(t)));
}

/**
 * The first identifier column that holds one US county FIPS code per row, else one that holds one US state
 * per row (name, postal code or FIPS); undefined when none does.
 * @example detectGeography(census, ["CensusId", "State", "County"]) // { level: "county", column: "CensusId" }
 */
export function detectGeography(frame: Frame, identifiers: readonly string[]): Geography | undefined {
  const columns = identifiers.map((column) => ({ column, vs: values(frame, column) }));
  for (const { column, vs } of columns)
    if (distinctShare(vs, isCountyFips) && mostlyOdd(vs)) return { level: "county", column };
  for (const { column, vs } of columns) if (distinctShare(vs, isState)) return { level: "state", column };
  return undefined;
}

/** "customers" → "customer", "counties" → "county", "boxes" → "box"; other words as they are. */
export function singular(many: string): string {
  if (/ies$/i.test(many)) return many.replace(/ies$/i, "y");
  if (/(s|x|z|ch|sh)es$/i.test(many)) return many.replace(/es$/i, "");
  if (/[^s]s$/i.test(many)) return many.slice(0, -1);
  return many;
}

/**
 * The rows' words: `--entity` when given (a plural: "customers"), else from the geography, else "rows".
 * @example entityFor("customers", undefined) // { one: "customer", many: "customers", area: null }
 */
export function entityFor(given: string | undefined, geography: Geography | undefined): Entity {
  const area = geography === undefined ? null : "US";
  if (given !== undefined && given.trim() !== "") {
    const many = given.trim();
    return { one: singular(many), many, area };
  }
  if (geography?.level === "county") return { one: "county", many: "counties", area };
  if (geography?.level === "state") return { one: "state", many: "states", area };
  return { one: "row", many: "rows", area: null };
}

/** "US median" or "overall median". */
export function referenceMedian(entity: Entity): string {
  return entity.area === null ? "overall median" : `${entity.area} median`;
}

/** What the whole table is called beside a value: "US" ("45.1% (US 3.9%)") or "overall". */
export function referenceShort(entity: Entity): string {
  return entity.area ?? "overall";
}

/** The adjective of the whole table's figures: "national" for a country's places, else "overall". */
export function referenceWord(entity: Entity): string {
  return entity.area === null ? "overall" : "national";
}

/** "412 counties", "1 customer". */
export function countOf(n: number, entity: Entity): string {
  return `${groupDigits(n)} ${n === 1 ? entity.one : entity.many}`;
}
