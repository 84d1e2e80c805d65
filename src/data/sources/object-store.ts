/**
 * The one interface every object location implements: local paths and `file://` URIs, `s3://` buckets (AWS
 * or any S3-compatible server) and read-only `https://` URLs. Data loading uses it to fetch sources; training
 * jobs use it to write and read artifacts. Writes are atomic: a reader sees the old object or the new one,
 * never a partial one (temp file + rename on disk; one PUT or a completed multipart upload on S3).
 * @module
 */

/** What a store knows about one object. */
export interface ObjectInfo {
  /** The object's URI, in the same form (path, file:// or s3://) the caller used. */
  readonly uri: string;
  /** Size in bytes. */
  readonly size: number;
  /** An opaque version tag that changes whenever the content does (S3 ETag; size/mtime/inode on disk). */
  readonly etag: string | undefined;
  readonly lastModified: Date | undefined;
}

/** Content to write: bytes in memory, or a local file streamed from disk. */
export type PutBody = Uint8Array | { readonly file: string };

export interface PutOptions {
  /** MIME type stored with the object where the store supports it (S3). */
  readonly contentType?: string;
}

/** A place objects live. All URIs passed to one store use its scheme. */
export interface ObjectStore {
  /** "file", "s3" or "https". */
  readonly scheme: string;
  /**
   * Size, version tag and modification time of one object.
   * @throws SOURCE_NOT_FOUND (file, https) or KEY_NOT_FOUND / BUCKET_NOT_FOUND (s3); SOURCE_UNREACHABLE.
   */
  stat(uri: string): Promise<ObjectInfo>;
  /** The whole object in memory. Same errors as `stat`. */
  getBytes(uri: string): Promise<Uint8Array>;
  /** Streams the object to `localPath` (temp file + rename, parent directories created). */
  getToFile(uri: string, localPath: string): Promise<ObjectInfo>;
  /** Writes an object atomically and returns its new info. @throws OUTPUT_NOT_WRITABLE, BUCKET_NOT_FOUND */
  put(uri: string, body: PutBody, options?: PutOptions): Promise<ObjectInfo>;
  /** Every object whose URI starts with `prefixUri` (recursive, sorted by URI). */
  list(prefixUri: string): Promise<ObjectInfo[]>;
  /** Removes an object; removing one that does not exist is not an error (as on S3). */
  delete(uri: string): Promise<void>;
}
