/**
 * A local file as a stream of byte blocks, decompressed on the fly when it is gzip (its first two bytes are
 * 1f 8b, whatever its name): a 6 GB channel object is read with a few megabytes in memory.
 * @module
 */
import { createReadStream } from "node:fs";
import { open } from "node:fs/promises";
import { pipeline } from "node:stream";
import { createGunzip } from "node:zlib";
import { StrataError } from "../../errors.js";

/** Bytes read per block: large enough that per-block costs vanish, small beside any memory budget. */
export const BLOCK_BYTES = 4 * 1024 * 1024;

/** Whether the file starts with gzip's magic bytes. */
export async function isGzipFile(path: string): Promise<boolean> {
  const handle = await open(path, "r");
  try {
    const head = new Uint8Array(2);
    const { bytesRead } = await handle.read(head, 0, 2, 0);
    return bytesRead === 2 && head[0] === 0x1f && head[1] === 0x8b;
  } finally {
    await handle.close();
  }
}

/** How a file's bytes are read: gunzipped when it looks like gzip (`auto`), always, or never. */
export type Compression = "auto" | "gzip" | "none";

/**
 * The file's bytes, block by block, gunzipped as `compression` says (default: when the file is gzip); at
 * most `maxBytes` of them (after decompression), past which the read stops with INPUT_TOO_LARGE.
 * @throws StrataError INPUT_TOO_LARGE; FORMAT_ERROR when a file read as gzip is not gzip
 */
export async function* fileBlocks(
  path: string,
  options: { readonly compression?: Compression; readonly maxBytes?: number; readonly name?: string } = {},
): AsyncGenerator<Uint8Array> {
  const { compression = "auto", maxBytes = Number.POSITIVE_INFINITY, name = path } = options;
  const raw = createReadStream(path, { highWaterMark: BLOCK_BYTES });
  const gzip = compression === "gzip" || (compression === "auto" && (await isGzipFile(path)));
  // pipeline, not pipe: a read error then ends the gunzip stream with it instead of leaving it waiting.
  const stream = gzip ? pipeline(raw, createGunzip({ chunkSize: BLOCK_BYTES }), () => {}) : raw;
  let total = 0;
  try {
    for await (const block of stream) {
      total += (block as Uint8Array).length;
      if (total > maxBytes)
        throw new StrataError(
          "INPUT_TOO_LARGE",
          `${name} decompresses to more than ${maxBytes} bytes; split it into smaller objects.`,
          { details: { uri: name, limit: maxBytes } },
        );
      yield block as Uint8Array;
    }
  } catch (cause) {
    if (gzip && (cause as { code?: string }).code?.startsWith("Z_"))
      throw new StrataError("FORMAT_ERROR", `${name} is not valid gzip.`, { details: { uri: name }, cause });
    throw cause;
  } finally {
    raw.destroy();
    stream.destroy();
  }
}
