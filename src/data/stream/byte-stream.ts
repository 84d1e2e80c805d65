/**
 * A local file as a stream of byte blocks, decompressed on the fly when it is gzip (its first two bytes are
 * 1f 8b, whatever its name): a 6 GB channel object is read with a few megabytes in memory.
 * @module
 */
import { createReadStream } from "node:fs";
import { open } from "node:fs/promises";
import { pipeline } from "node:stream";
import { createGunzip } from "node:zlib";

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

/** The file's bytes, block by block, gunzipped when the file is gzip. */
export async function* fileBlocks(path: string): AsyncGenerator<Uint8Array> {
  const raw = createReadStream(path, { highWaterMark: BLOCK_BYTES });
  // pipeline, not pipe: a read error then ends the gunzip stream with it instead of leaving it waiting.
  const stream = (await isGzipFile(path))
    ? pipeline(raw, createGunzip({ chunkSize: BLOCK_BYTES }), () => {})
    : raw;
  try {
    for await (const block of stream) yield block as Uint8Array;
  } finally {
    raw.destroy();
  }
}
