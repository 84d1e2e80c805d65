/**
 * The download cache for remote sources. `s3://` and `https://` objects are copied once into
 * `$STRATA_HOME/cache` (STRATA_HOME defaults to ~/.strata) under a name built from the object's file name, a
 * hash of its URI and a hash of its ETag, keeping the extension (so the loader still sees ".csv" or
 * ".parquet"). A later fetch asks only for the ETag (HEAD) and reuses the file when it matches; a changed
 * object is downloaded again and the old copy removed. When the remote cannot be reached but an earlier copy
 * of that URI exists, the copy is used and a warning logged. Local paths resolve to themselves.
 * @module
 */
import { createHash } from "node:crypto";
import { readdir, rename, rm, stat } from "node:fs/promises";
import { homedir } from "node:os";
import { basename, extname, join, resolve } from "node:path";
import { isStrataError } from "../errors.js";
import { type Logger, silentLogger } from "../util/logger.js";
import { localPath } from "./sources/file.js";
import type { ObjectStore } from "./sources/object-store.js";
import { isRemote, resolveStore, type StoreOptions } from "./sources/resolve.js";

export interface FetchOptions extends StoreOptions {
  /** Strata's home directory (default $STRATA_HOME, else ~/.strata); the cache is its `cache/` folder. */
  readonly home?: string;
  /** Receives the warning when a stale copy is used. */
  readonly logger?: Logger;
  /** The store to fetch from (default: `resolveStore(uri, options)`). */
  readonly store?: ObjectStore;
}

/** Where a source can be read locally, and how it got there. */
export interface FetchResult {
  readonly uri: string;
  /** Absolute local path to read. */
  readonly path: string;
  /** "local": a local path; "cached": reused (same ETag); "downloaded": fetched now; "stale": remote down. */
  readonly status: "local" | "cached" | "downloaded" | "stale";
  readonly etag: string | undefined;
}

/** The cache directory: `<home>/cache`. */
export function cacheDir(home?: string): string {
  return join(home ?? process.env["STRATA_HOME"] ?? join(homedir(), ".strata"), "cache");
}

function shortHash(s: string): string {
  return createHash("sha256").update(s).digest("hex").slice(0, 12);
}

/** "<stem>-<uri hash>-" : the part of the cache name shared by every version of one URI, and its extension. */
function cacheStem(uri: string): { stem: string; ext: string } {
  const path = uri.replace(/[?#].*$/, "");
  const ext = extname(path).replace(/[^A-Za-z0-9.]/g, "");
  const base =
    basename(path, extname(path))
      .replace(/[^A-Za-z0-9._-]/g, "_")
      .slice(0, 60) || "object";
  return { stem: `${base}-${shortHash(uri)}-`, ext };
}

/** The cache file name of one version of a URI. */
export function cacheFileName(uri: string, etag: string): string {
  const { stem, ext } = cacheStem(uri);
  return `${stem}${shortHash(etag)}${ext}`;
}

async function cachedVersions(dir: string, uri: string): Promise<{ path: string; mtimeMs: number }[]> {
  const { stem, ext } = cacheStem(uri);
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return [];
  }
  const found = [];
  for (const name of names) {
    if (!name.startsWith(stem) || !name.endsWith(ext) || name.startsWith(".")) continue;
    const path = join(dir, name);
    found.push({ path, mtimeMs: (await stat(path)).mtimeMs });
  }
  return found.sort((a, b) => b.mtimeMs - a.mtimeMs);
}

/**
 * A local file for `uri`: the path itself for local sources, else a cached download.
 * @throws SOURCE_NOT_FOUND for a missing local file (naming its absolute path); the store's errors
 * (KEY_NOT_FOUND, BUCKET_NOT_FOUND, SOURCE_UNREACHABLE...) when a remote fetch fails with nothing cached.
 * @example const { path } = await fetchToCache("s3://bucket/data.csv"); // ~/.strata/cache/data-….csv
 */
export async function fetchToCache(uri: string, options: FetchOptions = {}): Promise<FetchResult> {
  const store = options.store ?? resolveStore(uri, options);
  if (!isRemote(uri)) {
    const info = await store.stat(uri);
    return { uri, path: localPath(uri), status: "local", etag: info.etag };
  }
  const dir = resolve(cacheDir(options.home));
  let info: Awaited<ReturnType<ObjectStore["stat"]>>;
  try {
    info = await store.stat(uri);
  } catch (e) {
    const previous = isStrataError(e, "SOURCE_UNREACHABLE") ? (await cachedVersions(dir, uri))[0] : undefined;
    if (previous === undefined) throw e;
    (options.logger ?? silentLogger).log(
      "warn",
      `Could not reach ${uri}; using the copy cached at ${previous.path} (${new Date(previous.mtimeMs).toISOString()}).`,
      { uri, path: previous.path, cause: (e as Error).message },
    );
    return { uri, path: previous.path, status: "stale", etag: undefined };
  }
  // With no version tag the cache cannot tell a changed object from the same one: download every time.
  const version =
    info.etag ?? (info.lastModified ? `${info.size}@${info.lastModified.toISOString()}` : undefined);
  const target = join(dir, cacheFileName(uri, version ?? "unversioned"));
  if (version !== undefined) {
    const existing = await stat(target).catch(() => undefined);
    if (existing?.isFile() && (Number.isNaN(info.size) || existing.size === info.size)) {
      return { uri, path: target, status: "cached", etag: info.etag };
    }
  }
  const got = await store.getToFile(uri, target);
  let path = target;
  if (got.etag !== undefined && got.etag !== info.etag) {
    // The object changed between HEAD and GET: file it under the version actually downloaded.
    path = join(dir, cacheFileName(uri, got.etag));
    await rename(target, path);
  }
  for (const old of await cachedVersions(dir, uri))
    if (old.path !== path) await rm(old.path, { force: true });
  return { uri, path, status: "downloaded", etag: got.etag ?? info.etag };
}
