/**
 * Reading a job's channels into matrices, from any URI the ObjectStore serves (path, file://, s3://,
 * https://), as S3Prefix or ManifestFile inputs (src/data/sources/input-objects.ts):
 * - `text/csv`: SageMaker's rule is no header row (spec §3.2). Strata also accepts one: when any field of the
 *   first line is not a number, that line is taken as the header and gives the feature names. The first
 *   `label_size` columns are not features; the first of them is kept as the row's label. Empty or
 *   non-numeric cells fail naming line and column.
 * - `application/x-recordio-protobuf`: SageMaker's Record messages (src/formats `decodeDenseRows`), with
 *   their labels when every record has one.
 *
 * PCA and K-Means ignore labels, as SageMaker's do, unless a K-Means job takes them as its sample weights
 * (the Strata extension `sample_weights=label`).
 * - `application/x-parquet`: read with DuckDB (remote objects are fetched to the local cache first); every
 *   column must be numeric and becomes a feature, in file order.
 * @module
 */
import { fetchToCache } from "../data/cache.js";
import { type AccessRules, checkObjectRead, UNRESTRICTED } from "../data/sources/access.js";
import { listInputObjects, readInputObject } from "../data/sources/input-objects.js";
import { StrataError } from "../errors.js";
import { decodeDenseRows } from "../formats/dense-rows.js";
import { matrix } from "../linalg/matrix.js";
import type { ChannelData } from "./algorithm.js";
import type { ChannelSpec } from "./spec.js";

export interface ReadChannelOptions {
  /** Strata home (for the download cache of remote Parquet files). */
  readonly home?: string;
  /** Where the channel may read (default: anywhere). */
  readonly access?: AccessRules;
}

/**
 * Reads and decodes one channel: every object its S3DataSource names (an S3 prefix, one object or a
 * manifest's entries, in order), each decoded by the channel's ContentType, stacked into one matrix. Empty
 * objects are skipped. Every object must be in the ContentType's record format: one that is not gets
 * MIXED_RECORD_FORMATS (objects of two kinds) or FORMAT_ERROR (all of another kind, naming the ContentType
 * that would read them).
 * @throws StrataError the store's errors (SOURCE_NOT_FOUND, KEY_NOT_FOUND…), MANIFEST_INVALID, EMPTY_DATA,
 *   NON_NUMERIC_VALUE, CSV_RAGGED_ROW, FORMAT_ERROR, MIXED_RECORD_FORMATS, WIDTH_MISMATCH
 */
export async function readChannel(
  channel: ChannelSpec,
  options: ReadChannelOptions = {},
): Promise<ChannelData> {
  const access = options.access ?? UNRESTRICTED;
  const objects = (await listInputObjects(channel.uri, channel.dataType, access)).filter((o) => o.size > 0);
  if (objects.length === 0) throw emptyData(channel.uri);
  const uris = objects.map((o) => o.uri);
  const { format, labelSize } = channel.contentType;
  if (format === "parquet") {
    const parts: ChannelData[] = [];
    for (const uri of uris) {
      await checkObjectRead(uri, access);
      parts.push(await readParquet(uri, options));
    }
    return stackParts(parts, uris);
  }
  const bytes: Uint8Array[] = [];
  for (const uri of uris) bytes.push(await readInputObject(uri, access));
  checkRecordFormats(uris, bytes, format);
  return stackParts(
    bytes.map((b, i) => decodeObject(b, uris[i]!, labelSize, format)),
    uris,
  );
}

function decodeObject(
  bytes: Uint8Array,
  uri: string,
  labelSize: number,
  format: "csv" | "recordio-protobuf",
): ChannelData {
  if (format === "csv") {
    // A CSV object becomes one string: past V8's longest string it could not be read at all.
    if (bytes.length > MAX_CSV_OBJECT_BYTES)
      throw new StrataError(
        "INPUT_TOO_LARGE",
        `${uri} has ${bytes.length} bytes; a CSV object of a channel may have at most ${MAX_CSV_OBJECT_BYTES}. Split it into several objects under one prefix (a channel reads them all).`,
        { details: { uri, bytes: bytes.length, limit: MAX_CSV_OBJECT_BYTES } },
      );
    return parseNumericCsv(new TextDecoder().decode(bytes), { labelSize, source: uri });
  }
  // Sparse records are densified: at most 16 values per byte received (a density of about 0.5%), so a
  // tiny record with a huge shape is refused before it is allocated.
  const { matrix: m, labels } = decodeDenseRows(bytes, { maxValues: Math.max(1 << 16, bytes.length * 16) });
  if (m.rows === 0) throw emptyData(uri);
  return { matrix: m, featureNames: null, labels };
}

type SniffedFormat = "recordio-protobuf" | "parquet" | "gzip" | "text";

const FORMAT_WORDS: Readonly<Record<SniffedFormat, string>> = {
  "recordio-protobuf": "RecordIO-protobuf (ContentType application/x-recordio-protobuf)",
  parquet: "Parquet (ContentType application/x-parquet)",
  gzip: "gzip-compressed (decompress it first)",
  text: "text such as CSV (ContentType text/csv)",
};

/** What an object's first bytes say it is. */
export function sniffRecordFormat(bytes: Uint8Array): SniffedFormat {
  if (bytes.length >= 4 && bytes[0] === 0x0a && bytes[1] === 0x23 && bytes[2] === 0xd7 && bytes[3] === 0xce)
    return "recordio-protobuf";
  if (bytes.length >= 4 && bytes[0] === 0x50 && bytes[1] === 0x41 && bytes[2] === 0x52 && bytes[3] === 0x31)
    return "parquet";
  if (bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b) return "gzip";
  return "text";
}

function checkRecordFormats(
  uris: readonly string[],
  bytes: readonly Uint8Array[],
  format: "csv" | "recordio-protobuf",
): void {
  const expected: SniffedFormat = format === "csv" ? "text" : "recordio-protobuf";
  const sniffed = bytes.map(sniffRecordFormat);
  const wrong = sniffed.findIndex((f) => f !== expected);
  if (wrong < 0) return;
  const right = sniffed.indexOf(expected);
  const other = right >= 0 ? right : sniffed.findIndex((f) => f !== sniffed[wrong]);
  if (other >= 0)
    throw new StrataError(
      "MIXED_RECORD_FORMATS",
      `The channel mixes record formats: ${uris[other]} is ${FORMAT_WORDS[sniffed[other]!]} but ${uris[wrong]} is ${FORMAT_WORDS[sniffed[wrong]!]}. Put one format under a prefix (or list one format in the manifest).`,
      { details: { objects: [uris[other], uris[wrong]], formats: [sniffed[other], sniffed[wrong]] } },
    );
  throw new StrataError(
    "FORMAT_ERROR",
    `The channel's ContentType reads ${FORMAT_WORDS[expected]}, but ${uris.length === 1 ? uris[0] : `its ${uris.length} objects (first ${uris[0]})`} ${uris.length === 1 ? "is" : "are"} ${FORMAT_WORDS[sniffed[wrong]!]}.`,
    { details: { objects: uris.length, first: uris[0], format: sniffed[wrong] } },
  );
}

/** One matrix from the decoded objects of a channel, in order; all must have the same width. */
function stackParts(parts: readonly ChannelData[], uris: readonly string[]): ChannelData {
  if (parts.length === 1) return parts[0]!;
  const cols = parts[0]!.matrix.cols;
  let rows = 0;
  for (const [i, p] of parts.entries()) {
    if (p.matrix.cols !== cols)
      throw new StrataError(
        "WIDTH_MISMATCH",
        `${uris[i]} has ${p.matrix.cols} features per record; ${uris[0]} has ${cols}. Every object of a channel needs the same width.`,
        { details: { object: uris[i], width: p.matrix.cols, expected: cols } },
      );
    rows += p.matrix.rows;
  }
  const m = matrix(rows, cols);
  let at = 0;
  for (const p of parts) {
    m.data.set(p.matrix.data.subarray(0, p.matrix.rows * cols), at);
    at += p.matrix.rows * cols;
  }
  // Labels only when every object has them: a row without one has no label to stand for.
  let labels: Float64Array | null = null;
  if (parts.every((p) => p.labels != null)) {
    labels = new Float64Array(rows);
    let row = 0;
    for (const p of parts) {
      labels.set(p.labels!, row);
      row += p.matrix.rows;
    }
  }
  return {
    matrix: m,
    featureNames: parts.find((p) => p.featureNames !== null)?.featureNames ?? null,
    labels,
  };
}

/** V8's longest string is 2^29 − 24 characters; a CSV object is decoded into one. */
export const MAX_CSV_OBJECT_BYTES = 2 ** 29 - 24;
/** The longest first line (the header or the first row) a channel's CSV may have. */
export const MAX_CSV_LINE_CHARS = 16 * 1024 * 1024;
/** The most columns a channel's CSV may have. */
export const MAX_CSV_FIELDS = 100_000;

function emptyData(source: string): StrataError {
  return new StrataError("EMPTY_DATA", `${source} has no rows: a training channel needs at least one.`, {
    details: { source },
  });
}

/**
 * The one number grammar of training CSV, as of invocation payloads: decimals with an optional exponent,
 * spaces around allowed. `nan`, `inf`, hex and `1e400` (it overflows) are not finite numbers to train on.
 */
const NUMBER = /^\s*[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?\s*$/;

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

/**
 * Parses numeric CSV text (a channel) into a matrix; see the module header for the header-row rule.
 * @example
 * parseNumericCsv("a,b\n1,2\n3,4\n", { labelSize: 0, source: "x.csv" }).featureNames; // ["a", "b"]
 */
export function parseNumericCsv(text: string, options: { labelSize: number; source: string }): ChannelData {
  const lines = text.split(/\r?\n/);
  while (lines.length > 0 && lines[lines.length - 1]!.trim() === "") lines.pop();
  if (lines.length === 0) throw emptyData(options.source);
  if (lines[0]!.length > MAX_CSV_LINE_CHARS)
    throw new StrataError(
      "INPUT_TOO_LARGE",
      `${options.source} line 1 has ${lines[0]!.length} characters; a line may have at most ${MAX_CSV_LINE_CHARS} (is the file CSV with line breaks?).`,
      { details: { source: options.source, line: 1, limit: MAX_CSV_LINE_CHARS } },
    );
  const first = splitLine(lines[0]!);
  if (first.length > MAX_CSV_FIELDS)
    throw new StrataError(
      "INPUT_TOO_LARGE",
      `${options.source} line 1 has ${first.length} fields; Strata reads at most ${MAX_CSV_FIELDS} columns.`,
      { details: { source: options.source, fields: first.length, limit: MAX_CSV_FIELDS } },
    );
  const hasHeader = first.some((f) => !NUMBER.test(f));
  const width = first.length;
  const { labelSize, source } = options;
  if (labelSize >= width) {
    throw new StrataError(
      "INVALID_JOB_REQUEST",
      `${source}: label_size=${labelSize} leaves no feature columns (the file has ${width}).`,
      {
        details: { labelSize, columns: width },
      },
    );
  }
  const start = hasHeader ? 1 : 0;
  const rows = lines.length - start;
  if (rows === 0) throw emptyData(source);
  const cols = width - labelSize;
  const m = matrix(rows, cols);
  const labels = labelSize > 0 ? new Float64Array(rows) : null;
  for (let r = 0; r < rows; r++) {
    const lineNo = r + start + 1;
    const line = lines[r + start]!;
    if (line.trim() === "")
      throw new StrataError(
        "CSV_PARSE_ERROR",
        `${source} line ${lineNo} is empty: a training channel's CSV has no blank lines between its rows.`,
        { details: { source, line: lineNo } },
      );
    const fields = splitLine(line);
    if (fields.length !== width) {
      throw new StrataError(
        "CSV_RAGGED_ROW",
        `${source} line ${lineNo} has ${fields.length} fields; line 1 has ${width}.`,
        {
          details: { source, line: lineNo, fields: fields.length, expected: width },
        },
      );
    }
    // Labels are not checked here (PCA and K-Means ignore them): one that is not a number is NaN, refused
    // only by a job that reads it (K-Means' sample_weights=label).
    if (labels !== null) labels[r] = NUMBER.test(fields[0]!) ? Number(fields[0]) : Number.NaN;
    for (let c = 0; c < cols; c++) {
      const raw = fields[c + labelSize]!;
      const value = NUMBER.test(raw) ? Number(raw) : Number.NaN;
      if (!Number.isFinite(value)) {
        throw new StrataError(
          "NON_NUMERIC_VALUE",
          // The cell itself is not quoted: a job's FailureReason must never carry a file's contents.
          `${source} line ${lineNo}, column ${c + labelSize + 1} is ${raw.trim() === "" ? "empty" : "not a finite number"}: training channels hold numbers only (drop or impute missing values first).`,
          { details: { source, line: lineNo, column: c + labelSize + 1, value: raw } },
        );
      }
      m.data[r * cols + c] = value;
    }
  }
  const featureNames = hasHeader ? first.slice(labelSize).map((f) => f.trim()) : null;
  return { matrix: m, featureNames, labels };
}

async function readParquet(uri: string, options: ReadChannelOptions): Promise<ChannelData> {
  const { path } = await fetchToCache(uri, options.home === undefined ? {} : { home: options.home });
  // DuckDB is loaded only for Parquet channels: it is a large native module most jobs never need.
  const { sqlIdent, sqlString, withConnection } = await import("../data/duckdb.js");
  return withConnection(async (con) => {
    const source = `read_parquet(${sqlString(path)})`;
    const described = await con.runAndReadAll(`DESCRIBE SELECT * FROM ${source}`);
    const columns = described
      .getRowObjectsJS()
      .map((r) => ({ name: String(r["column_name"]), type: String(r["column_type"]) }));
    const nonNumeric = columns.find(
      (c) => !/^(DOUBLE|FLOAT|REAL|DECIMAL.*|BIGINT|INTEGER|SMALLINT|TINYINT|HUGEINT|U\w*INT)$/.test(c.type),
    );
    if (nonNumeric !== undefined) {
      throw new StrataError(
        "NON_NUMERIC_VALUE",
        `${uri}: column ${JSON.stringify(nonNumeric.name)} is ${nonNumeric.type}; training channels hold numbers only.`,
        { details: { source: uri, column: nonNumeric.name, type: nonNumeric.type } },
      );
    }
    const select = columns.map((c) => `CAST(${sqlIdent(c.name)} AS DOUBLE)`).join(", ");
    const result = await con.runAndReadAll(`SELECT ${select} FROM ${source}`);
    const data = result.getColumnsJS() as (number | null)[][];
    const rows = data[0]?.length ?? 0;
    if (rows === 0) throw emptyData(uri);
    const m = matrix(rows, columns.length);
    for (let c = 0; c < columns.length; c++) {
      const column = data[c]!;
      for (let r = 0; r < rows; r++) {
        const v = column[r];
        if (v === null || v === undefined) {
          throw new StrataError(
            "NON_NUMERIC_VALUE",
            `${uri}: row ${r + 1}, column ${JSON.stringify(columns[c]!.name)} is empty.`,
            {
              details: { source: uri, row: r + 1, column: columns[c]!.name },
            },
          );
        }
        m.data[r * columns.length + c] = v;
      }
    }
    return { matrix: m, featureNames: columns.map((c) => c.name) };
  });
}
