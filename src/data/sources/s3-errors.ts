/**
 * Turns AWS SDK and network failures into Strata errors that name the bucket, key or endpoint involved and
 * say what to do next: NoSuchBucket -> BUCKET_NOT_FOUND, NoSuchKey / 404 -> KEY_NOT_FOUND, 401/403 ->
 * SOURCE_ACCESS_DENIED, other 4xx (e.g. InvalidBucketName) -> INVALID_ARGUMENT, and connection failures
 * (refused, DNS, timeouts) or 5xx answers -> SOURCE_UNREACHABLE.
 * @module
 */
import { StrataError } from "../../errors.js";

/** What the failed request was about. */
export interface S3ErrorContext {
  /** A verb for the message: "read", "write", "list", "delete". */
  readonly op: string;
  readonly bucket: string;
  readonly key?: string;
  /** Where requests were sent. */
  readonly endpoint: string;
}

const NETWORK_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ENOTFOUND",
  "EAI_AGAIN",
  "ETIMEDOUT",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "ENETDOWN",
  "EPIPE",
  "ECONNABORTED",
  "UND_ERR_CONNECT_TIMEOUT",
]);
const TIMEOUT_NAMES = new Set(["TimeoutError", "RequestTimeout", "RequestTimeoutException", "AbortError"]);

/** The hint every "could not reach" message ends with. */
export const OFFLINE_HINT = "To use a local copy instead, pass --data <path> or set STRATA_CENSUS_CSV.";

interface SdkLikeError {
  name?: string;
  code?: string;
  message?: string;
  $metadata?: { httpStatusCode?: number };
  cause?: unknown;
}

/** The network error code (ECONNREFUSED, ENOTFOUND, ...) of an error or its causes, if any. */
export function networkErrorCode(e: unknown): string | undefined {
  for (let cur = e as SdkLikeError | undefined, depth = 0; cur && depth < 5; depth++) {
    if (typeof cur.code === "string" && NETWORK_CODES.has(cur.code)) return cur.code;
    if (typeof cur.name === "string" && TIMEOUT_NAMES.has(cur.name)) return "timeout";
    cur = cur.cause as SdkLikeError | undefined;
  }
  return undefined;
}

/** Maps any failure of an S3 request to a StrataError (StrataErrors pass through unchanged). */
export function mapS3Error(e: unknown, ctx: S3ErrorContext): StrataError {
  if (e instanceof StrataError) return e;
  const err = (e ?? {}) as SdkLikeError;
  const status = err.$metadata?.httpStatusCode;
  const target = ctx.key === undefined ? `s3://${ctx.bucket}/` : `s3://${ctx.bucket}/${ctx.key}`;
  const details = { bucket: ctx.bucket, key: ctx.key, endpoint: ctx.endpoint, status, awsError: err.name };
  const net = networkErrorCode(e);
  if (net !== undefined) {
    return new StrataError(
      "SOURCE_UNREACHABLE",
      `Could not reach the S3 endpoint ${ctx.endpoint} to ${ctx.op} ${target} (${net}). ` +
        `Check the network, or AWS_ENDPOINT_URL_S3 for an S3-compatible server. ${OFFLINE_HINT}`,
      { details: { ...details, networkError: net }, cause: e },
    );
  }
  if (err.name === "NoSuchBucket") {
    return new StrataError(
      "BUCKET_NOT_FOUND",
      `Bucket "${ctx.bucket}" does not exist at ${ctx.endpoint} (while trying to ${ctx.op} ${target}).`,
      { details, cause: e },
    );
  }
  if (err.name === "NoSuchKey" || err.name === "NotFound" || status === 404) {
    return new StrataError(
      "KEY_NOT_FOUND",
      `Key "${ctx.key ?? ""}" does not exist in bucket "${ctx.bucket}" (${target}).`,
      { details, cause: e },
    );
  }
  if (status === 401 || status === 403 || err.name === "AccessDenied" || err.name === "Forbidden") {
    return new StrataError(
      "SOURCE_ACCESS_DENIED",
      `Access to ${target} was denied (HTTP ${status ?? "?"} ${err.name ?? ""}). ` +
        "Check the AWS credentials (AWS_PROFILE, AWS_ACCESS_KEY_ID) or the bucket policy.",
      { details, cause: e },
    );
  }
  if (status !== undefined && status >= 400 && status < 500) {
    return new StrataError(
      "INVALID_ARGUMENT",
      `S3 rejected the request to ${ctx.op} ${target}: ${err.name ?? "Error"} (HTTP ${status}): ${err.message ?? ""}`,
      { details, cause: e },
    );
  }
  return new StrataError(
    "SOURCE_UNREACHABLE",
    `The S3 request to ${ctx.op} ${target} at ${ctx.endpoint} failed: ${err.name ?? "Error"}` +
      `${status === undefined ? "" : ` (HTTP ${status})`}: ${err.message ?? String(e)}. ${OFFLINE_HINT}`,
    { details, cause: e },
  );
}
