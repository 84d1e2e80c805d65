/**
 * Picks the ObjectStore for a URI by its scheme: `s3://` -> S3Store (loaded on first use), `https://` / `http://` -> HttpsStore,
 * `file://` and plain paths -> FileStore. Default stores are created once per process (so one S3 client and
 * its connection pool are reused); pass options to get a store configured differently.
 * @module
 */
import { quote, StrataError } from "../../errors.js";
import { FileStore } from "./file.js";
import { HttpsStore, type HttpsStoreOptions } from "./https.js";
import { LazyS3Store } from "./lazy-s3.js";
import type { ObjectStore } from "./object-store.js";
import type { S3StoreOptions } from "./s3.js";

/** Per-scheme store options for `resolveStore`. */
export interface StoreOptions {
  readonly s3?: S3StoreOptions;
  readonly https?: HttpsStoreOptions;
}

export type UriScheme = "file" | "s3" | "https";

/**
 * The scheme family of a URI or path. Windows drive paths ("C:\\data.csv") and paths without a scheme are
 * "file".
 * @throws UNSUPPORTED_SOURCE for any other scheme.
 */
export function uriScheme(uri: string): UriScheme {
  const m = /^([a-zA-Z][a-zA-Z0-9+.-]+):/.exec(uri);
  if (!m) return "file";
  const scheme = m[1]!.toLowerCase();
  if (scheme === "file") return "file";
  if (scheme === "s3") return "s3";
  if (scheme === "https" || scheme === "http") return "https";
  throw new StrataError(
    "UNSUPPORTED_SOURCE",
    `Unsupported source scheme ${quote(`${scheme}:`)} in ${quote(uri)}: expected a local path, file://, s3:// or https://.`,
    { details: { uri, scheme } },
  );
}

/** True for sources that live on another machine (s3://, https://). */
export function isRemote(uri: string): boolean {
  return uriScheme(uri) !== "file";
}

const defaults: { file?: FileStore; s3?: LazyS3Store; https?: HttpsStore } = {};

/**
 * The store that serves `uri`.
 * @example await resolveStore("s3://bucket/data.csv").stat("s3://bucket/data.csv")
 */
export function resolveStore(uri: string, options: StoreOptions = {}): ObjectStore {
  const scheme = uriScheme(uri);
  switch (scheme) {
    case "file":
      defaults.file ??= new FileStore();
      return defaults.file;
    case "s3":
      if (options.s3) return new LazyS3Store(options.s3);
      defaults.s3 ??= new LazyS3Store();
      return defaults.s3;
    case "https":
      if (options.https) return new HttpsStore(options.https);
      defaults.https ??= new HttpsStore();
      return defaults.https;
  }
}
