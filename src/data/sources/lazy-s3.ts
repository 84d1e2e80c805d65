/**
 * An S3 store that loads the AWS SDK on first use. Importing @aws-sdk/client-s3 costs about a quarter of a
 * second, which every `strata` process and every training worker would pay even when it only reads local
 * files; behind this wrapper only the processes that touch s3:// pay it.
 * @module
 */
import type { ObjectInfo, ObjectStore, PutBody, PutOptions } from "./object-store.js";
import type { S3StoreOptions } from "./s3.js";

export class LazyS3Store implements ObjectStore {
  readonly scheme = "s3" as const;
  readonly #options: S3StoreOptions | undefined;
  #store: Promise<ObjectStore> | undefined;

  constructor(options?: S3StoreOptions) {
    this.#options = options;
  }

  #get(): Promise<ObjectStore> {
    this.#store ??= import("./s3.js").then((m) => new m.S3Store(this.#options));
    return this.#store;
  }

  async stat(uri: string): Promise<ObjectInfo> {
    return (await this.#get()).stat(uri);
  }
  async getBytes(uri: string): Promise<Uint8Array> {
    return (await this.#get()).getBytes(uri);
  }
  async getToFile(uri: string, localPath: string): Promise<ObjectInfo> {
    return (await this.#get()).getToFile(uri, localPath);
  }
  async put(uri: string, body: PutBody, options?: PutOptions): Promise<ObjectInfo> {
    return (await this.#get()).put(uri, body, options);
  }
  async list(prefixUri: string): Promise<ObjectInfo[]> {
    return (await this.#get()).list(prefixUri);
  }
  async delete(uri: string): Promise<void> {
    return (await this.#get()).delete(uri);
  }
}
