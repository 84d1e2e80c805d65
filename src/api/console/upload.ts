/**
 * Console uploads: a table (or a model.tar.gz to inspect) sent as the raw body of `PUT /console/api/uploads?name=<file name>`, streamed to
 * `$STRATA_HOME/uploads/<random id>/<name>` — never held in memory — under a size cap. The file is written
 * as `<name>.part` and renamed when complete, so a run never sees half a file; a body over the cap (by its
 * Content-Length, or by what arrives) is refused with 413 and whatever arrived is deleted.
 * @module
 */
import { randomUUID } from "node:crypto";
import { createWriteStream } from "node:fs";
import { mkdir, rename, rm } from "node:fs/promises";
import { join } from "node:path";
import type { FastifyRequest } from "fastify";
import { StrataError } from "../../errors.js";
import { groupDigits } from "../../util/group-digits.js";

/** The default cap on one upload: 1 GiB. */
export const DEFAULT_UPLOAD_LIMIT = 1024 ** 3;

/** File endings a run reads (data/table-format.ts), with an optional .gz, and model artifacts (.tar.gz). */
const UPLOAD_NAME =
  /^[A-Za-z0-9][A-Za-z0-9 ._()-]{0,120}\.(csv|tsv|txt|parquet|json|jsonl|ndjson|tar)(\.gz)?$/i;

export interface UploadedFile {
  readonly path: string;
  readonly name: string;
  readonly bytes: number;
}

function tooLarge(limit: number): StrataError {
  return new StrataError(
    "UPLOAD_TOO_LARGE",
    `The upload is larger than this server's limit of ${groupDigits(limit)} bytes (strata serve --upload-limit).`,
    { details: { limit } },
  );
}

/** The upload's file name, checked: a table's or an artifact's, no path. @throws StrataError INVALID_ARGUMENT */
export function uploadName(raw: unknown): string {
  const name = typeof raw === "string" ? raw.trim() : "";
  if (!UPLOAD_NAME.test(name) || name.includes(".."))
    throw new StrataError(
      "INVALID_ARGUMENT",
      "name= must be a table's or a model artifact's file name (letters, digits, spaces, . _ - ( ); ending .csv, .tsv, .txt, .parquet, .json, .jsonl or .ndjson, optionally .gz, or .tar.gz), without a path.",
      { details: { name } },
    );
  return name;
}

/**
 * Streams the request's body into a new upload directory under `uploadsDir`.
 * @throws StrataError UPLOAD_TOO_LARGE (nothing kept), INVALID_ARGUMENT for a bad name
 */
export async function receiveUpload(
  request: FastifyRequest,
  uploadsDir: string,
  limit: number,
): Promise<UploadedFile> {
  const name = uploadName((request.query as Record<string, unknown>)["name"]);
  const declared = Number(request.headers["content-length"] ?? Number.NaN);
  if (declared > limit) throw tooLarge(limit);
  const dir = join(uploadsDir, randomUUID());
  await mkdir(dir, { recursive: true });
  const part = join(dir, `${name}.part`);
  const out = createWriteStream(part, { flags: "wx", mode: 0o600 });
  let bytes = 0;
  try {
    await new Promise<void>((resolve, reject) => {
      const body = request.raw;
      out.on("error", reject);
      body.on("error", reject);
      body.on("data", (chunk: Buffer) => {
        bytes += chunk.length;
        if (bytes > limit) {
          // Paused, not destroyed: the 413 can still be written on this connection, which then closes.
          body.pause();
          body.removeAllListeners("data");
          reject(tooLarge(limit));
          return;
        }
        if (!out.write(chunk)) {
          body.pause();
          out.once("drain", () => body.resume());
        }
      });
      body.on("end", () => out.end(() => resolve()));
    });
    const path = join(dir, name);
    await rename(part, path);
    return { path, name, bytes };
  } catch (error) {
    out.destroy();
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
}
