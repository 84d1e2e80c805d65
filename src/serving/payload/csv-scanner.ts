/**
 * `text/csv` invocation bodies (spec §4.3): one row per line, the model's number of comma-separated numbers,
 * no header and no label column. Lines may end in LF or CRLF; blank lines (including a trailing newline) are
 * skipped; spaces and tabs around a number are allowed.
 *
 * Why a hand-written scanner: this runs on every InvokeEndpoint. Splitting the body into lines and fields and
 * calling `Number()` on each allocates a string per line and per field (35 per census row) and re-reads each
 * byte three times; the scanner reads the request Buffer once, left to right, and writes doubles straight into
 * a reused Float64Array. Values are correctly rounded: digits are accumulated as an integer mantissa and,
 * when it stays at most 2^53 (exact) and the decimal exponent is within ±22, scaled by one exact power
 * of ten (Clinger's fast path: both operands exact, so one IEEE operation rounds correctly). Anything else
 * (17-digit values, huge exponents, `NaN`, `Infinity`) goes through `Number()` on that field alone.
 * @module
 */
import { StrataError } from "../../errors.js";

const POW10 = Array.from({ length: 23 }, (_, i) => 10 ** i);

/** Growable row storage reused across requests (the hot path allocates nothing once it is big enough). */
export class RowBuffer {
  data: Float64Array;
  constructor(initial = 1024) {
    this.data = new Float64Array(initial);
  }
  /** Makes room for `n` values, keeping none of the old contents. */
  reserve(n: number): Float64Array {
    if (this.data.length < n) this.data = new Float64Array(Math.max(n, this.data.length * 2));
    return this.data;
  }
}

function fieldText(bytes: Uint8Array, start: number, end: number): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset + start, end - start).toString("latin1");
}

/** The number grammar of payloads: `[+-]digits[.digits][e[+-]digits]` (or `.digits`), finite. */
export const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

function badNumber(bytes: Uint8Array, line: number, field: number, start: number, end: number): StrataError {
  const text = fieldText(bytes, start, Math.min(end, start + 40));
  const overflow = DECIMAL.test(text);
  return new StrataError(
    "INVALID_PAYLOAD",
    `unable to evaluate payload provided: line ${line}, field ${field} is ${JSON.stringify(text)}, ${overflow ? "beyond the range of a double" : "not a number"}.`,
    { details: { line, field, value: text } },
  );
}

/** Where {@link slowField} stopped (a second return value without allocating a result object). */
let slowEnd = 0;

/**
 * The general field parser, from `start` to just before the next `,`, line end or body end: surrounding
 * spaces and tabs, a sign, digits with an optional fraction, an exponent, and through `Number()` anything
 * the exact fast path cannot take (more than 2^53 in the mantissa, exponents past ±22, NaN, Infinity).
 * Sets {@link slowEnd}.
 */
function slowField(bytes: Uint8Array, start: number, line: number, field: number): number {
  const n = bytes.length;
  let i = start;
  let c = i < n ? bytes[i]! : 0;
  while (c === 32 || c === 9) c = ++i < n ? bytes[i]! : 0;
  const first = i;
  let negative = false;
  if (c === 45 || c === 43) {
    negative = c === 45;
    i++;
  }
  let mantissa = 0;
  let scale = 0;
  const digitsStart = i;
  for (; i < n; i++) {
    c = bytes[i]! - 48;
    if (c < 0 || c > 9) break;
    mantissa = mantissa * 10 + c;
  }
  let digits = i - digitsStart;
  if (i < n && bytes[i] === 46) {
    i++;
    const fractionStart = i;
    for (; i < n; i++) {
      c = bytes[i]! - 48;
      if (c < 0 || c > 9) break;
      mantissa = mantissa * 10 + c;
    }
    scale = fractionStart - i;
    digits -= scale;
  }
  // Exact when the integer mantissa never passed 2^53 (then every partial sum was exact too).
  const exact = digits > 0 && mantissa <= 9007199254740992;
  if (digits > 0 && i < n && (bytes[i] === 101 || bytes[i] === 69)) {
    i++;
    let expNegative = false;
    if (i < n && (bytes[i] === 45 || bytes[i] === 43)) expNegative = bytes[i++] === 45;
    let exp = 0;
    let expDigits = 0;
    for (; i < n; i++) {
      c = bytes[i]! - 48;
      if (c < 0 || c > 9) break;
      if (exp < 100000) exp = exp * 10 + c;
      expDigits++;
    }
    if (expDigits === 0) throw badNumber(bytes, line, field + 1, first, i);
    scale += expNegative ? -exp : exp;
  }
  let end = i;
  c = i < n ? bytes[i]! : 0;
  while (c === 32 || c === 9) c = ++i < n ? bytes[i]! : 0;
  const atEnd = i >= n || c === 44 || c === 10 || c === 13;
  let value: number;
  if (exact && atEnd && scale >= -22 && scale <= 22) {
    value = scale < 0 ? mantissa / POW10[-scale]! : mantissa * POW10[scale]!;
    if (negative) value = -value;
  } else {
    // Slow path: the field as text (also NaN, Infinity, 1e400, 20-digit values).
    for (; i < n; i++) {
      c = bytes[i]!;
      if (c === 44 || c === 10 || c === 13) break;
    }
    end = i;
    while (end > first && (bytes[end - 1] === 32 || bytes[end - 1] === 9)) end--;
    const text = fieldText(bytes, first, end);
    // One grammar for every number: decimal digits, an optional fraction and exponent. Number() alone
    // would also take "0x1F", "Infinity" and "1e400" (which overflows): none is a finite decimal.
    value = DECIMAL.test(text) ? Number(text) : Number.NaN;
    if (!Number.isFinite(value)) throw badNumber(bytes, line, field + 1, first, end);
  }
  slowEnd = i;
  return value;
}

/**
 * Parses a CSV body into `out` (row-major, `width` values per row) and returns the number of rows.
 *
 * Two paths per field. The fast one takes what model inputs almost always are — `[-+]digits[.digits]` with
 * at most 15 significant digits, directly followed by `,`, a line end or the end of the body — in a single
 * pass: the digits become an integer mantissa below 10^15 (exact in a double) and one division by an exact
 * power of ten rounds correctly. Anything else (spaces, exponents, more digits, NaN, errors) is re-read
 * from the field's start by the general parser. On the census rows the fast path takes every field and
 * runs about 2.5× faster than the general one alone (bench/serve/micro.ts, "csv scan, 1000 rows"). The fast
 * path has two copies: fields that start at or before the body's last separator cannot run past the end,
 * so their loop has no end checks; only the last field pays them.
 * @param width the model's feature count; a line with another count is an error naming both
 * @throws StrataError INVALID_PAYLOAD for a field that is not a number or a body with no rows;
 *   WIDTH_MISMATCH for a line with the wrong number of values (expected and received in the message)
 * @example
 * const rows = scanCsv(Buffer.from("1,2\n3,4"), 2, buffer); // 2; buffer.data = [1, 2, 3, 4, …]
 */
export function scanCsv(bytes: Uint8Array, width: number, out: RowBuffer): number {
  const n = bytes.length;
  // A row of `width` values takes at least 2·width bytes ("1,2\n"): this bound is enough for a valid body.
  let data = out.reserve((Math.floor((n + 1) / (2 * width)) + 1) * width);
  // The last `,`, LF or CR: a field that starts at or before it ends before the body does.
  let lastSeparator = n - 1;
  while (lastSeparator >= 0) {
    const b = bytes[lastSeparator]!;
    if (b === 44 || b === 10 || b === 13) break;
    lastSeparator--;
  }
  let rows = 0;
  let line = 1;
  let i = 0;
  while (i < n) {
    // Skip blank lines.
    let c = bytes[i]!;
    if (c === 10 || c === 13) {
      if (c === 10) line++;
      i++;
      continue;
    }
    let field = 0;
    const rowStart = rows * width;
    if (rowStart + width > data.length) {
      const grown = new Float64Array(Math.max(data.length * 2, rowStart + width));
      grown.set(data);
      out.data = grown;
      data = grown;
    }
    for (;;) {
      const start = i;
      c = bytes[i]!; // i < n: a field starts at a line start or after a comma that was not last
      let negative = false;
      let mantissa = 0;
      let digits = 0;
      let fraction = 0;
      let d: number;
      if (i <= lastSeparator) {
        // A separator lies at or after i, so each digit loop stops on a byte inside the body: no end checks,
        // and one unsigned compare per digit. Measured (bench/serve/micro.ts, census 1000 rows): 355 -> 282 µs
        // per scan (2.3 -> 1.8 ns/byte) against the loop with an end check per byte (the branch below, kept
        // for the body's last field). A per-word (SWAR) digit parser was slower still, 560 µs: it puts the
        // field's length on a chain of dependent word operations, where the byte loop lets the CPU run ahead
        // on predicted branches. An int32 mantissa instead of a double made no difference. The tail below
        // (value, slow path, next field) repeats the end-checked branch's on purpose: one shared tail for
        // both branches measured 304 -> 331-350 µs.
        if (c === 45 || c === 43) {
          negative = c === 45;
          c = bytes[++i]!;
        }
        d = c - 48;
        const digitsStart = i;
        while (d >>> 0 < 10) {
          mantissa = mantissa * 10 + d;
          d = bytes[++i]! - 48;
        }
        digits = i - digitsStart;
        if (d === -2) {
          // '.'
          const fractionStart = ++i;
          d = bytes[i]! - 48;
          while (d >>> 0 < 10) {
            mantissa = mantissa * 10 + d;
            d = bytes[++i]! - 48;
          }
          fraction = i - fractionStart;
        }
        // d + 48 is the byte after the number, always inside the body here.
        const total = digits + fraction;
        let value: number;
        if (total > 0 && total <= 15 && (d === -4 || d === -38 || d === -35)) {
          value = fraction === 0 ? mantissa : mantissa / POW10[fraction]!;
          if (negative) value = -value;
        } else {
          value = slowField(bytes, start, line, field);
          i = slowEnd;
          d = i < n ? bytes[i]! - 48 : 0;
        }
        if (field < width) data[rowStart + field] = value;
        field++;
        if (d !== -4) break;
        i++;
        continue;
      }
      if (c === 45 || c === 43) {
        negative = c === 45;
        c = ++i < n ? bytes[i]! : 0;
      }
      d = c - 48;
      while (d >= 0 && d <= 9) {
        mantissa = mantissa * 10 + d;
        digits++;
        d = (++i < n ? bytes[i]! : 0) - 48;
      }
      if (d === -2) {
        // '.'
        d = (++i < n ? bytes[i]! : 0) - 48;
        while (d >= 0 && d <= 9) {
          mantissa = mantissa * 10 + d;
          fraction++;
          d = (++i < n ? bytes[i]! : 0) - 48;
        }
      }
      // d + 48 is the byte after the number (0 past the end).
      let value: number;
      const total = digits + fraction;
      if (total > 0 && total <= 15 && (i >= n || d === -4 || d === -38 || d === -35)) {
        value = fraction === 0 ? mantissa : mantissa / POW10[fraction]!;
        if (negative) value = -value;
      } else {
        value = slowField(bytes, start, line, field);
        i = slowEnd;
      }
      if (field < width) data[rowStart + field] = value;
      field++;
      if (i >= n || bytes[i] !== 44) break;
      i++;
    }
    if (field !== width) throw widthError(line, width, field);
    rows++;
    if (i < n && bytes[i] === 13) i++;
    if (i < n && bytes[i] === 10) {
      i++;
      line++;
    }
  }
  if (rows === 0) {
    throw new StrataError(
      "INVALID_PAYLOAD",
      "unable to evaluate payload provided: the CSV body has no rows.",
      {
        details: { rows: 0 },
      },
    );
  }
  return rows;
}

/** The wrong-width error every decoder uses: it names the row, the expected and the received count. */
export function widthError(row: number, expected: number, received: number): StrataError {
  return new StrataError(
    "WIDTH_MISMATCH",
    `Row ${row} has ${received} values; the model expects ${expected} features.`,
    { details: { row, expected, received } },
  );
}
