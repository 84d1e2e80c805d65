/**
 * The immutable `Frame`: Strata's in-memory table. Columns keep their order; numeric columns are Float64Array
 * (NaN marks a missing value), text columns are `(string | null)[]` (null marks a missing value), and every row
 * has a string label in the row index ("0".."n-1" until `withIndexFrom` sets one, e.g. "Alabama-Autauga").
 * Every operation returns a new Frame; column arrays are shared between frames and must be treated as
 * read-only (copy before mutating), which keeps `select`/`drop` free of copies.
 * @module
 */
import { quote, StrataError } from "../errors.js";
import { type Matrix, matrix } from "../linalg/matrix.js";
import { wasmColumnsToRows, wasmRowsToColumns } from "../linalg/wasm-columns.js";
import { assertUniqueIndex, missingColumn } from "./frame-checks.js";

/** A text column: null is a missing value. */
export type StringColumn = readonly (string | null)[];
/** The storage of one column. */
export type ColumnData = Float64Array | StringColumn;

/** The result of `Frame.dropna`. */
export interface DropnaResult {
  readonly frame: Frame;
  /** Index labels of the dropped rows, in row order. */
  readonly dropped: string[];
}

function defaultIndex(n: number): string[] {
  return Array.from({ length: n }, (_, i) => String(i));
}

function isMissing(data: ColumnData, i: number): boolean {
  return data instanceof Float64Array ? Number.isNaN(data[i]!) : data[i] === null;
}

/** An immutable table of numeric and text columns with a row index. */
export class Frame {
  readonly #names: readonly string[];
  readonly #columns: ReadonlyMap<string, ColumnData>;
  // The default labels "0".."n-1" are made on first use: building a million strings costs ~140 ms, and a
  // frame that is loaded and then indexed from its columns (the census) never needs them.
  #index: readonly string[] | undefined;
  readonly #numRows: number;

  /** `index` is the labels, or the row count for the default "0".."n-1". */
  private constructor(
    names: readonly string[],
    columns: ReadonlyMap<string, ColumnData>,
    index: readonly string[] | number,
  ) {
    this.#names = names;
    this.#columns = columns;
    this.#index = typeof index === "number" ? undefined : index;
    this.#numRows = typeof index === "number" ? index : index.length;
  }

  /** The labels if they exist, else the row count (so derived frames keep the default lazy). */
  get #indexOrCount(): readonly string[] | number {
    return this.#index ?? this.#numRows;
  }

  /**
   * Builds a frame from named columns (in the given order).
   * @param columns name -> Float64Array (numeric) or (string | null)[] (text); all the same length.
   * @param options.index row labels (default "0".."n-1").
   * @throws INTERNAL when lengths disagree or a name repeats (a caller bug, not user input).
   * @example Frame.fromColumns({ State: ["Ohio"], TotalPop: Float64Array.of(100) })
   */
  static fromColumns(
    columns: Record<string, ColumnData> | Iterable<readonly [string, ColumnData]>,
    options: { index?: readonly string[] } = {},
  ): Frame {
    const entries = Symbol.iterator in columns ? [...columns] : Object.entries(columns);
    const map = new Map<string, ColumnData>();
    const n = options.index?.length ?? entries[0]?.[1].length ?? 0;
    for (const [name, data] of entries) {
      if (map.has(name)) throw new StrataError("INTERNAL", `Column ${quote(name)} appears twice.`);
      if (data.length !== n) {
        throw new StrataError("INTERNAL", `Column ${quote(name)} has ${data.length} values; expected ${n}.`);
      }
      map.set(name, data);
    }
    return new Frame(
      entries.map(([name]) => name),
      map,
      options.index ? [...options.index] : n,
    );
  }

  /**
   * Wraps a row-major matrix as numeric columns (copies each column out of the matrix).
   * @param m rows x cols values; `names.length` must equal `m.cols`.
   * @param index row labels (default "0".."n-1").
   * @example Frame.fromMatrix(fromRows([[1, 2]]), ["a", "b"])
   */
  static fromMatrix(m: Matrix, names: readonly string[], index?: readonly string[]): Frame {
    if (names.length !== m.cols) {
      throw new StrataError(
        "WIDTH_MISMATCH",
        `The matrix has ${m.cols} columns; ${names.length} names given.`,
      );
    }
    const columns = names.map(() => new Float64Array(m.rows));
    wasmRowsToColumns(m.data, m.rows, m.cols, columns);
    return Frame.fromColumns(
      names.map((name, j) => [name, columns[j]!] as const),
      index ? { index } : {},
    );
  }

  /** Number of rows. */
  get numRows(): number {
    return this.#numRows;
  }

  /** All column names, in order. */
  get columnNames(): readonly string[] {
    return this.#names;
  }

  /** Names of the numeric (Float64Array) columns, in order. */
  get numericColumnNames(): string[] {
    return this.#names.filter((n) => this.#columns.get(n) instanceof Float64Array);
  }

  /** Names of the text columns, in order. */
  get stringColumnNames(): string[] {
    return this.#names.filter((n) => !(this.#columns.get(n) instanceof Float64Array));
  }

  /** Row labels. */
  get index(): readonly string[] {
    this.#index ??= defaultIndex(this.#numRows);
    return this.#index;
  }

  /** True when the frame has a column of that name. */
  hasColumn(name: string): boolean {
    return this.#columns.has(name);
  }

  /** True when `name` is a numeric column. */
  isNumeric(name: string): boolean {
    return this.#get(name) instanceof Float64Array;
  }

  #get(name: string): ColumnData {
    const data = this.#columns.get(name);
    if (data === undefined) throw missingColumn(name, this.#names);
    return data;
  }

  /**
   * A numeric column (shared storage: do not mutate). NaN marks a missing value.
   * @throws MISSING_COLUMN naming the available columns; NON_NUMERIC_VALUE when the column holds text.
   */
  column(name: string): Float64Array {
    const data = this.#get(name);
    if (!(data instanceof Float64Array)) {
      throw new StrataError("NON_NUMERIC_VALUE", `Column ${quote(name)} holds text, not numbers.`, {
        details: { column: name },
      });
    }
    return data;
  }

  /**
   * A text column (shared storage). null marks a missing value.
   * @throws MISSING_COLUMN; INVALID_ARGUMENT when the column is numeric.
   */
  stringColumn(name: string): StringColumn {
    const data = this.#get(name);
    if (data instanceof Float64Array) {
      throw new StrataError("INVALID_ARGUMENT", `Column ${quote(name)} is numeric, not text.`, {
        details: { column: name },
      });
    }
    return data;
  }

  /** Storage of any column (numeric or text). @throws MISSING_COLUMN */
  columnData(name: string): ColumnData {
    return this.#get(name);
  }

  /**
   * Keeps the named columns, in the order given.
   * @throws MISSING_COLUMN for an unknown name.
   */
  select(names: readonly string[]): Frame {
    const map = new Map<string, ColumnData>();
    for (const n of names) map.set(n, this.#get(n));
    return new Frame([...map.keys()], map, this.#indexOrCount);
  }

  /** Keeps only the numeric columns. */
  selectNumeric(): Frame {
    return this.select(this.numericColumnNames);
  }

  /**
   * Removes the named columns.
   * @throws MISSING_COLUMN for an unknown name (a typo should not pass silently).
   */
  drop(names: readonly string[]): Frame {
    for (const n of names) this.#get(n);
    const gone = new Set(names);
    return this.select(this.#names.filter((n) => !gone.has(n)));
  }

  /**
   * Keeps the rows at the given positions, in the given order (positions may repeat).
   * @throws INVALID_ARGUMENT for a position outside 0..numRows-1.
   */
  take(rowIndices: ArrayLike<number>): Frame {
    const n = this.numRows;
    const idx = Array.from(rowIndices);
    for (const i of idx) {
      if (!Number.isInteger(i) || i < 0 || i >= n) {
        throw new StrataError(
          "INVALID_ARGUMENT",
          `Row position ${i} is out of range: the frame has ${n} rows.`,
        );
      }
    }
    const map = new Map<string, ColumnData>();
    for (const name of this.#names) {
      const data = this.#columns.get(name)!;
      if (data instanceof Float64Array) {
        const out = new Float64Array(idx.length);
        for (let k = 0; k < idx.length; k++) out[k] = data[idx[k]!]!;
        map.set(name, out);
      } else {
        map.set(
          name,
          idx.map((i) => data[i]!),
        );
      }
    }
    return new Frame(
      this.#names,
      map,
      idx.map((i) => this.index[i]!),
    );
  }

  /** Keeps the rows for which `predicate(position, label)` is true. */
  rowsWhere(predicate: (row: number, label: string) => boolean): Frame {
    const keep: number[] = [];
    for (let i = 0; i < this.numRows; i++) if (predicate(i, this.index[i]!)) keep.push(i);
    return this.take(keep);
  }

  /**
   * Drops every row with a missing value (NaN or null) in any of `columns` (default: every column), like
   * pandas `dropna(subset=columns)`.
   * @returns the kept rows and the index labels of the dropped ones.
   */
  dropna(columns: readonly string[] = this.#names): DropnaResult {
    // Column by column, and only through the columns that miss a value (`includes` finds NaN and null without
    // a loop of ours): a row-by-row test of every column ran unoptimised and boxed a double per cell.
    const missing = new Uint8Array(this.numRows);
    let any = false;
    for (const name of columns) {
      const data = this.#get(name);
      if (!(data instanceof Float64Array ? data.includes(Number.NaN) : data.includes(null))) continue;
      any = true;
      for (let i = 0; i < data.length; i++) if (isMissing(data, i)) missing[i] = 1;
    }
    if (!any) return { frame: this, dropped: [] };
    const keep: number[] = [];
    const dropped: string[] = [];
    for (let i = 0; i < this.numRows; i++) {
      if (missing[i] === 1) dropped.push(this.index[i]!);
      else keep.push(i);
    }
    return { frame: this.take(keep), dropped };
  }

  /**
   * Replaces (or appends, when new) numeric columns with the columns of a matrix, e.g. scaled features.
   * @param names one per matrix column; `m.rows` must equal numRows.
   * @throws WIDTH_MISMATCH when the shapes disagree.
   */
  withNumericColumns(names: readonly string[], m: Matrix): Frame {
    if (names.length !== m.cols || m.rows !== this.numRows) {
      throw new StrataError(
        "WIDTH_MISMATCH",
        `A ${m.rows}x${m.cols} matrix cannot replace ${names.length} columns of a frame with ${this.numRows} rows.`,
      );
    }
    const incoming = Frame.fromMatrix(m, names, this.#index);
    const map = new Map(this.#columns);
    for (const n of names) map.set(n, incoming.column(n));
    const order = [...this.#names, ...names.filter((n) => !this.#columns.has(n))];
    return new Frame(order, map, this.#indexOrCount);
  }

  /** The same frame with some numeric columns' values replaced (same names, same length). */
  withColumns(replacements: ReadonlyMap<string, Float64Array>): Frame {
    const map = new Map(this.#columns);
    for (const [name, values] of replacements) {
      this.#get(name);
      map.set(name, values);
    }
    return new Frame(this.#names, map, this.#indexOrCount);
  }

  /** The same columns with new row labels. @throws INTERNAL when the length differs. */
  withIndex(labels: readonly string[]): Frame {
    if (labels.length !== this.numRows) {
      throw new StrataError(
        "INTERNAL",
        `The index has ${labels.length} labels; the frame has ${this.numRows} rows.`,
      );
    }
    return new Frame(this.#names, this.#columns, [...labels]);
  }

  /**
   * Row labels made by joining the values of `columns` with `separator` (missing values render as "NaN"),
   * without checking that they are unique.
   * @throws MISSING_COLUMN
   */
  labelsFrom(columns: readonly string[], separator = "-"): string[] {
    const parts = columns.map((c) => this.#get(c));
    const labels = new Array<string>(this.numRows);
    const text = (p: ColumnData, i: number) => (isMissing(p, i) ? "NaN" : String(p[i]));
    for (let i = 0; i < this.numRows; i++) {
      // Concatenated, not an array joined per row: the census' 3,220 labels are made once per run, unoptimised.
      let label = parts.length === 0 ? "" : text(parts[0]!, i);
      for (let k = 1; k < parts.length; k++) label += separator + text(parts[k]!, i);
      labels[i] = label;
    }
    return labels;
  }

  /**
   * Sets the row index by joining the values of `columns` (e.g. State "-" County -> "Alabama-Autauga").
   * Missing values render as "NaN" (so they stand out). The columns stay in the frame.
   * @throws MISSING_COLUMN; DUPLICATE_INDEX naming each repeated label and the current labels of its rows.
   * @example frame.withIndexFrom(["State", "County"]) // index "Alabama-Autauga", ...
   */
  withIndexFrom(columns: readonly string[], separator = "-"): Frame {
    const labels = this.labelsFrom(columns, separator);
    assertUniqueIndex(labels, this.index, columns, separator);
    return this.withIndex(labels);
  }

  /**
   * Copies numeric columns into one row-major matrix (numRows x columns.length).
   * @param columns default: every numeric column, in order.
   * @throws MISSING_COLUMN; NON_NUMERIC_VALUE for a text column.
   */
  toMatrix(columns: readonly string[] = this.numericColumnNames): Matrix {
    const cols = columns.map((c) => this.column(c));
    const m = matrix(this.numRows, cols.length);
    wasmColumnsToRows(cols, this.numRows, m.data);
    return m;
  }
}
