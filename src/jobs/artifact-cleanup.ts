/**
 * Removing what a job that did not complete may have left in its output directory: a model.tar.gz (only
 * possible when the process died between the final write and recording Completed) and, on local disk, temp
 * files of an interrupted atomic write (names with the ObjectStore's temp marker). S3 writes leave no temp
 * objects (one PUT, or a multipart upload that is never completed).
 * @module
 */
import { readdir, rm } from "node:fs/promises";
import { join } from "node:path";
import { TEMP_MARKER } from "../data/sources/atomic-file.js";
import { localPath } from "../data/sources/file.js";
import { resolveStore, uriScheme } from "../data/sources/resolve.js";
import type { NormalizedTrainingJobRequest } from "./request.js";
import { artifactUris } from "./spec.js";

/**
 * Deletes a failed job's model.tar.gz and strata-model.json and local temp files. Errors are returned as
 * text (cleanup must never turn recovery into a failure).
 */
export async function removeIncompleteArtifacts(request: NormalizedTrainingJobRequest): Promise<string[]> {
  const uris = artifactUris(request);
  const problems: string[] = [];
  try {
    const store = resolveStore(uris.model);
    await store.delete(uris.model);
    await store.delete(uris.metadata);
    if (uriScheme(uris.dir) === "file") {
      const dir = localPath(uris.dir);
      const names = await readdir(dir).catch(() => [] as string[]);
      for (const name of names) if (name.includes(TEMP_MARKER)) await rm(join(dir, name), { force: true });
    }
  } catch (error) {
    problems.push(`Could not clean ${uris.dir}: ${(error as Error).message}`);
  }
  return problems;
}
