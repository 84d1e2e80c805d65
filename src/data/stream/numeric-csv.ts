/**
 * The CSV rules of a training channel, line by line, so a whole object and a streamed one are read the same
 * way: SageMaker's rule is no header row (spec §3.2), but a first line with any field that is not a number is
 * taken as the header and gives the feature names; the first `label_size` columns are not features (the first
 * of them is kept as the row's label); every other cell must be a finite number, and an empty or
 * non-numeric cell fails naming its line and column (never quoting the cell: a job's FailureReason must not
 * carry a file's contents). Blank lines end the data: only trailing ones are allowed.
 * @module
 */
import { StrataError } from "../../errors.js";
import { type Matrix, matrix } from "../../linalg/matrix.js";
import { noRows } from "./chunks.js";

/** The longest first line (the header or the first row) a channel's CSV may have. */
export const MAX_CSV_LINE_CHARS = 16 * 1024 * 1024;
/** The most columns a channel's CSV may have. */
export const MAX_CSV_FIELDS = 100_000;

/**
 * The one number grammar of training CSV, as of invocation payloads: decimals with an optional exponent,
 * spaces around allowed. `nan`, `inf`, hex and `1e400` (it overflows) are not finite numbers to train on.
 */
const NUMBER = /^\s*[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?\s*$/;

/** One line's fields (RFC 4180 quotes, doubled quotes inside). */
function splitLine(line: string): string[] {
  if (!line.includes('"')) return line.split(",");
  const out: string[] = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (quoted && ch === '"' && line[i + 1] === '"') {
      field += '"';
      i++;
    } else if (ch === '"') {
      quoted = !quoted;
    } else if (ch === "," && !quoted) {
      out.push(field);
      field = "";
    } else {
      field += ch;
    }
  }
  out.push(field);
  return out;
}

/** Rows parsed so far: `rows` × width values, and the labels when the CSV has label columns. */
export interface CsvRows {
  readonly matrix: Matrix;
  readonly labels: Float64Array | null;
}

/**
 * Parses a channel's CSV one line at a time, holding the rows since the last {@link NumericCsvLines.take}.
 * @example
 * const csv = new NumericCsvLines({ labelSize: 0, source: "train.csv" });
 * csv.line("a,b", 1); csv.line("1,2", 2); csv.end(); csv.take().matrix; // 1 x 2
 */
export class NumericCsvLines {
  /** The header's feature names, or null (no header); known after the first line. */
  featureNames: readonly string[] | null = null;
  /** Fields per line, known after the first line (−1 before). */
  width = -1;
  /** Data rows seen in all, taken or not. */
  rowsSeen = 0;
  private readonly source: string;
  private readonly labelSize: number;
  private data = new Float64Array(0);
  private labels: Float64Array | null = null;
  private held = 0;
  private blankLine = 0;

  constructor(options: { readonly labelSize: number; readonly source: string }) {
    this.labelSize = options.labelSize;
    this.source = options.source;
  }

  /** Features per row (width − label_size), known after the first line. */
  get cols(): number {
    return this.width - this.labelSize;
  }

  /** Rows held since the last take. */
  get rows(): number {
    return this.held;
  }

  /**
   * Takes one line (without its line break) numbered `lineNo` from 1.
   * @throws StrataError INPUT_TOO_LARGE, INVALID_JOB_REQUEST (label_size leaves no feature),
   *   CSV_PARSE_ERROR (a blank line between rows), CSV_RAGGED_ROW, NON_NUMERIC_VALUE
   */
  line(text: string, lineNo: number): void {
    const { source } = this;
    if (text.trim() === "") {
      if (this.blankLine === 0) this.blankLine = lineNo;
      return;
    }
    if (this.blankLine > 0)
      throw new StrataError(
        "CSV_PARSE_ERROR",
        `${source} line ${this.blankLine} is empty: a training channel's CSV has no blank lines between its rows.`,
        { details: { source, line: this.blankLine } },
      );
    if (this.width < 0) {
      this.first(text);
      if (this.featureNames !== null) return;
    }
    const fields = splitLine(text);
    if (fields.length !== this.width)
      throw new StrataError(
        "CSV_RAGGED_ROW",
        `${source} line ${lineNo} has ${fields.length} fields; line 1 has ${this.width}.`,
        { details: { source, line: lineNo, fields: fields.length, expected: this.width } },
      );
    const { labelSize } = this;
    const cols = this.cols;
    this.reserve(this.held + 1);
    const at = this.held * cols;
    for (let c = 0; c < cols; c++) {
      const raw = fields[c + labelSize]!;
      const value = NUMBER.test(raw) ? Number(raw) : Number.NaN;
      if (!Number.isFinite(value))
        throw new StrataError(
          "NON_NUMERIC_VALUE",
          `${source} line ${lineNo}, column ${c + labelSize + 1} is ${raw.trim() === "" ? "empty" : "not a finite number"}: training channels hold numbers only (drop or impute missing values first).`,
          { details: { source, line: lineNo, column: c + labelSize + 1, value: raw } },
        );
      this.data[at + c] = value;
    }
    // Labels are not checked here (PCA and K-Means ignore them): one that is not a number is NaN, refused
    // only by a job that reads it (K-Means' sample_weights=label).
    if (this.labels !== null)
      this.labels[this.held] = NUMBER.test(fields[0]!) ? Number(fields[0]) : Number.NaN;
    this.held++;
    this.rowsSeen++;
  }

  /** The rows held since the last take (copies), and forgets them. */
  take(): CsvRows {
    const cols = Math.max(0, this.cols);
    const taken = {
      matrix: matrix(this.held, cols, this.data.slice(0, this.held * cols)),
      labels: this.labels === null ? null : this.labels.slice(0, this.held),
    };
    this.held = 0;
    return taken;
  }

  /**
   * Ends the object.
   * @throws StrataError EMPTY_DATA when it held no data row
   */
  end(): void {
    if (this.rowsSeen === 0) throw noRows(this.source);
  }

  private first(text: string): void {
    const { source, labelSize } = this;
    if (text.length > MAX_CSV_LINE_CHARS)
      throw new StrataError(
        "INPUT_TOO_LARGE",
        `${source} line 1 has ${text.length} characters; a line may have at most ${MAX_CSV_LINE_CHARS} (is the file CSV with line breaks?).`,
        { details: { source, line: 1, limit: MAX_CSV_LINE_CHARS } },
      );
    const fields = splitLine(text);
    if (fields.length > MAX_CSV_FIELDS)
      throw new StrataError(
        "INPUT_TOO_LARGE",
        `${source} line 1 has ${fields.length} fields; Strata reads at most ${MAX_CSV_FIELDS} columns.`,
        { details: { source, fields: fields.length, limit: MAX_CSV_FIELDS } },
      );
    if (labelSize >= fields.length)
      throw new StrataError(
        "INVALID_JOB_REQUEST",
        `${source}: label_size=${labelSize} leaves no feature columns (the file has ${fields.length}).`,
        { details: { labelSize, columns: fields.length } },
      );
    this.width = fields.length;
    if (fields.some((f) => !NUMBER.test(f))) this.featureNames = fields.slice(labelSize).map((f) => f.trim());
    if (labelSize > 0) this.labels = new Float64Array(0);
  }

  private reserve(rows: number): void {
    const cols = this.cols;
    if (rows * cols <= this.data.length) return;
    const capacity = Math.max(rows, 2 * (this.data.length / Math.max(1, cols)), 64);
    const data = new Float64Array(capacity * cols);
    data.set(this.data.subarray(0, this.held * cols));
    this.data = data;
    if (this.labels !== null) {
      const labels = new Float64Array(capacity);
      labels.set(this.labels.subarray(0, this.held));
      this.labels = labels;
    }
  }
}

/**
 * Parses a whole channel object's CSV text (see the module header for the rules).
 * @throws as {@link NumericCsvLines.line}, and EMPTY_DATA for no data row
 * @example
 * parseNumericCsv("a,b\n1,2\n3,4\n", { labelSize: 0, source: "x.csv" }).featureNames; // ["a", "b"]
 */
export function parseNumericCsv(
  text: string,
  options: { labelSize: number; source: string },
): CsvRows & { readonly featureNames: readonly string[] | null } {
  const csv = new NumericCsvLines(options);
  let start = 0;
  let lineNo = 1;
  while (start <= text.length) {
    let end = text.indexOf("\n", start);
    if (end < 0) end = text.length;
    const line = text.charCodeAt(end - 1) === 13 ? text.slice(start, end - 1) : text.slice(start, end);
    if (start < text.length || line !== "") csv.line(line, lineNo);
    start = end + 1;
    lineNo++;
  }
  csv.end();
  return { ...csv.take(), featureNames: csv.featureNames };
}
