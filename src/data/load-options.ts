/**
 * What a load may be told, the cells that mean "missing", and when text is meant as numbers: shared by the
 * loader (load.ts) and its readers, which must agree.
 * @module
 */
import type { FetchOptions } from "./cache.js";
import type { TableFormat } from "./table-format.js";

export interface LoadOptions extends FetchOptions {
  /** Default: by content (table-format.ts). */
  readonly format?: TableFormat | "auto";
  /** CSV cells that mean "missing" (default: pandas' read_csv defaults). */
  readonly naValues?: readonly string[];
}

/** pandas' default `na_values` (the common ones), so Strata reads the same cells as missing. */
export const DEFAULT_NA_VALUES: readonly string[] = [
  "",
  "NA",
  "N/A",
  "n/a",
  "NaN",
  "nan",
  "-NaN",
  "-nan",
  "NULL",
  "null",
  "None",
  "#N/A",
  "#NA",
  "<NA>",
];

/**
 * A text column counts as "meant to be numeric" when at least this share of its values parse as numbers: it
 * is read as numeric, and its other values are errors that name their line.
 */
export const NUMERIC_SHARE = 0.5;
