/**
 * Atomic local writes: content goes to a temp file beside the target and is renamed over it only once it is
 * complete, so a crash or a failed download leaves the old file (or none), never half a file. Temp names
 * carry a fixed marker so listings can skip them.
 * @module
 */
import { randomBytes } from "node:crypto";
import { createWriteStream } from "node:fs";
import { mkdir, rename, rm, writeFile } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import type { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { StrataError } from "../../errors.js";

/** Marker in the name of every in-progress temp file. */
export const TEMP_MARKER = ".strata-tmp-";

/** A fresh temp path in the same directory as `target` (same file system, so rename is atomic). */
export function tempPathFor(target: string): string {
  return join(
    dirname(target),
    `.${basename(target)}${TEMP_MARKER}${process.pid}-${randomBytes(4).toString("hex")}`,
  );
}

/**
 * Runs `write(tempPath)` and renames the result onto `target`; removes the temp file if anything fails.
 * Parent directories are created.
 */
export async function writeAtomically(
  target: string,
  write: (tempPath: string) => Promise<void>,
): Promise<void> {
  await mkdir(dirname(target), { recursive: true });
  const tmp = tempPathFor(target);
  try {
    await write(tmp);
    await rename(tmp, target);
  } catch (e) {
    await rm(tmp, { force: true });
    throw e;
  }
}

/** Streams `source` into `target` atomically. */
export async function streamToFileAtomically(
  source: Readable | AsyncIterable<Uint8Array>,
  target: string,
): Promise<void> {
  await writeAtomically(target, async (tmp) => {
    await pipeline(source, createWriteStream(tmp));
  });
}

/**
 * Writes `contents` to `path` atomically (a temp file in the same directory, then rename): a reader sees the
 * old file or the new one, never half of one.
 * @throws StrataError OUTPUT_NOT_WRITABLE naming the path
 */
export async function writeFileAtomic(path: string, contents: string | Uint8Array): Promise<void> {
  try {
    await writeAtomically(path, (tmp) => writeFile(tmp, contents));
  } catch (cause) {
    throw new StrataError("OUTPUT_NOT_WRITABLE", `Could not write ${path}: ${(cause as Error).message}.`, {
      details: { path },
      cause,
    });
  }
}
