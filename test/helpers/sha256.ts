/**
 * The hash interface @smithy/signature-v4 (the AWS SDKs' signer) takes, over node:crypto (HMAC when given a
 * secret): what the tests sign requests with when they build them by hand.
 * @module
 */
import { createHash, createHmac, type Hash, type Hmac } from "node:crypto";

export class Sha256 {
  #h: Hash | Hmac;
  readonly #secret: Buffer | undefined;
  constructor(secret?: string | ArrayBuffer | ArrayBufferView) {
    this.#secret =
      secret === undefined
        ? undefined
        : typeof secret === "string"
          ? Buffer.from(secret)
          : ArrayBuffer.isView(secret)
            ? Buffer.from(secret.buffer, secret.byteOffset, secret.byteLength)
            : Buffer.from(secret);
    this.#h = this.#fresh();
  }
  #fresh(): Hash | Hmac {
    return this.#secret === undefined ? createHash("sha256") : createHmac("sha256", this.#secret);
  }
  update(data: Uint8Array): void {
    this.#h.update(data);
  }
  async digest(): Promise<Uint8Array> {
    return new Uint8Array(this.#h.digest());
  }
  reset(): void {
    this.#h = this.#fresh();
  }
}
