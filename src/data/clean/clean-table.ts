/**
 * The notebook's cleaning step as one function: drop every row with a missing value in the features (pandas
 * `dropna(subset=features)`; the notebook's table has missing values only there), or fill them with the
 * column's median or mean instead (`impute`), set the row index from the index columns ("State-County"),
 * then drop the identifier columns and the index columns, leaving the numeric features. The index is built
 * after `dropna`, as in the notebook, so only the rows that are used must have unique labels. How many values
 * each feature was missing is counted, so a drop can be explained column by column.
 * @module
 */
import { StrataError } from "../../errors.js";
import { median } from "../../linalg/median.js";
import type { Frame } from "../frame.js";
import { assertUniqueIndex } from "../frame-checks.js";

export interface CleanOptions {
  /** Columns joined into the row label (default none: labels stay "0".."n-1"). */
  readonly indexColumns?: readonly string[];
  /** Columns removed before the features are taken (e.g. ids). */
  readonly dropColumns?: readonly string[];
  /** Joins the index column values (default "-"). */
  readonly separator?: string;
  /** The columns whose missing values drop (or are imputed in) a row; default every numeric column left. */
  readonly features?: readonly string[];
  /** Fill a missing feature value with its column's median or mean (over the loaded rows) instead of dropping. */
  readonly impute?: "median" | "mean" | undefined;
  /** More columns whose missing values drop the row, never imputed (a row's weight cannot be made up). */
  readonly required?: readonly string[];
  /** Return no rows instead of failing when every row is dropped (one chunk of a streamed table). */
  readonly allowEmpty?: boolean;
}

export interface CleanResult {
  /** The numeric feature columns of the used rows, indexed by label. */
  readonly frame: Frame;
  /** Labels of the rows dropped for missing values (e.g. "Hawaii-Kalawao"), in file order. */
  readonly droppedRows: string[];
  readonly loadedRows: number;
  readonly usedRows: number;
  /** Text columns that were neither index nor dropped columns and so are not features. */
  readonly ignoredTextColumns: string[];
  /** The dropped and index columns of the used rows (CensusId, State, County), for outputs that name rows. */
  readonly identifiers: Frame;
  /**
   * Per feature (and required column), how many loaded rows missed a value there (0s left out): why rows
   * were dropped or imputed.
   */
  readonly missingByColumn: Record<string, number>;
  /** Per feature, how many values were filled in, and with what (with `impute`). */
  readonly imputed: Record<string, { readonly count: number; readonly value: number }>;
}

/**
 * Cleans a loaded table into numeric features.
 * @throws MISSING_COLUMN (an index or drop column not in the data), NO_ROWS_LEFT, DUPLICATE_INDEX.
 * @example cleanTable(frame, { indexColumns: ["State", "County"], dropColumns: ["CensusId"] })
 */
export function cleanTable(frame: Frame, options: CleanOptions = {}): CleanResult {
  const indexColumns = options.indexColumns ?? [];
  const dropColumns = options.dropColumns ?? [];
  const separator = options.separator ?? "-";
  for (const c of [...indexColumns, ...dropColumns]) frame.columnData(c);

  // dropna on row positions, so dropped rows can be reported by their labels ("Texas-Loving", not "2673")
  // and a duplicate label by its data rows; uniqueness is checked on the kept rows only, as in the notebook.
  const labels = indexColumns.length === 0 ? [...frame.index] : frame.labelsFrom(indexColumns, separator);
  const removedColumns = new Set([...dropColumns, ...indexColumns]);
  const features = options.features ?? frame.numericColumnNames.filter((c) => !removedColumns.has(c));
  const required = (options.required ?? []).filter((c) => !features.includes(c));
  const missingByColumn: Record<string, number> = {};
  for (const f of [...features, ...required]) {
    const column = frame.column(f);
    // Most columns miss nothing: `includes` (compiled from its first call) says so without a loop over them.
    if (!column.includes(Number.NaN)) continue;
    let missing = 0;
    for (let i = 0; i < column.length; i++) if (Number.isNaN(column[i]!)) missing++;
    missingByColumn[f] = missing;
  }
  const imputed: Record<string, { count: number; value: number }> = {};
  let filled = frame;
  if (options.impute !== undefined) {
    const replacements = new Map<string, Float64Array>();
    for (const f of Object.keys(missingByColumn)) {
      if (options.required?.includes(f) === true) continue;
      const column = frame.column(f);
      const present = Float64Array.from(column.filter((v) => !Number.isNaN(v)));
      if (present.length === 0) continue;
      const value =
        options.impute === "median" ? median(present) : present.reduce((a, b) => a + b, 0) / present.length;
      replacements.set(
        f,
        column.map((v) => (Number.isNaN(v) ? value : v)),
      );
      imputed[f] = { count: missingByColumn[f]!, value };
    }
    filled = frame.withColumns(replacements);
  }
  const positional = filled.withIndex(frame.index.map((_, i) => String(i)));
  const { frame: kept, dropped } = positional.dropna([...features, ...required]);
  const droppedRows = dropped.map((p) => labels[Number(p)]!);
  if (kept.numRows === 0 && options.allowEmpty !== true) {
    throw new StrataError(
      "NO_ROWS_LEFT",
      `Every one of the ${frame.numRows} rows has a missing value, so cleaning left no rows. ` +
        "Fill the missing values or drop the columns that hold them.",
      { details: { loadedRows: frame.numRows } },
    );
  }
  // The kept rows' labels are those computed above (kept.index holds their positions); with index columns
  // they must be unique among the kept rows, as withIndexFrom requires.
  const keptLabels = kept.index.map((p) => labels[Number(p)]!);
  if (indexColumns.length > 0) assertUniqueIndex(keptLabels, kept.index, indexColumns, separator);
  const indexed = kept.withIndex(keptLabels);
  const removed = new Set([...dropColumns, ...indexColumns]);
  const rest = indexed.drop([...removed]);
  const ignoredTextColumns = rest.stringColumnNames;
  return {
    frame: rest.selectNumeric(),
    droppedRows,
    loadedRows: frame.numRows,
    usedRows: kept.numRows,
    ignoredTextColumns,
    identifiers: indexed.select([...dropColumns, ...indexColumns]),
    missingByColumn,
    imputed,
  };
}
