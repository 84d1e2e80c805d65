/**
 * `model.tar.gz` in memory: a gzip-compressed tar with the model files at the archive root, owner 0/0, mode
 * 0644 (spec §5.1). Tar itself is handled by tar-stream, a small well-kept library, rather than our own
 * parser; gzip by node:zlib. Packing is reproducible (a fixed mtime; entries keep the order given). Unpacking is defensive because artifacts come from users and S3: the decompressed size, each
 * entry's size, the total and the entry count are bounded before data is buffered, names that could escape
 * a directory (`../x`, `/etc/x`, `C:\x`) are rejected, links and devices are refused, and every zlib or
 * tar-stream failure becomes a FORMAT_ERROR with the original error as its cause.
 * @module
 */
import { promisify } from "node:util";
import { gunzip, gzip, gzipSync } from "node:zlib";
import { extract, pack } from "tar-stream";
import { isStrataError, StrataError } from "../errors.js";
import { formatError } from "./byte-reader.js";

/** One file of an archive. Names use "/" and are relative to the archive root. */
export interface TarEntry {
  readonly name: string;
  readonly bytes: Uint8Array;
}

/** Options of `packTarGz`. */
export interface PackTarGzOptions {
  /** Modification time written for every entry; default the Unix epoch, so output is reproducible. */
  readonly mtime?: Date;
}

/** Limits of `unpackTarGz`. */
export interface UnpackTarGzOptions {
  /** Largest single entry, in bytes; default 512 MiB. */
  readonly maxEntryBytes?: number;
  /** Largest sum of entry sizes, in bytes; default 512 MiB. */
  readonly maxTotalBytes?: number;
  /** Most entries (directories included); default 1,000. */
  readonly maxEntries?: number;
}

const FORMAT = "tar.gz archive";
const MIB = 1024 * 1024;
const gzipAsync = promisify(gzip);
/**
 * Tars up to this size are compressed on the calling thread: a census model's few KB take 0.2 ms there (1.3 ms
 * for the process's first), and 1-4 ms through libuv's threads, most of it waiting. Larger ones go to the
 * threads, so a server's event loop never compresses megabytes.
 */
const SYNC_GZIP_MAX_BYTES = 64 * 1024;
const gunzipAsync = promisify(gunzip);

/** Throws FORMAT_ERROR unless `name` is a plain relative path; returns it without leading "./". */
function safeName(raw: string): string {
  const name = raw.replace(/^(\.\/)+/, "");
  const bad =
    name.startsWith("/") ||
    /^[A-Za-z]:/.test(name) ||
    name.includes("\\") ||
    name.includes("\0") ||
    name.split("/").some((part) => part === "..");
  if (bad)
    throw formatError(FORMAT, 0, `entry name ${JSON.stringify(raw)} is absolute or leaves the archive root.`);
  return name;
}

/**
 * Packs files into a gzip-compressed tar (uid/gid 0, mode 0644, files at the root unless a name has "/").
 * @throws StrataError INVALID_ARGUMENT for unsafe, empty or duplicate names.
 * @example
 * const tarGz = await packTarGz([{ name: "model_algo-1", bytes: encodeKMeansArtifactFile(centroids) }]);
 */
export async function packTarGz(
  entries: readonly TarEntry[],
  options: PackTarGzOptions = {},
): Promise<Uint8Array> {
  const mtime = options.mtime ?? new Date(0);
  const seen = new Set<string>();
  for (const { name } of entries) {
    let clean = "";
    try {
      clean = safeName(name);
    } catch (cause) {
      throw new StrataError(
        "INVALID_ARGUMENT",
        `Archive entry name ${JSON.stringify(name)} is not a relative path.`,
        { cause },
      );
    }
    if (clean === "" || clean.endsWith("/") || seen.has(clean)) {
      throw new StrataError(
        "INVALID_ARGUMENT",
        `Archive entry name ${JSON.stringify(name)} is empty, a directory or a duplicate.`,
      );
    }
    seen.add(clean);
  }
  const p = pack();
  const chunks: Buffer[] = [];
  const collected = (async () => {
    for await (const chunk of p) chunks.push(chunk as Buffer);
  })();
  for (const { name, bytes } of entries) {
    const header = {
      name: safeName(name),
      size: bytes.length,
      mode: 0o644,
      uid: 0,
      gid: 0,
      mtime,
      type: "file" as const,
    };
    await new Promise<void>((resolve, reject) => {
      p.entry(header, Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), (err) =>
        err ? reject(err) : resolve(),
      );
    });
  }
  p.finalize();
  await collected;
  const tar = Buffer.concat(chunks);
  const gz =
    tar.length <= SYNC_GZIP_MAX_BYTES ? gzipSync(tar, { level: 9 }) : await gzipAsync(tar, { level: 9 });
  return new Uint8Array(gz);
}

/**
 * Unpacks a gzip-compressed tar into its files (directory entries are skipped; "./" prefixes removed).
 * @throws StrataError FORMAT_ERROR for data that is not gzip, corrupt gzip or tar, entries over the limits,
 *   unsafe or duplicate names, and links, devices or FIFOs.
 * @example
 * const entries = await unpackTarGz(await readFile("model.tar.gz"));
 */
export async function unpackTarGz(bytes: Uint8Array, options: UnpackTarGzOptions = {}): Promise<TarEntry[]> {
  const maxEntryBytes = options.maxEntryBytes ?? 512 * MIB;
  const maxTotalBytes = options.maxTotalBytes ?? 512 * MIB;
  const maxEntries = options.maxEntries ?? 1000;
  if (bytes.length < 2 || bytes[0] !== 0x1f || bytes[1] !== 0x8b) {
    const found =
      Array.from(bytes.subarray(0, 2), (b) => b.toString(16).padStart(2, "0")).join(" ") || "nothing";
    throw formatError(FORMAT, 0, `not gzip data: found ${found} at offset 0; expected 1f 8b.`);
  }
  // Room for the tar headers and padding around the data (two blocks per entry, plus end blocks).
  const maxTarBytes = maxTotalBytes + 1024 * (maxEntries + 20);
  let tarBytes: Buffer;
  try {
    tarBytes = await gunzipAsync(bytes, { maxOutputLength: maxTarBytes });
  } catch (cause) {
    const tooLarge = (cause as { code?: string }).code === "ERR_BUFFER_TOO_LARGE";
    const why = tooLarge
      ? `decompresses to more than ${maxTarBytes} bytes (maxTotalBytes ${maxTotalBytes})`
      : `corrupt gzip data (${(cause as Error).message})`;
    throw formatError(FORMAT, 0, `${why}.`, { cause });
  }
  const out: TarEntry[] = [];
  const seen = new Set<string>();
  let total = 0;
  let count = 0;
  const ex = extract();
  ex.end(tarBytes);
  try {
    for await (const entry of ex) {
      const { header } = entry;
      if (++count > maxEntries) throw formatError(FORMAT, 0, `more than ${maxEntries} entries (maxEntries).`);
      const name = safeName(header.name);
      if (header.type === "directory") {
        entry.resume();
        continue;
      }
      if (header.type !== "file" && header.type !== "contiguous-file") {
        throw formatError(
          FORMAT,
          0,
          `entry ${JSON.stringify(name)} is a ${header.type}; expected regular files only.`,
        );
      }
      const size = header.size ?? 0;
      if (size > maxEntryBytes || total + size > maxTotalBytes) {
        throw formatError(
          FORMAT,
          0,
          `entry ${JSON.stringify(name)} of ${size} bytes exceeds maxEntryBytes ${maxEntryBytes} or maxTotalBytes ${maxTotalBytes}.`,
        );
      }
      if (name === "" || seen.has(name))
        throw formatError(FORMAT, 0, `entry name ${JSON.stringify(header.name)} is empty or a duplicate.`);
      seen.add(name);
      total += size;
      const chunks: Buffer[] = [];
      for await (const chunk of entry) chunks.push(chunk as Buffer);
      out.push({ name, bytes: new Uint8Array(Buffer.concat(chunks)) });
    }
  } catch (cause) {
    ex.destroy();
    if (isStrataError(cause)) throw cause;
    throw formatError(FORMAT, 0, `corrupt tar data (${(cause as Error).message}).`, { cause });
  }
  return out;
}

/**
 * Reads one model file (default `model_algo-1`) out of a `model.tar.gz`.
 * @throws StrataError FORMAT_ERROR as `unpackTarGz`; ARTIFACT_INVALID when the file is not in the archive.
 * @example
 * const centroids = decodeKMeansArtifactFile(await readModelAlgoFile(tarGz));
 */
export async function readModelAlgoFile(
  tarGz: Uint8Array,
  options: UnpackTarGzOptions & { name?: string } = {},
): Promise<Uint8Array> {
  const name = options.name ?? "model_algo-1";
  const entries = await unpackTarGz(tarGz, options);
  const found = entries.find((e) => e.name === name);
  if (found === undefined) {
    const names = entries.map((e) => e.name).join(", ");
    throw new StrataError("ARTIFACT_INVALID", `model.tar.gz has entries [${names}]; expected ${name}.`, {
      details: { entries: entries.map((e) => e.name), expected: name },
    });
  }
  return found.bytes;
}
