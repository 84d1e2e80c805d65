/**
 * Starts a real s3rver (an S3-compatible server) on 127.0.0.1 with an ephemeral port and a temp directory,
 * for the object-store, cache and load tests. s3rver ships no type declarations, so its small surface is
 * typed here.
 * @module
 */
import { mkdtemp, rm } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";

interface S3rverInstance {
  run(): Promise<{ address: string; port: number }>;
  close(): Promise<void>;
}
type S3rverCtor = new (options: {
  port: number;
  address: string;
  silent: boolean;
  directory: string;
  configureBuckets?: { name: string }[];
}) => S3rverInstance;

const S3rver = createRequire(import.meta.url)("s3rver") as S3rverCtor;

export interface RunningS3rver {
  /** e.g. "http://127.0.0.1:41234": what a user would put in AWS_ENDPOINT_URL_S3. */
  readonly endpoint: string;
  /** The environment a user would set to point Strata at this server. */
  readonly env: Record<string, string>;
  stop(): Promise<void>;
}

/** Starts s3rver with the given buckets already created (on 127.0.0.1 unless `address` says otherwise). */
export async function startS3rver(buckets: string[], address = "127.0.0.1"): Promise<RunningS3rver> {
  const directory = await mkdtemp(join(tmpdir(), "strata-s3rver-"));
  const server = new S3rver({
    port: 0,
    address,
    silent: true,
    directory,
    configureBuckets: buckets.map((name) => ({ name })),
  });
  const { port } = await server.run();
  const endpoint = `http://${address}:${port}`;
  return {
    endpoint,
    env: {
      AWS_ENDPOINT_URL_S3: endpoint,
      AWS_REGION: "us-east-1",
      AWS_ACCESS_KEY_ID: "S3RVER",
      AWS_SECRET_ACCESS_KEY: "S3RVER",
    },
    async stop() {
      await server.close();
      await rm(directory, { recursive: true, force: true });
    },
  };
}
