/**
 * What a table file is, from its bytes rather than its name: Parquet (`PAR1`), Arrow IPC (`ARROW1`, or a
 * stream's 0xFFFFFFFF continuation), JSON (an array of records, or JSON Lines: the first non-blank character
 * `[` or `{`), else delimited text (CSV, TSV, …). gzip and zstd are recognised by their magic numbers, and the
 * format inside gzip by its first bytes (inside zstd, which Node 20 cannot inflate, by the name before `.zst`).
 * A file that is none of these is refused, naming what it looks like (a ZIP or Excel file, a PDF, an image,
 * SQLite, binary data).
 * @module
 */
import { createReadStream } from "node:fs";
import { open } from "node:fs/promises";
import { createGunzip } from "node:zlib";
import { StrataError } from "../errors.js";

export type TableFormat = "csv" | "parquet" | "json" | "arrow";
export type Compression = "none" | "gzip" | "zstd";

export interface DetectedFormat {
  readonly format: TableFormat;
  readonly compression: Compression;
}

const HEAD_BYTES = 4096;

async function head(path: string): Promise<Buffer> {
  const fh = await open(path, "r");
  try {
    const buf = Buffer.alloc(HEAD_BYTES);
    const { bytesRead } = await fh.read(buf, 0, HEAD_BYTES, 0);
    return buf.subarray(0, bytesRead);
  } finally {
    await fh.close();
  }
}

/** The first bytes of a gzip file, inflated (a bad stream gives what inflated before the error). */
async function gunzipHead(path: string): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let total = 0;
  const stream = createReadStream(path).pipe(createGunzip());
  try {
    for await (const chunk of stream) {
      chunks.push(chunk as Buffer);
      total += (chunk as Buffer).length;
      if (total >= HEAD_BYTES) break;
    }
  } catch {
    // A truncated or corrupt stream: judge by what came out; the reader names the error.
  } finally {
    stream.destroy();
  }
  return Buffer.concat(chunks).subarray(0, HEAD_BYTES);
}

const startsWith = (b: Buffer, magic: number[]) => magic.every((v, i) => b[i] === v);

/** What binary bytes that are no table look like, for the message. */
function lookalike(b: Buffer): string | undefined {
  if (startsWith(b, [0x50, 0x4b, 0x03, 0x04]))
    return "a ZIP archive (an Excel .xlsx file is one: save it as CSV)";
  if (startsWith(b, [0xd0, 0xcf, 0x11, 0xe0]))
    return "an old Excel (.xls) or other Office file: save it as CSV";
  if (b.subarray(0, 5).toString("latin1") === "%PDF-") return "a PDF document";
  if (startsWith(b, [0x89, 0x50, 0x4e, 0x47])) return "a PNG image";
  if (startsWith(b, [0xff, 0xd8, 0xff])) return "a JPEG image";
  if (b.subarray(0, 15).toString("latin1") === "SQLite format 3") return "an SQLite database";
  // Text has no NUL bytes (UTF-16 has them every other byte, and is not read either).
  if (b.includes(0)) return "binary data";
  return undefined;
}

function textFormat(b: Buffer): TableFormat {
  let i = b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf ? 3 : 0;
  while (i < b.length && (b[i] === 0x20 || b[i] === 0x09 || b[i] === 0x0a || b[i] === 0x0d)) i++;
  return b[i] === 0x5b || b[i] === 0x7b ? "json" : "csv";
}

function byBytes(b: Buffer, path: string): TableFormat {
  if (b.subarray(0, 4).toString("latin1") === "PAR1") return "parquet";
  if (b.subarray(0, 6).toString("latin1") === "ARROW1" || startsWith(b, [0xff, 0xff, 0xff, 0xff]))
    return "arrow";
  const looks = lookalike(b);
  if (looks !== undefined)
    throw new StrataError(
      "UNSUPPORTED_SOURCE",
      `${path} looks like ${looks}, not a table Strata reads (CSV or other delimited text, JSON or JSON Lines, Parquet, Arrow IPC; optionally gzip or zstd).`,
      { details: { path, looksLike: looks } },
    );
  return textFormat(b);
}

/**
 * The format and compression of a local table file, by content.
 * @throws StrataError UNSUPPORTED_SOURCE naming what the bytes look like; SOURCE_NOT_FOUND via open
 * @example await detectTableFormat("penguins.json") // { format: "json", compression: "none" }
 */
export async function detectTableFormat(path: string): Promise<DetectedFormat> {
  const b = await head(path);
  if (startsWith(b, [0x1f, 0x8b]))
    return { format: byBytes(await gunzipHead(path), path), compression: "gzip" };
  if (startsWith(b, [0x28, 0xb5, 0x2f, 0xfd])) {
    const inner = path.replace(/\.(zst|zstd)$/i, "");
    const format = /\.(json|jsonl|ndjson)$/i.test(inner)
      ? "json"
      : /\.(parquet|pq)$/i.test(inner)
        ? "parquet"
        : "csv";
    return { format, compression: "zstd" };
  }
  return { format: byBytes(b, path), compression: "none" };
}
