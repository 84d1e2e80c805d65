/**
 * The S3 ObjectStore (AWS SDK v3): `s3://bucket/key` URIs on AWS or any S3-compatible server. Small writes
 * are one PutObject; writes above `multipartThresholdBytes` (default 8 MiB) use lib-storage's multipart
 * `Upload`, which S3 makes visible only when the upload completes, so both are atomic. Downloads stream to
 * a temp file and are renamed into place. Errors name the bucket, key and endpoint (see s3-errors.ts).
 * @module
 */
import { createReadStream } from "node:fs";
import { stat as fsStat, readFile } from "node:fs/promises";
import { resolve } from "node:path";
import type { Readable } from "node:stream";
import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  type S3Client,
} from "@aws-sdk/client-s3";
import { Upload } from "@aws-sdk/lib-storage";
import { StrataError } from "../../errors.js";
import { streamToFileAtomically } from "./atomic-file.js";
import type { ObjectInfo, ObjectStore, PutBody, PutOptions } from "./object-store.js";
import { createS3Client, type ResolvedS3Config, type S3ClientOptions } from "./s3-client.js";
import { mapS3Error } from "./s3-errors.js";

const MiB = 1024 * 1024;

/** S3 store options: client settings plus the multipart policy. */
export interface S3StoreOptions extends S3ClientOptions {
  /** Bodies larger than this use a multipart upload (default 8 MiB). */
  readonly multipartThresholdBytes?: number;
  /** Part size for multipart uploads (default 8 MiB; S3's minimum is 5 MiB). */
  readonly partSizeBytes?: number;
  /** Use this client instead of creating one (the other client options are then ignored). */
  readonly client?: S3Client;
}

/** The bucket and key of an `s3://bucket/key` URI. @throws UNSUPPORTED_SOURCE for anything else. */
export function parseS3Uri(uri: string): { bucket: string; key: string } {
  const m = /^s3:\/\/([^/]+)\/?(.*)$/.exec(uri);
  if (!m) {
    throw new StrataError(
      "UNSUPPORTED_SOURCE",
      `${JSON.stringify(uri)} is not an S3 URI: expected s3://bucket/key.`,
      {
        details: { uri },
      },
    );
  }
  return { bucket: m[1]!, key: m[2]! };
}

/** ObjectStore over S3 (or an S3-compatible server). */
export class S3Store implements ObjectStore {
  readonly scheme = "s3";
  readonly client: S3Client;
  readonly config: ResolvedS3Config;
  readonly #threshold: number;
  readonly #partSize: number;

  constructor(options: S3StoreOptions = {}) {
    const created = createS3Client(options);
    this.client = options.client ?? created.client;
    this.config = created.config;
    this.#threshold = options.multipartThresholdBytes ?? 8 * MiB;
    this.#partSize = Math.max(5 * MiB, options.partSizeBytes ?? 8 * MiB);
  }

  #fail(e: unknown, op: string, bucket: string, key?: string): StrataError {
    return mapS3Error(e, {
      op,
      bucket,
      endpoint: this.config.endpointLabel,
      ...(key === undefined ? {} : { key }),
    });
  }

  /** HeadObject answers a bare 404 for both a missing key and a missing bucket: ask HeadBucket which. */
  async #notFoundOrMissingBucket(e: unknown, op: string, bucket: string, key: string): Promise<StrataError> {
    const mapped = this.#fail(e, op, bucket, key);
    if (mapped.code !== "KEY_NOT_FOUND") return mapped;
    try {
      await this.client.send(new HeadBucketCommand({ Bucket: bucket }));
      return mapped;
    } catch (e2) {
      const b = this.#fail(e2, op, bucket, key);
      if (b.code !== "KEY_NOT_FOUND") return b;
      return this.#fail(Object.assign(new Error("NoSuchBucket"), { name: "NoSuchBucket" }), op, bucket, key);
    }
  }

  async stat(uri: string): Promise<ObjectInfo> {
    const { bucket, key } = parseS3Uri(uri);
    try {
      const r = await this.client.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
      return { uri, size: r.ContentLength ?? 0, etag: r.ETag, lastModified: r.LastModified };
    } catch (e) {
      throw await this.#notFoundOrMissingBucket(e, "read", bucket, key);
    }
  }

  async #get(uri: string): Promise<{ body: Readable; info: ObjectInfo }> {
    const { bucket, key } = parseS3Uri(uri);
    try {
      const r = await this.client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
      return {
        body: r.Body as Readable,
        info: { uri, size: r.ContentLength ?? 0, etag: r.ETag, lastModified: r.LastModified },
      };
    } catch (e) {
      throw this.#fail(e, "read", bucket, key);
    }
  }

  async getBytes(uri: string): Promise<Uint8Array> {
    const { body } = await this.#get(uri);
    const { bucket, key } = parseS3Uri(uri);
    try {
      const chunks: Buffer[] = [];
      for await (const c of body) chunks.push(c as Buffer);
      return new Uint8Array(Buffer.concat(chunks));
    } catch (e) {
      throw this.#fail(e, "read", bucket, key);
    }
  }

  async getToFile(uri: string, localPath: string): Promise<ObjectInfo> {
    const { body, info } = await this.#get(uri);
    const { bucket, key } = parseS3Uri(uri);
    try {
      await streamToFileAtomically(body, resolve(localPath));
    } catch (e) {
      throw this.#fail(e, "read", bucket, key);
    }
    return info;
  }

  async put(uri: string, body: PutBody, options: PutOptions = {}): Promise<ObjectInfo> {
    const { bucket, key } = parseS3Uri(uri);
    const size = body instanceof Uint8Array ? body.byteLength : (await fsStat(body.file)).size;
    const common = {
      Bucket: bucket,
      Key: key,
      ...(options.contentType ? { ContentType: options.contentType } : {}),
    };
    try {
      if (size <= this.#threshold) {
        const bytes = body instanceof Uint8Array ? body : new Uint8Array(await readFile(body.file));
        await this.client.send(new PutObjectCommand({ ...common, Body: bytes, ContentLength: size }));
      } else {
        const data = body instanceof Uint8Array ? body : createReadStream(body.file);
        await new Upload({
          client: this.client,
          params: { ...common, Body: data },
          partSize: this.#partSize,
        }).done();
      }
    } catch (e) {
      throw this.#fail(e, "write", bucket, key);
    }
    return this.stat(uri);
  }

  async list(prefixUri: string): Promise<ObjectInfo[]> {
    const { bucket, key: prefix } = parseS3Uri(prefixUri);
    const out: ObjectInfo[] = [];
    let token: string | undefined;
    try {
      do {
        const r = await this.client.send(
          new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }),
        );
        for (const o of r.Contents ?? []) {
          out.push({
            uri: `s3://${bucket}/${o.Key}`,
            size: o.Size ?? 0,
            etag: o.ETag,
            lastModified: o.LastModified,
          });
        }
        token = r.IsTruncated ? r.NextContinuationToken : undefined;
      } while (token !== undefined);
    } catch (e) {
      throw this.#fail(e, "list", bucket, prefix);
    }
    return out.sort((a, b) => (a.uri < b.uri ? -1 : a.uri > b.uri ? 1 : 0));
  }

  async delete(uri: string): Promise<void> {
    const { bucket, key } = parseS3Uri(uri);
    try {
      await this.client.send(new DeleteObjectCommand({ Bucket: bucket, Key: key }));
    } catch (e) {
      throw this.#fail(e, "delete", bucket, key);
    }
  }
}
