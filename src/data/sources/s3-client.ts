/**
 * Creates the AWS SDK v3 S3 client the way the SDK's own configuration works, plus what S3-compatible servers
 * and offline machines need: region from AWS_REGION / AWS_DEFAULT_REGION (default us-east-1), endpoint from
 * AWS_ENDPOINT_URL_S3 / AWS_ENDPOINT_URL (path-style addressing when one is set), credentials from the default
 * provider chain when any are configured, and anonymous (unsigned) requests otherwise, so public buckets such
 * as the census data read without an AWS account. Checksums are computed only when S3 requires them
 * (s3rver stores aws-chunked framing as content otherwise), and connect timeouts and retries are short so
 * an offline machine fails in seconds rather than minutes.
 * @module
 */
import { existsSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { S3Client, type S3ClientConfig } from "@aws-sdk/client-s3";

/** Static credentials, as the SDK's `AwsCredentialIdentity`. */
export interface S3Credentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
}

/** Caller-facing S3 options; each falls back to the environment, then to the default. */
export interface S3ClientOptions {
  readonly region?: string;
  /** e.g. "http://127.0.0.1:4569" for a local S3-compatible server. */
  readonly endpoint?: string;
  /** Default: true when an endpoint is set (S3-compatible servers rarely support virtual hosts). */
  readonly forcePathStyle?: boolean;
  /** "auto" (default): the provider chain when credentials are configured, else anonymous. */
  readonly credentials?: "auto" | "default" | "anonymous" | S3Credentials;
  /** TCP connect timeout (default 3000 ms). */
  readonly connectTimeoutMs?: number;
  /** Socket idle timeout for a request in flight (default 60000 ms). */
  readonly requestTimeoutMs?: number;
  /** Attempts per request including the first (default 2). */
  readonly maxAttempts?: number;
  /** The environment to read AWS_* variables from (default process.env; tests pass their own). */
  readonly env?: Readonly<Record<string, string | undefined>>;
}

/** The settings actually used, for messages and tests. */
export interface ResolvedS3Config {
  readonly region: string;
  readonly endpoint: string | undefined;
  readonly forcePathStyle: boolean;
  readonly anonymous: boolean;
  /** Where requests go, for error messages ("https://s3.us-east-1.amazonaws.com" or the custom endpoint). */
  readonly endpointLabel: string;
}

/** True when the environment or the shared AWS files configure credentials for the default chain. */
export function hasConfiguredCredentials(env: Readonly<Record<string, string | undefined>>): boolean {
  const vars = [
    "AWS_ACCESS_KEY_ID",
    "AWS_PROFILE",
    "AWS_WEB_IDENTITY_TOKEN_FILE",
    "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
    "AWS_CONTAINER_CREDENTIALS_FULL_URI",
  ];
  if (vars.some((v) => (env[v] ?? "") !== "")) return true;
  const home = env["HOME"] ?? homedir();
  const files = [
    env["AWS_SHARED_CREDENTIALS_FILE"] ?? join(home, ".aws", "credentials"),
    env["AWS_CONFIG_FILE"] ?? join(home, ".aws", "config"),
  ];
  return files.some((f) => existsSync(f));
}

/** Resolves options against the environment without creating a client. */
export function resolveS3Config(options: S3ClientOptions = {}): ResolvedS3Config {
  const env = options.env ?? process.env;
  const region = options.region ?? env["AWS_REGION"] ?? env["AWS_DEFAULT_REGION"] ?? "us-east-1";
  const endpoint = options.endpoint ?? env["AWS_ENDPOINT_URL_S3"] ?? env["AWS_ENDPOINT_URL"] ?? undefined;
  const mode = options.credentials ?? "auto";
  const anonymous = mode === "anonymous" || (mode === "auto" && !hasConfiguredCredentials(env));
  return {
    region,
    endpoint: endpoint === "" ? undefined : endpoint,
    forcePathStyle: options.forcePathStyle ?? (endpoint !== undefined && endpoint !== ""),
    anonymous,
    endpointLabel: endpoint || `https://s3.${region}.amazonaws.com`,
  };
}

/**
 * A configured S3Client and the settings it uses.
 * @example const { client } = createS3Client({ endpoint: "http://127.0.0.1:4569" });
 */
export function createS3Client(options: S3ClientOptions = {}): {
  client: S3Client;
  config: ResolvedS3Config;
} {
  const config = resolveS3Config(options);
  const sdk: S3ClientConfig = {
    region: config.region,
    forcePathStyle: config.forcePathStyle,
    requestChecksumCalculation: "WHEN_REQUIRED",
    responseChecksumValidation: "WHEN_REQUIRED",
    maxAttempts: options.maxAttempts ?? 2,
    requestHandler: {
      connectionTimeout: options.connectTimeoutMs ?? 3000,
      requestTimeout: options.requestTimeoutMs ?? 60_000,
    },
  };
  if (config.endpoint !== undefined) sdk.endpoint = config.endpoint;
  const creds = options.credentials;
  const env = options.env ?? process.env;
  if (typeof creds === "object") sdk.credentials = { ...creds };
  else if (
    !config.anonymous &&
    options.env !== undefined &&
    env["AWS_ACCESS_KEY_ID"] &&
    env["AWS_SECRET_ACCESS_KEY"]
  ) {
    // The SDK's provider chain reads process.env; honour keys from an explicitly passed environment too.
    sdk.credentials = {
      accessKeyId: env["AWS_ACCESS_KEY_ID"],
      secretAccessKey: env["AWS_SECRET_ACCESS_KEY"],
      ...(env["AWS_SESSION_TOKEN"] ? { sessionToken: env["AWS_SESSION_TOKEN"] } : {}),
    };
  } else if (config.anonymous) {
    // Unsigned requests: the SDK still resolves credentials before signing, so give it empty ones and a
    // signer that leaves the request untouched (no Authorization header is sent).
    sdk.credentials = async () => ({ accessKeyId: "", secretAccessKey: "" });
    sdk.signer = { sign: async (request) => request };
  }
  return { client: new S3Client(sdk), config };
}
