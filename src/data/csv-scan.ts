/**
 * A fast structural pass over a CSV file before DuckDB reads it. DuckDB's sniffer is lenient where Strata
 * must be strict: a ragged row can make it guess a different delimiter, or fail with no line number. This
 * scan (RFC 4180 quoting, LF / CRLF / CR line ends, blank lines skipped as DuckDB skips them, a UTF-8 BOM
 * ignored, gzip when the loader found it) picks the delimiter from the header and checks that every record has as many
 * fields as the header, naming the line of the first one that does not.
 * @module
 */
import { createReadStream } from "node:fs";
import { open } from "node:fs/promises";
import type { Readable } from "node:stream";
import { createGunzip } from "node:zlib";
import { StrataError } from "../errors.js";

/** What the scan learnt. */
export interface CsvScan {
  readonly delimiter: string;
  /** Fields in the header line. */
  readonly numColumns: number;
  /** Records after the header (blank lines not counted). */
  readonly numDataRows: number;
}

const QUOTE = 0x22;
const LF = 0x0a;
const CR = 0x0d;
const CANDIDATES = [",", "\t", ";", "|"];

function openText(path: string, gzip: boolean): Readable {
  const raw = createReadStream(path, { highWaterMark: 1 << 20 });
  return gzip ? raw.pipe(createGunzip()) : raw;
}

/** The most frequent candidate delimiter outside quotes on the first line (',' when none occurs). */
async function detectDelimiter(path: string, gzip: boolean): Promise<string> {
  let head: Buffer;
  if (gzip) {
    const chunks: Buffer[] = [];
    let total = 0;
    for await (const c of openText(path, gzip)) {
      chunks.push(c as Buffer);
      total += (c as Buffer).length;
      if (total >= 65536) break;
    }
    head = Buffer.concat(chunks);
  } else {
    const fh = await open(path, "r");
    try {
      const buf = Buffer.alloc(65536);
      const { bytesRead } = await fh.read(buf, 0, buf.length, 0);
      head = buf.subarray(0, bytesRead);
    } finally {
      await fh.close();
    }
  }
  return headerDelimiter(head);
}

/** The most frequent candidate delimiter outside quotes on the first line of `head` (',' when none occurs). */
export function headerDelimiter(head: Uint8Array): string {
  const counts = new Map(CANDIDATES.map((c) => [c, 0]));
  let inQuotes = false;
  for (const byte of head) {
    if (byte === QUOTE) inQuotes = !inQuotes;
    else if (!inQuotes && (byte === LF || byte === CR)) break;
    else if (!inQuotes) {
      const ch = String.fromCharCode(byte);
      if (counts.has(ch)) counts.set(ch, counts.get(ch)! + 1);
    }
  }
  let best = ",";
  for (const c of CANDIDATES) if (counts.get(c)! > counts.get(best)!) best = c;
  return best;
}

/**
 * Checks the structure of a CSV file.
 * @throws EMPTY_DATA (empty file, or a header with no rows), CSV_RAGGED_ROW (naming the line, the field
 * count and the header's), CSV_PARSE_ERROR (a quote that never closes).
 */
export async function scanCsv(path: string, gzip = path.endsWith(".gz")): Promise<CsvScan> {
  const delimiter = await detectDelimiter(path, gzip);
  const delim = delimiter.charCodeAt(0);
  let inQuotes = false;
  let prevCR = false;
  let line = 1;
  let recordLine = 1;
  let fields = 1;
  let hasContent = false;
  let numColumns = -1;
  let numDataRows = 0;
  let first = true;

  const endRecord = (): void => {
    if (!hasContent) return;
    if (numColumns < 0) numColumns = fields;
    else {
      if (fields !== numColumns) {
        throw new StrataError(
          "CSV_RAGGED_ROW",
          `Line ${recordLine} of ${path} has ${fields} fields; the header has ${numColumns}. ` +
            `Fix that row, or quote values that contain ${JSON.stringify(delimiter)}.`,
          { details: { path, line: recordLine, fields, expected: numColumns } },
        );
      }
      numDataRows++;
    }
    fields = 1;
    hasContent = false;
  };

  for await (const chunk of openText(path, gzip)) {
    const buf = chunk as Buffer;
    let start = 0;
    if (first) {
      first = false;
      if (buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) start = 3;
    }
    for (let i = start; i < buf.length; i++) {
      const b = buf[i]!;
      if (b === LF) {
        if (prevCR) {
          prevCR = false;
          continue;
        }
        line++;
        if (!inQuotes) endRecord();
        continue;
      }
      prevCR = false;
      if (b === CR) {
        prevCR = true;
        line++;
        if (!inQuotes) endRecord();
        continue;
      }
      if (!hasContent) {
        hasContent = true;
        recordLine = line;
      }
      if (b === QUOTE) inQuotes = !inQuotes;
      else if (b === delim && !inQuotes) fields++;
    }
  }
  if (inQuotes) {
    throw new StrataError(
      "CSV_PARSE_ERROR",
      `${path}: the quoted field that starts on line ${recordLine} is never closed.`,
      { details: { path, line: recordLine } },
    );
  }
  endRecord();
  if (numColumns < 0) {
    throw new StrataError("EMPTY_DATA", `${path} is empty: expected a header line and at least one row.`, {
      details: { path },
    });
  }
  if (numDataRows === 0) {
    throw new StrataError("EMPTY_DATA", `${path} has a header (${numColumns} columns) but no data rows.`, {
      details: { path, numColumns },
    });
  }
  return { delimiter, numColumns, numDataRows };
}
