/**
 * The read-only HTTP(S) ObjectStore: HEAD for size/ETag, GET streamed to a temp file. There is no listing or
 * writing over plain HTTP, so `put`, `list` and `delete` raise UNSUPPORTED_SOURCE. The connect phase (up to
 * the response headers) has a short timeout so an offline machine fails fast.
 * @module
 */
import { resolve } from "node:path";
import { Readable } from "node:stream";
import type { ReadableStream as NodeReadableStream } from "node:stream/web";
import { StrataError } from "../../errors.js";
import { streamToFileAtomically } from "./atomic-file.js";
import type { ObjectInfo, ObjectStore } from "./object-store.js";
import { networkErrorCode, OFFLINE_HINT } from "./s3-errors.js";

export interface HttpsStoreOptions {
  /** Time allowed until the response headers arrive (default 5000 ms). */
  readonly connectTimeoutMs?: number;
  /** "follow" (default) or "error": a server reading for others follows no redirect it did not check. */
  readonly redirect?: "follow" | "error";
}

/** ObjectStore over https:// (and http://) URLs, read-only. */
export class HttpsStore implements ObjectStore {
  readonly scheme = "https";
  readonly #timeoutMs: number;
  readonly #redirect: "follow" | "error";

  constructor(options: HttpsStoreOptions = {}) {
    this.#timeoutMs = options.connectTimeoutMs ?? 5000;
    this.#redirect = options.redirect ?? "follow";
  }

  async #request(uri: string, method: "HEAD" | "GET"): Promise<Response> {
    const ctl = new AbortController();
    const timer = setTimeout(() => ctl.abort(new Error("timeout")), this.#timeoutMs);
    let res: Response;
    try {
      res = await fetch(uri, { method, signal: ctl.signal, redirect: this.#redirect });
    } catch (e) {
      const code =
        networkErrorCode(e) ?? (ctl.signal.aborted ? "timeout" : ((e as Error).message ?? "error"));
      throw new StrataError("SOURCE_UNREACHABLE", `Could not reach ${uri} (${code}). ${OFFLINE_HINT}`, {
        details: { uri, networkError: code },
        cause: e,
      });
    } finally {
      clearTimeout(timer);
    }
    if (res.ok) return res;
    const details = { uri, status: res.status };
    if (res.status === 404 || res.status === 410) {
      throw new StrataError("SOURCE_NOT_FOUND", `${uri} does not exist (HTTP ${res.status}).`, { details });
    }
    if (res.status === 401 || res.status === 403) {
      throw new StrataError("SOURCE_ACCESS_DENIED", `${uri} refused access (HTTP ${res.status}).`, {
        details,
      });
    }
    throw new StrataError("SOURCE_UNREACHABLE", `${uri} answered HTTP ${res.status}. ${OFFLINE_HINT}`, {
      details,
    });
  }

  #info(uri: string, res: Response): ObjectInfo {
    const len = res.headers.get("content-length");
    const lm = res.headers.get("last-modified");
    return {
      uri,
      size: len === null ? Number.NaN : Number(len),
      etag: res.headers.get("etag") ?? undefined,
      lastModified: lm === null ? undefined : new Date(lm),
    };
  }

  async stat(uri: string): Promise<ObjectInfo> {
    return this.#info(uri, await this.#request(uri, "HEAD"));
  }

  async getBytes(uri: string): Promise<Uint8Array> {
    const res = await this.#request(uri, "GET");
    return new Uint8Array(await res.arrayBuffer());
  }

  async getToFile(uri: string, localPath: string): Promise<ObjectInfo> {
    const res = await this.#request(uri, "GET");
    if (res.body === null)
      throw new StrataError("SOURCE_UNREACHABLE", `${uri} sent no body.`, { details: { uri } });
    await streamToFileAtomically(
      Readable.fromWeb(res.body as NodeReadableStream<Uint8Array>),
      resolve(localPath),
    );
    return this.#info(uri, res);
  }

  #readOnly(op: string, uri: string): never {
    throw new StrataError("UNSUPPORTED_SOURCE", `Cannot ${op} ${uri}: https:// sources are read-only.`, {
      details: { uri },
    });
  }

  async put(uri: string): Promise<ObjectInfo> {
    this.#readOnly("write", uri);
  }

  async list(prefixUri: string): Promise<ObjectInfo[]> {
    this.#readOnly("list", prefixUri);
  }

  async delete(uri: string): Promise<void> {
    this.#readOnly("delete", uri);
  }
}
