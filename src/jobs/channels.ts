/**
 * A job's channels, from any URI the ObjectStore serves (path, file://, s3://, https://), as S3Prefix or
 * ManifestFile inputs (src/data/sources/input-objects.ts). Every object is read by the streamed readers of
 * src/data/stream in bounded chunks (remote objects are fetched to the download cache first, and gzip is
 * decompressed on the fly): `readChannel` collects them into one matrix; a job too large for that streams
 * the same chunks instead. By ContentType:
 * - `text/csv`: SageMaker's rule is no header row (spec §3.2). Strata also accepts one: when any field of the
 *   first line is not a number, that line is taken as the header and gives the feature names. The first
 *   `label_size` columns are not features; the first of them is kept as the row's label. Empty or
 *   non-numeric cells fail naming line and column.
 * - `application/x-recordio-protobuf`: SageMaker's Record messages (src/formats `decodeDenseRows`), with
 *   their labels when every record has one.
 * - `application/x-parquet`: through DuckDB; every column must be numeric and becomes a feature, in file
 *   order.
 *
 * PCA and K-Means ignore labels, as SageMaker's do, unless a K-Means job takes them as its sample weights
 * (the Strata extension `sample_weights=label`).
 * @module
 */

import { stat } from "node:fs/promises";
import { totalmem } from "node:os";
import { fetchToCache } from "../data/cache.js";
import { type AccessRules, checkObjectRead, UNRESTRICTED } from "../data/sources/access.js";
import { listInputObjects, storeFor } from "../data/sources/input-objects.js";
import { fileBlocks, isGzipFile } from "../data/stream/byte-stream.js";
import { type DataChunk, noRows, type RecordFormat, type StreamSource } from "../data/stream/chunks.js";
import { countRows } from "../data/stream/count-rows.js";
import { DEFAULT_CHUNK_ROWS, objectChunks, objectHeader } from "../data/stream/object-chunks.js";
import { StrataError } from "../errors.js";
import { matrix } from "../linalg/matrix.js";
import type { Channel, ChannelData } from "./algorithm.js";
import type { ChannelSpec } from "./spec.js";

export interface ReadChannelOptions {
  /** Strata home (for the download cache of remote objects). */
  readonly home?: string;
  /** Where the channel may read (default: anywhere). */
  readonly access?: AccessRules;
}

/**
 * A channel's objects as local files to stream: every object its S3DataSource names (an S3 prefix, one
 * object or a manifest's entries, in order; empty ones skipped), remote ones fetched to the download cache,
 * each checked to be in the ContentType's record format: one that is not gets MIXED_RECORD_FORMATS (objects
 * of two kinds) or FORMAT_ERROR (all of another kind, naming the ContentType that would read them).
 * @throws StrataError the store's errors (SOURCE_NOT_FOUND, KEY_NOT_FOUND…), MANIFEST_INVALID, EMPTY_DATA,
 *   FORMAT_ERROR, MIXED_RECORD_FORMATS
 */
export async function channelSources(
  channel: ChannelSpec,
  options: ReadChannelOptions = {},
): Promise<StreamSource[]> {
  const access = options.access ?? UNRESTRICTED;
  const objects = (await listInputObjects(channel.uri, channel.dataType, access)).filter((o) => o.size > 0);
  if (objects.length === 0) throw noRows(channel.uri);
  const { format, labelSize } = channel.contentType;
  const sources: StreamSource[] = [];
  for (const { uri } of objects) {
    await checkObjectRead(uri, access);
    const { path } = await fetchToCache(uri, {
      store: storeFor(uri, access),
      ...(options.home === undefined ? {} : { home: options.home }),
    });
    sources.push({ path, format, labelSize, name: uri });
  }
  checkRecordFormats(
    sources.map((s) => s.name),
    await Promise.all(sources.map((s) => sniffFile(s.path))),
    format,
  );
  return sources;
}

/**
 * Reads and decodes one channel into memory: the chunks of every object of {@link channelSources} (the
 * streamed readers of src/data/stream), stacked into one matrix.
 * @throws StrataError as channelSources, and NON_NUMERIC_VALUE, CSV_RAGGED_ROW, FORMAT_ERROR,
 *   WIDTH_MISMATCH from the objects' contents
 */
export async function readChannel(
  channel: ChannelSpec,
  options: ReadChannelOptions = {},
): Promise<ChannelData> {
  return readSources(await channelSources(channel, options));
}

/** The objects' rows in memory, stacked in order. */
async function readSources(sources: readonly StreamSource[]): Promise<ChannelData> {
  const parts: ChannelData[] = [];
  for (const source of sources) parts.push(await readObject(source));
  return stackParts(
    parts,
    sources.map((s) => s.name),
  );
}

/** One object's rows in memory: its chunks joined. */
async function readObject(source: StreamSource): Promise<ChannelData> {
  let featureNames: readonly string[] | null = null;
  const chunks: DataChunk[] = [];
  for await (const chunk of objectChunks(source, DEFAULT_CHUNK_ROWS, (names) => {
    featureNames = names;
  }))
    chunks.push(chunk);
  const cols = chunks[0]?.matrix.cols ?? 0;
  const rows = chunks.reduce((n, c) => n + c.matrix.rows, 0);
  const m = matrix(rows, cols);
  const labels = chunks[0]?.labels ? new Float64Array(rows) : null;
  for (const c of chunks) {
    m.data.set(c.matrix.data, c.firstRow * cols);
    labels?.set(c.labels!, c.firstRow);
  }
  return { matrix: m, featureNames, labels };
}

type SniffedFormat = "recordio-protobuf" | "parquet" | "text";

const FORMAT_WORDS: Readonly<Record<SniffedFormat, string>> = {
  "recordio-protobuf": "RecordIO-protobuf (ContentType application/x-recordio-protobuf)",
  parquet: "Parquet (ContentType application/x-parquet)",
  text: "text such as CSV (ContentType text/csv)",
};

const SNIFFED: Readonly<Record<RecordFormat, SniffedFormat>> = {
  csv: "text",
  "recordio-protobuf": "recordio-protobuf",
  parquet: "parquet",
};

/** What a file's first bytes say it is (a gzip file by its first decompressed bytes). */
async function sniffFile(path: string): Promise<SniffedFormat> {
  for await (const block of fileBlocks(path)) return sniffRecordFormat(block);
  return "text";
}

/** What an object's first bytes say it is. */
export function sniffRecordFormat(bytes: Uint8Array): SniffedFormat {
  if (bytes.length >= 4 && bytes[0] === 0x0a && bytes[1] === 0x23 && bytes[2] === 0xd7 && bytes[3] === 0xce)
    return "recordio-protobuf";
  if (bytes.length >= 4 && bytes[0] === 0x50 && bytes[1] === 0x41 && bytes[2] === 0x52 && bytes[3] === 0x31)
    return "parquet";
  return "text";
}

function checkRecordFormats(
  uris: readonly string[],
  sniffed: readonly SniffedFormat[],
  format: RecordFormat,
): void {
  const expected = SNIFFED[format];
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

/** How a channel may be read: whole into memory, streamed, or whichever its size calls for. */
export type ChannelReading = "memory" | "stream" | "auto";

/** Decoded bytes a channel may take in memory before it is streamed: `STRATA_CHANNEL_MEMORY_MB`, else ¼ of RAM. */
export function channelMemoryBudget(env: NodeJS.ProcessEnv = process.env): number {
  const mb = Number(env["STRATA_CHANNEL_MEMORY_MB"]);
  return Number.isFinite(mb) && mb > 0 ? mb * 1024 * 1024 : Math.floor(totalmem() / 4);
}

/**
 * A channel as a job trains on it: in memory when it may be and fits the budget (its decoded rows × columns ×
 * 8 bytes), else streamed (`StreamedChannel`: each object's rows counted without decoding it, and its width
 * read from its first block). Plain CSV and RecordIO objects whose bytes are well inside the budget are read
 * at once, without counting.
 * @throws StrataError as readChannel; WIDTH_MISMATCH naming two objects of different widths
 */
export async function openChannel(
  channel: ChannelSpec,
  options: ReadChannelOptions & { readonly reading: ChannelReading; readonly budgetBytes: number },
): Promise<Channel> {
  const sources = await channelSources(channel, options);
  const inMemory = () => readSources(sources);
  if (options.reading === "memory") return inMemory();
  if (options.reading === "auto") {
    // A CSV number takes about as many bytes as its double, a RecordIO float32 half; gzip and Parquet say
    // nothing by their size.
    let bytes = 0;
    let opaque = false;
    for (const s of sources) {
      opaque ||= s.format === "parquet" || (await isGzipFile(s.path));
      bytes += (await stat(s.path)).size;
    }
    if (!opaque && bytes * 2 <= options.budgetBytes) return inMemory();
  }
  const headers = [];
  for (const source of sources) headers.push(await objectHeader(source));
  const cols = headers[0]!.cols;
  const wrong = headers.findIndex((h) => h.cols !== cols);
  if (wrong >= 0)
    throw new StrataError(
      "WIDTH_MISMATCH",
      `${sources[wrong]!.name} has ${headers[wrong]!.cols} features per record; ${sources[0]!.name} has ${cols}. Every object of a channel needs the same width.`,
      { details: { object: sources[wrong]!.name, width: headers[wrong]!.cols, expected: cols } },
    );
  const firstRows: number[] = [];
  let rows = 0;
  for (const source of sources) {
    firstRows.push(rows);
    rows += await countRows(source);
  }
  if (options.reading === "auto" && rows * cols * 8 <= options.budgetBytes) return inMemory();
  return {
    sources,
    firstRows,
    rows,
    cols,
    featureNames: headers.find((h) => h.featureNames !== null)?.featureNames ?? null,
    labels: headers.every((h) => h.labels),
  };
}
