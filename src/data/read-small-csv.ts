/**
 * Reads a small, plain CSV file in JavaScript, giving exactly the Frame DuckDB's path (read-duckdb.ts)
 * gives, or `undefined` when the file needs that path. Why a second reader: below a few tens of megabytes
 * DuckDB's fixed costs dominate (its addon takes ~35 ms to load, and the sniff, the statistics pass and the
 * read are three queries), so the census' 470 KB took 67 ms and a 10k-row file 25 ms against pandas' 16. One
 * fused pass here (split a field, parse it as a number as it is split) reads the census in 25–30 ms in a fresh
 * process (most of it before V8 has optimized the pass) and ~6 ms warm, and the 10k-row file in ~10 ms.
 *
 * It decides only what it can decide exactly as read-duckdb.ts does; everything else returns `undefined` and
 * DuckDB reads the file (and names what is wrong with it):
 * - a column whose every present value is a plain decimal number (`-12`, `3.5`, `1e-3`) is numeric, and an
 *   all-missing column is numeric NaN; numbers are correctly rounded (Clinger's fast path, else `Number`);
 * - a column with any other value is text (raw, as in the file), unless half its values are numbers (DuckDB
 *   forces it numeric and names the bad cell), or any value is a number DuckDB would read that this grammar
 *   does not (` 5`, `+5`, `.5`, `inf`): those go to DuckDB;
 * - zero-padded integers (`00501`, codes kept as text by read-duckdb.ts' rule), ragged rows, stray or unclosed
 *   quotes, bare CR line ends, blank lines in a one-column file, empty or repeated header names, invalid
 *   UTF-8 and files with no data rows all go to DuckDB.
 * test/data/read-small-csv.test.ts checks the equivalence against DuckDB's path on generated files.
 * @module
 */
import { StrataError } from "../errors.js";
import { GrowableFloat64 } from "../util/growable-float64.js";
import { headerDelimiter } from "./csv-scan.js";
import { Frame, type StringColumn } from "./frame.js";
import { NUMERIC_SHARE } from "./load-options.js";

const QUOTE = 0x22;
const LF = 0x0a;
const CR = 0x0d;
const MINUS = 0x2d;
const DOT = 0x2e;
const ZERO = 0x30;
const NINE = 0x39;

/** 10^0 .. 10^22: every one exact in a double, so m / 10^k and m * 10^k round once (Clinger's fast path). */
const POW10 = Array.from({ length: 23 }, (_, k) => 10 ** k);
/** Below 2^53 every integer is a double, so a mantissa under it accumulated exactly. */
const EXACT_MANTISSA = 2 ** 53;

/** Values DuckDB's DOUBLE cast reads that the plain grammar does not (spaces, signs, bare points, inf, nan). */
const LOOSE_NUMBER = /^\s*[-+]?(\d|\.\d|(inf|infinity|nan)\s*$)|\d\s+$/i;

/** Rows per block of readRows (512 rows × 34 columns is 136 KiB, within the L2 cache). */
const BLOCK_ROWS = 512;

/** Rows before the first flush of readRows' block. */
const FIRST_BLOCK_ROWS = 64;

/** Thrown inside the pass when the file needs DuckDB; caught at the top. */
class NeedsDuckDb extends Error {}

/**
 * The file's Frame when this reader can decide it exactly as DuckDB's path does, else `undefined`.
 * @param naValues the cells that mean missing (DEFAULT_NA_VALUES, which holds "").
 */
export function readSmallCsv(buf: Buffer, naValues: ReadonlySet<string>): Frame | undefined {
  try {
    return read(buf, naValues);
  } catch (e) {
    if (e instanceof NeedsDuckDb) return undefined;
    throw e;
  }
}

function read(file: Buffer, naValues: ReadonlySet<string>): Frame | undefined {
  if (!naValues.has("")) return undefined; // an empty field is read as missing as it is split
  const { buf, blankEnd } = endingInOneLineEnd(file);
  const bom = buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf ? 3 : 0;
  const delim = headerDelimiter(buf.subarray(bom, bom + 65536)).charCodeAt(0);
  const header = headerNames(buf, bom, delim);
  const width = header.names.length;
  if (width === 1 && blankEnd) return undefined; // in one column a blank line could be an empty field
  const others = new Int32Array(width);
  const { rows, values } = readRows(buf, header.end, delim, width, others);
  if (rows === 0) return undefined;
  const texts = others.some((k) => k > 0) ? columnTexts(buf, header.end, delim, others) : [];
  const data = values.map((v, j) => columnData(v, texts[j], naValues));
  return Frame.fromColumns(header.names.map((name, j) => [name, data[j]!] as const));
}

/**
 * The file, or a copy of it, ending in exactly one line end (`blankEnd`: blank lines were cut from its end).
 * The passes rely on a final LF (it ends every field, so no byte loop checks the length), and on the last
 * row being the last line (readRows' last flush).
 */
function endingInOneLineEnd(file: Buffer): { buf: Buffer; blankEnd: boolean } {
  const n = file.length;
  const blankBefore = (at: number) => at < 0 || file[at] === LF || (file[at] === CR && file[at - 1] === LF);
  if (file[n - 1] === LF && !blankBefore(n - 2) && !(file[n - 2] === CR && blankBefore(n - 3)))
    return { buf: file, blankEnd: false };
  let end = n;
  let lineEnds = 0;
  while (end > 0 && (file[end - 1] === LF || file[end - 1] === CR)) {
    end--;
    if (file[end] === LF || file[end + 1] !== LF) lineEnds++;
  }
  return { buf: Buffer.concat([file.subarray(0, end), Buffer.of(LF)]), blankEnd: lineEnds > 1 };
}

/** The header's field names and the offset just past its line. */
function headerNames(buf: Buffer, from: number, delim: number): { names: string[]; end: number } {
  const names: string[] = [];
  let pos = from;
  for (;;) {
    const field = plainOrQuoted(buf, pos, delim);
    const name = fieldText(buf, field.start, field.end);
    if (name === "" || names.includes(name)) throw new NeedsDuckDb();
    names.push(name);
    pos = fieldEnd(buf, field.stopAt, delim);
    if (buf[field.stopAt] !== delim) break;
  }
  return { names, end: pos };
}

/**
 * One field from `pos`, plain or quoted per RFC 4180: its content offsets (`end` < 0, as -end - 1, marks a
 * quoted field) and the offset of the byte that ends it. A quote inside a plain field needs DuckDB.
 */
function plainOrQuoted(
  buf: Buffer,
  pos: number,
  delim: number,
): { start: number; end: number; stopAt: number } {
  const n = buf.length;
  let i = pos;
  if (buf[i] === QUOTE) {
    for (i++; ; ) {
      if (i >= n) throw new NeedsDuckDb(); // never closed
      if (buf[i] !== QUOTE) i++;
      else if (buf[i + 1] === QUOTE) i += 2;
      else break;
    }
    return { start: pos + 1, end: -i - 1, stopAt: i + 1 };
  }
  for (; i < n; i++) {
    const b = buf[i]!;
    if (b === delim || b === LF || b === CR) break;
    if (b === QUOTE) throw new NeedsDuckDb();
  }
  return { start: pos, end: i, stopAt: i };
}

/**
 * The offset after the byte at `at` that ends a field: a delimiter, LF or CRLF (the buffer ends in LF, so
 * every field is ended by one of them). Anything else (text after a closing quote) or a bare CR needs DuckDB.
 */
function fieldEnd(buf: Buffer, at: number, delim: number): number {
  const b = buf[at];
  if (b === delim || b === LF) return at + 1;
  if (b === CR && buf[at + 1] === LF) return at + 2;
  throw new NeedsDuckDb();
}

/**
 * Splits the rows after the header, parsing each plain field as a number as it goes into `values` (NaN where
 * the field is not a number), and counts per column the fields that are neither numbers nor empty (`others`:
 * text, a missing-value marker, a quoted field), which columnTexts reads again as text. Returns the row count.
 * The number grammar is `-?digits(.digits)?([eE][-+]?digits)?` with no zero-padding.
 */
function readRows(
  buf: Buffer,
  from: number,
  delim: number,
  width: number,
  others: Int32Array,
): { rows: number; values: Float64Array[] } {
  const n = buf.length;
  const last = width - 1;
  // Values go row by row into a row-major block that is copied into the columns when full: straight into the
  // columns it was one store stream per column, and with dozens of columns the stores missed the cache (a
  // third of the pass at 100k × 34). The columns start at an estimate from the first line's length.
  const firstLine = buf.indexOf(LF, from) + 1 - from;
  const estimate = Math.ceil(((n - from) / Math.max(firstLine, 1)) * 1.1) + 16;
  const columns = Array.from({ length: width }, () => new GrowableFloat64(estimate));
  const block = new Float64Array(BLOCK_ROWS * width);
  let inBlock = 0;
  let blockRows = FIRST_BLOCK_ROWS;
  let pos = from;
  let row = 0;
  while (pos < n) {
    const first = buf[pos]!;
    if (first === LF || first === CR) {
      // A blank line: DuckDB skips it, except where it could be one empty field.
      if (last === 0) throw new NeedsDuckDb();
      pos = fieldEnd(buf, pos, delim);
      continue;
    }
    for (let j = 0; j <= last; j++) {
      let value = Number.NaN;
      let i = pos;
      let c = buf[i]!;
      if (c === QUOTE) {
        i = plainOrQuoted(buf, pos, delim).stopAt;
        c = buf[i]!;
        others[j]!++;
      } else if (c !== delim && c !== LF && c !== CR) {
        // The number grammar, consumed byte by byte; `i` stops at the first byte outside it. The buffer ends
        // in LF (read() makes sure), so no loop here can run past it.
        const negative = c === MINUS;
        if (negative) c = buf[++i]!;
        const intStart = i;
        // Digits accumulate exactly while the mantissa stays below 2^53; past it the slow path reparses.
        let mantissa = 0;
        while (c >= ZERO && c <= NINE) {
          mantissa = mantissa * 10 + (c - ZERO);
          c = buf[++i]!;
        }
        let ok = i > intStart;
        if (ok && buf[intStart] === ZERO && i - intStart > 1) throw new NeedsDuckDb(); // a zero-padded code
        let scale = 0;
        if (ok && c === DOT) {
          const fracStart = ++i;
          c = buf[i]!;
          while (c >= ZERO && c <= NINE) {
            mantissa = mantissa * 10 + (c - ZERO);
            c = buf[++i]!;
          }
          scale = fracStart - i;
          ok = scale < 0;
        }
        if (ok && (c === 0x65 || c === 0x45)) {
          c = buf[++i]!;
          let sign = 1;
          if (c === MINUS || c === 0x2b) {
            sign = c === MINUS ? -1 : 1;
            c = buf[++i]!;
          }
          const expStart = i;
          let exponent = 0;
          while (c >= ZERO && c <= NINE && i - expStart < 4) {
            exponent = exponent * 10 + (c - ZERO);
            c = buf[++i]!;
          }
          ok = i > expStart && !(c >= ZERO && c <= NINE);
          scale += sign * exponent;
        }
        if (ok && (c === delim || c === LF || c === CR)) {
          if (mantissa < EXACT_MANTISSA && scale >= -22 && scale <= 22) {
            value = scale < 0 ? mantissa / POW10[-scale]! : mantissa * POW10[scale]!;
          } else {
            value = Number(buf.toString("latin1", negative ? pos + 1 : pos, i));
            // Beyond a double's range DuckDB's cast fails or flushes differently: let it decide.
            if (!Number.isFinite(value) || (value === 0 && mantissa > 0)) throw new NeedsDuckDb();
          }
          if (negative) value = -value;
        } else {
          // Not a number: the rest of the plain field.
          while (c !== delim && c !== LF && c !== CR) {
            if (c === QUOTE) throw new NeedsDuckDb();
            c = buf[++i]!;
          }
          others[j]!++;
        }
      }
      block[inBlock * width + j] = value;
      // Every field but the last ends at a delimiter; the last at a line end.
      if ((c === delim) !== j < last) throw new NeedsDuckDb(); // too few or too many fields
      pos = c === delim || c === LF ? i + 1 : fieldEnd(buf, i, delim);
    }
    row++;
    // The flush is written out here rather than called, and first runs after FIRST_BLOCK_ROWS rows, once the
    // pass has its type feedback: code first reached after the pass was optimized has none and throws the
    // optimized pass away (twice per file when the flush was a function called after the 1st and 512th rows).
    inBlock++;
    const atEnd = pos >= n;
    if (atEnd || inBlock === blockRows) {
      for (let j = 0; j < width; j++) {
        const column = columns[j]!;
        column.reserve(inBlock);
        const { data, length } = column;
        for (let r = 0, at = j; r < inBlock; r++, at += width) data[length + r] = block[at]!;
        column.length = length + inBlock;
      }
      inBlock = 0;
      blockRows = BLOCK_ROWS;
    }
  }
  if (inBlock > 0) throw new StrataError("INTERNAL", "readRows left rows unflushed."); // endingInOneLineEnd rules it out
  return { rows: row, values: columns.map((c) => c.finish()) };
}

/** The text of every field of the columns with `others`, row by row (the file already split once). */
function columnTexts(buf: Buffer, from: number, delim: number, others: Int32Array): (string[] | undefined)[] {
  const texts = Array.from(others, (k) => (k > 0 ? ([] as string[]) : undefined));
  // Without quotes no line break is inside a field, so the fields after the last wanted one are skipped to
  // the line's end in one native search (the census: its text columns are the 2nd and 3rd of 37).
  const noQuotes = buf.indexOf(QUOTE, from) < 0;
  const last = noQuotes ? texts.findLastIndex((t) => t !== undefined) : others.length - 1;
  const width = others.length;
  let pos = from;
  while (pos < buf.length) {
    const first = buf[pos]!;
    if (first === LF || first === CR) {
      pos = fieldEnd(buf, pos, delim);
      continue;
    }
    for (let j = 0; j <= last; j++) {
      const field = plainOrQuoted(buf, pos, delim);
      texts[j]?.push(fieldText(buf, field.start, field.end));
      pos = fieldEnd(buf, field.stopAt, delim);
    }
    if (last < width - 1) pos = buf.indexOf(LF, pos) + 1;
  }
  return texts;
}

const decoder = new TextDecoder("utf-8", { fatal: true });

/** A field's text: quotes removed and doubled quotes undone for a quoted field (end < 0). */
function fieldText(buf: Buffer, start: number, end: number): string {
  const quoted = end < 0;
  const stop = quoted ? -end - 1 : end;
  let ascii = true;
  for (let i = start; i < stop; i++) if (buf[i]! >= 0x80) ascii = false;
  let text: string;
  if (ascii) text = buf.toString("latin1", start, stop);
  else {
    try {
      text = decoder.decode(buf.subarray(start, stop));
    } catch {
      throw new NeedsDuckDb(); // invalid UTF-8: DuckDB names it
    }
  }
  return quoted ? text.replaceAll('""', '"') : text;
}

/**
 * A column's data: its numbers when every other field is a missing-value marker (an all-missing column is
 * numeric NaN, as read-duckdb.ts reads it), else its text with markers as null.
 */
function columnData(
  values: Float64Array,
  texts: readonly string[] | undefined,
  naValues: ReadonlySet<string>,
): Float64Array | StringColumn {
  if (texts === undefined) return values;
  let numbers = 0;
  let words = 0;
  for (let r = 0; r < values.length; r++) {
    const text = texts[r]!;
    if (!Number.isNaN(values[r]!)) numbers++;
    else if (naValues.has(text)) continue;
    else if (LOOSE_NUMBER.test(text)) throw new NeedsDuckDb();
    else words++;
  }
  if (words === 0) return values;
  if (numbers >= NUMERIC_SHARE * (numbers + words)) throw new NeedsDuckDb(); // DuckDB names the bad cell
  return texts.map((text) => (naValues.has(text) ? null : text));
}
