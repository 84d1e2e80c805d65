/**
 * AWS Signature Version 4 verification (the `Authorization: AWS4-HMAC-SHA256 Credential=…, SignedHeaders=…,
 * Signature=…` header every AWS SDK sends). The server recomputes the signature from the request as received —
 * canonical request (method, URI-escaped path as the SDK escapes it for non-S3 services, sorted query,
 * the signed headers lower-cased with whitespace collapsed, the SHA-256 of the body), string to sign, and
 * the HMAC chain `AWS4<secret> → date → region → service → aws4_request` — and compares in constant time.
 * Any region and service name in the credential scope are accepted (the SDKs sign InvokeEndpoint and the
 * control plane as `sagemaker` with the client's region); the signature still proves the secret. Requests
 * more than 15 minutes from the server clock are refused, as AWS does.
 *
 * This runs on every InvokeEndpoint, and on a 2-core loopback benchmark every microsecond of it costs ~3% of
 * the single-row request rate, so it is written for speed (measured with bench/serve/micro.ts):
 * - the signing key (the 4-step HMAC chain) is derived once per (scope) and cached with its HMAC pad blocks;
 * - the final HMAC is two one-shot `crypto.hash` calls (RFC 2104) over per-scope buffers that already hold
 *   the pad, "AWS4-HMAC-SHA256\n" and the scope, so a request writes only its date and canonical-request
 *   hash into them: no `Buffer.concat`, no Hmac objects, and only hex strings come back from C++ (a Buffer
 *   result costs ~0.5 µs more per call than a hex string);
 * - the parsed SignedHeaders list is cached per distinct value (SDKs send the same list every time), the
 *   last one used checked first with one string comparison; so are the canonical request's first lines
 *   (method, path, query: the same for every request to a route); the date is written into the HMAC buffer
 *   only when it changes.
 * `createHmac` per request measured 2.1 µs per HMAC; this scheme about 0.4 µs. What is left (3.5 µs in
 * micro.ts, ~5.5 µs inside the HTTP server, measured with timers around verify) is mostly the four
 * `crypto.hash` calls (body, canonical request, HMAC inner and outer: ~0.3 µs each warm, ~0.8 µs each in
 * the server, whose other work evicts OpenSSL's code and data from the caches). Tried and dropped: the
 * two HMAC hashes in JavaScript from cached SHA-256 states (compressing only the 3 blocks that change per
 * request): +0.7 µs in micro.ts, no difference in the HTTP benchmark beyond noise (32.7 vs 32.5 µs/request).
 * @module
 */
import { createHmac, hash } from "node:crypto";
import { StrataError } from "../errors.js";

/** The credentials a server accepts. */
export interface ServerCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
}

/** What the verifier needs from a request. */
export interface SignedRequest {
  readonly method: string;
  /** Path and query as received (still percent-encoded). */
  readonly url: string;
  /** Node's lower-cased header map. */
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly body: Uint8Array;
}

const MAX_SKEW_MS = 15 * 60 * 1000;
const AUTH_PREFIX = "AWS4-HMAC-SHA256 ";
/** Values needing the trim-and-collapse rule (most SDK header values need none). */
const SPACES = /^\s|\s$|\s\s|[\t\n\r]/;

function escapeUri(s: string): string {
  return encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** The SDK's canonical path for non-S3 services: dot segments removed, then each byte escaped once more. */
const PLAIN_PATH = /^(\/[A-Za-z0-9_~-][A-Za-z0-9._~-]*)+$/;

function canonicalPath(path: string): string {
  if (path === "/" || path === "") return "/";
  // Fast path: no dot segments, empty segments or bytes that need escaping (every Strata route).
  if (PLAIN_PATH.test(path)) return path;
  const segments: string[] = [];
  for (const seg of path.split("/")) {
    if (seg === "" || seg === ".") continue;
    if (seg === "..") segments.pop();
    else segments.push(seg);
  }
  const normalized = `${path.startsWith("/") ? "/" : ""}${segments.join("/")}${segments.length > 0 && path.endsWith("/") ? "/" : ""}`;
  return escapeUri(normalized).replace(/%2F/g, "/");
}

function canonicalQuery(query: string): string {
  if (query === "") return "";
  const pairs: [string, string][] = [];
  for (const [k, v] of new URLSearchParams(query))
    if (k.toLowerCase() !== "x-amz-signature") pairs.push([escapeUri(k), escapeUri(v)]);
  pairs.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0));
  return pairs.map(([k, v]) => `${k}=${v}`).join("&");
}

function header(headers: SignedRequest["headers"], name: string): string | undefined {
  const v = headers[name];
  return Array.isArray(v) ? v.join(",") : v;
}

/** Parses `20240101T120000Z`; NaN when malformed. */
function parseAmzDate(s: string): number {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(s);
  return m ? Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!) : Number.NaN;
}

const mismatch = () =>
  new StrataError(
    "SIGNATURE_MISMATCH",
    "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method.",
  );

/** True when the 64 characters of `s` from `at` are lower-case hex (what HEX64 matches), without a slice. */
function isLowerHex64At(s: string, at: number): boolean {
  if (at < 0 || s.length - at !== 64) return false;
  for (let i = at; i < at + 64; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || (c > 57 && c < 97) || c > 102) return false;
  }
  return true;
}

/** Compares the hex string `a` with the 64 characters of `s` from `at`, in time independent of where they differ. */
function equalHex64At(a: string, s: string, at: number): boolean {
  if (a.length !== 64 || s.length - at !== 64) return false;
  let diff = 0;
  for (let i = 0; i < 64; i++) diff |= a.charCodeAt(i) ^ s.charCodeAt(at + i);
  return diff === 0;
}

const STRING_TO_SIGN_PREFIX = "AWS4-HMAC-SHA256\n";
/** Length of an ISO basic date-time, `20240101T120000Z` (parseAmzDate accepts nothing else). */
const AMZ_DATE_LENGTH = 16;

/**
 * One credential scope's signing key as HMAC buffers (RFC 2104 with a 32-byte key zero-padded to 64):
 * `inner` = (key ⊕ ipad) ‖ "AWS4-HMAC-SHA256\n" ‖ date ‖ "\n" ‖ scope ‖ "\n" ‖ hex(canonical hash) — the
 * date and hash slots are overwritten per request; `outer` = (key ⊕ opad) ‖ inner digest.
 */
interface ScopeKey {
  readonly inner: Buffer;
  /** The X-Amz-Date now written in the date slot ("" before the first request). */
  date: string;
  readonly outer: Buffer;
  /** Offset of the date slot in `inner`. */
  readonly dateAt: number;
  /** Offset of the canonical-request hash slot in `inner`. */
  readonly hashAt: number;
}

/** What an Authorization value says besides its signature. */
interface ParsedAuthorization {
  readonly headerNames: readonly string[];
  /** The same names, for the per-request check that every `x-amz-*` header present is among them. */
  readonly signed: ReadonlySet<string>;
  /** Per signed header, the canonical line's start: `name:` (the lines are joined by "\n"). */
  readonly linePrefixes: readonly string[];
  /** What follows the last header value: "\n\n" ‖ SignedHeaders ‖ "\n" (the payload hash comes last). */
  readonly linesTail: string;
  /** The scope's date, `YYYYMMDD`. */
  readonly day: string;
  readonly key: ScopeKey;
}

/** A cached Authorization parse and the header text it was parsed from (everything before the signature). */
interface CachedAuthorization {
  /** The Authorization value up to and including ", Signature=". */
  readonly head: string;
  readonly parsed: ParsedAuthorization;
}

const SIGNATURE_SEPARATOR = ", Signature=";
const HEX64 = /^[0-9a-f]{64}$/;

/** The Credential, SignedHeaders and Signature fields of `AWS4-HMAC-SHA256 k=v, k=v, …` (last one wins). */
function splitAuthorization(auth: string): { credential: string; signedHeaders: string; signature: string } {
  let credential = "";
  let signedHeaders = "";
  let signature = "";
  for (const part of auth.slice(AUTH_PREFIX.length).split(",")) {
    const p = part.trim();
    if (p.startsWith("Credential=")) credential = p.slice(11);
    else if (p.startsWith("SignedHeaders=")) signedHeaders = p.slice(14);
    else if (p.startsWith("Signature=")) signature = p.slice(10);
  }
  return { credential, signedHeaders, signature };
}

/** Verifies SigV4-signed requests against one set of credentials. */
export class SigV4Verifier {
  readonly #credentials: ServerCredentials;
  readonly #keys = new Map<string, ScopeKey>();
  /** Parsed Authorization values without their signature (bounded). */
  readonly #authorizations = new Map<string, ParsedAuthorization>();
  /** The Authorization parse used last (see verify). */
  #lastAuthorization: CachedAuthorization | null = null;
  /** The last method and URL seen and their canonical request lines. */
  #lastMethod = "";
  #lastUrl = "";
  #lastRequestLines = "";
  /** The last X-Amz-Date seen and its time (SDK clients send the same one for a second). */
  #lastDate = "";
  #lastTime = Number.NaN;

  constructor(credentials: ServerCredentials) {
    this.#credentials = credentials;
  }

  /**
   * Checks one request.
   * @param now the server clock (tests pass a fixed one)
   * @throws StrataError MISSING_AUTHENTICATION, UNRECOGNIZED_CLIENT, SIGNATURE_MISMATCH, SIGNATURE_EXPIRED
   */
  verify(request: SignedRequest, now = Date.now()): void {
    const headers = request.headers;
    const auth = header(headers, "authorization");
    if (auth === undefined || auth === "")
      throw new StrataError(
        "MISSING_AUTHENTICATION",
        "Missing Authentication Token: sign requests with AWS Signature Version 4.",
      );
    if (!auth.startsWith(AUTH_PREFIX)) throw mismatch();
    // SDKs put the signature last: `…, Signature=<64 hex>`. Everything before it (key id, scope, signed
    // header names) repeats request after request, so its parse is cached under that text: first the last
    // one used, then a small map. A header of another layout takes the general parse; all three give the
    // same result for the same header. The signature is read in place (auth from sigAt), or from the general
    // parse. Why the last-used check: Node hands every request a new header string, so a map lookup hashes
    // ~250 characters each time, and `startsWith` compares them one by one; a slice compared with `===`
    // is one memcmp. bench/serve/micro.ts, with flat header strings as Node's parser makes them: verify
    // 4.27 -> 3.47 µs (map lookup and `HEX64` on a slice replaced; `startsWith` instead gave 4.15).
    const sigAt = auth.length - 64;
    let parsed: ParsedAuthorization;
    let signature = auth;
    let signatureAt = sigAt;
    const last = this.#lastAuthorization;
    if (
      last !== null &&
      last.head.length === sigAt &&
      auth.slice(0, sigAt) === last.head &&
      isLowerHex64At(auth, sigAt)
    ) {
      parsed = last.parsed;
    } else if (
      sigAt > SIGNATURE_SEPARATOR.length &&
      auth.startsWith(SIGNATURE_SEPARATOR, sigAt - SIGNATURE_SEPARATOR.length) &&
      isLowerHex64At(auth, sigAt)
    ) {
      const prefix = auth.slice(0, sigAt - SIGNATURE_SEPARATOR.length);
      let cached = this.#authorizations.get(prefix);
      if (cached === undefined) {
        cached = this.#parseAuthorization(prefix);
        if (this.#authorizations.size >= 64) this.#authorizations.clear();
        this.#authorizations.set(prefix, cached);
      }
      parsed = cached;
      this.#lastAuthorization = { head: auth.slice(0, sigAt), parsed };
    } else {
      signature = splitAuthorization(auth).signature;
      signatureAt = 0;
      if (!HEX64.test(signature)) throw mismatch();
      parsed = this.#parseAuthorization(auth);
    }
    const amzDate = header(headers, "x-amz-date") ?? "";
    let time = this.#lastTime;
    if (amzDate !== this.#lastDate) {
      time = parseAmzDate(amzDate);
      this.#lastDate = amzDate;
      this.#lastTime = time;
    }
    if (Number.isNaN(time) || !amzDate.startsWith(parsed.day)) throw mismatch();
    if (Math.abs(now - time) > MAX_SKEW_MS) {
      const fmt = (t: number) => new Date(t).toISOString().replace(/[-:]|\.\d{3}/g, "");
      throw new StrataError(
        "SIGNATURE_EXPIRED",
        `Signature expired: ${amzDate} is now earlier than ${fmt(now - MAX_SKEW_MS)} (${fmt(now)} - 15 min.)`,
        { details: { amzDate } },
      );
    }
    // The canonical request's first three lines depend on the method and URL alone (the same every request
    // to one route), so the last ones are kept.
    const method = request.method;
    const url = request.url;
    let canonical = this.#lastRequestLines;
    if (url !== this.#lastUrl || method !== this.#lastMethod) {
      const q = url.indexOf("?");
      const path = q < 0 ? url : url.slice(0, q);
      const query = q < 0 ? "" : url.slice(q + 1);
      canonical = `${method}\n${canonicalPath(path)}\n${canonicalQuery(query)}\n`;
      this.#lastUrl = url;
      this.#lastMethod = method;
      this.#lastRequestLines = canonical;
    }
    // As AWS: a header the signature does not cover could be swapped by whoever replays the request
    // (X-Amz-Target: another action), so every x-amz-* header sent must be signed.
    for (const name in headers)
      if (name.startsWith("x-amz-") && !parsed.signed.has(name) && headers[name] !== undefined)
        throw new StrataError(
          "SIGNATURE_MISMATCH",
          `The request has headers that were not signed: ${name}. Sign host and every x-amz-* header.`,
          { details: { header: name } },
        );
    const names = parsed.headerNames;
    const prefixes = parsed.linePrefixes;
    for (let i = 0; i < names.length; i++) {
      const value = header(headers, names[i]!);
      if (value === undefined) throw mismatch();
      canonical += prefixes[i]! + (SPACES.test(value) ? value.trim().replace(/\s+/g, " ") : value);
    }
    // The body is always hashed: a claimed x-amz-content-sha256 must match the bytes received.
    const bodyHash = hash("sha256", request.body, "hex");
    const claimed = header(headers, "x-amz-content-sha256");
    if (claimed === "UNSIGNED-PAYLOAD")
      throw new StrataError(
        "SIGNATURE_MISMATCH",
        "X-Amz-Content-Sha256: UNSIGNED-PAYLOAD is not accepted by these services: the signature must cover the body.",
      );
    if (claimed !== undefined && claimed !== bodyHash) throw mismatch();
    canonical += parsed.linesTail + (claimed ?? bodyHash);
    const key = parsed.key;
    if (key.date !== amzDate) {
      key.inner.write(amzDate, key.dateAt, AMZ_DATE_LENGTH, "latin1");
      key.date = amzDate;
    }
    key.inner.write(hash("sha256", canonical, "hex"), key.hashAt, 64, "latin1");
    key.outer.write(hash("sha256", key.inner, "hex"), 64, 32, "hex");
    if (!equalHex64At(hash("sha256", key.outer, "hex"), signature, signatureAt)) throw mismatch();
  }

  /**
   * Credential scope and signed headers of an Authorization value (the signature is checked by the caller).
   * @throws StrataError SIGNATURE_MISMATCH (malformed), UNRECOGNIZED_CLIENT (another access key id)
   */
  #parseAuthorization(auth: string): ParsedAuthorization {
    const { credential, signedHeaders } = splitAuthorization(auth);
    const scopeParts = credential.split("/");
    if (scopeParts.length !== 5 || scopeParts[4] !== "aws4_request" || signedHeaders === "") throw mismatch();
    const [accessKeyId, day, region, service] = scopeParts as [string, string, string, string];
    if (accessKeyId !== this.#credentials.accessKeyId)
      throw new StrataError(
        "UNRECOGNIZED_CLIENT",
        "The security token included in the request is invalid: unknown access key id.",
        {
          details: { accessKeyId },
        },
      );
    const headerNames = signedHeaders.split(";");
    if (!headerNames.includes("host"))
      throw new StrataError(
        "SIGNATURE_MISMATCH",
        "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.",
      );
    return {
      headerNames,
      signed: new Set(headerNames),
      linePrefixes: headerNames.map((name, i) => `${i === 0 ? "" : "\n"}${name}:`),
      linesTail: `\n\n${signedHeaders}\n`,
      day,
      key: this.#scopeKey(day, region, service),
    };
  }

  /** The cached HMAC buffers of one scope's signing key (derived with the 4-step chain on first use). */
  #scopeKey(day: string, region: string, service: string): ScopeKey {
    const scope = `${day}/${region}/${service}/aws4_request`;
    let key = this.#keys.get(scope);
    if (key === undefined) {
      const h = (k: string | Buffer, data: string) => createHmac("sha256", k).update(data).digest();
      const signingKey = h(
        h(h(h(`AWS4${this.#credentials.secretAccessKey}`, day), region), service),
        "aws4_request",
      );
      const tail = Buffer.from(`${STRING_TO_SIGN_PREFIX}${"0".repeat(AMZ_DATE_LENGTH)}\n${scope}\n`, "utf8");
      const inner = Buffer.alloc(64 + tail.length + 64, 0);
      const outer = Buffer.alloc(64 + 32, 0);
      inner.fill(0x36, 0, 64);
      outer.fill(0x5c, 0, 64);
      for (let i = 0; i < signingKey.length; i++) {
        inner[i]! ^= signingKey[i]!;
        outer[i]! ^= signingKey[i]!;
      }
      tail.copy(inner, 64);
      key = { inner, date: "", outer, dateAt: 64 + STRING_TO_SIGN_PREFIX.length, hashAt: 64 + tail.length };
      if (this.#keys.size >= 64) this.#keys.clear();
      this.#keys.set(scope, key);
    }
    return key;
  }
}
