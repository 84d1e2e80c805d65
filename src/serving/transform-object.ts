/**
 * One object of a batch transform, as the shard that transforms it runs it (transform-objects.ts), on a
 * worker thread of the contract's executor, off the server's event loop, as a stream:
 *
 *   read the object in 4 MiB blocks (a remote one fetched to the cache first; gunzipped on the fly, at most
 *   MAX_DECOMPRESSED_BYTES) ─▶ split (None | Line | RecordIO) ─▶ batch (SingleRecord | MultiRecord up to
 *   MaxPayloadInMB) ─▶ invoke each batch ─▶ assemble (None: concatenate; Line: "\n" after each) into a
 *   temporary file ─▶ put `<S3OutputPath>/<key under the prefix>.out` from it, only when wholly successful
 *
 * Memory holds one request and its answer, never the object or its output, so a 20-million-row object is
 * transformed in a few megabytes. The stop signal is checked between batches.
 * @module
 */
import { mkdtemp, open, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fetchToCache } from "../data/cache.js";
import { type AccessRules, checkObjectRead, checkWriteLocation } from "../data/sources/access.js";
import { storeFor } from "../data/sources/input-objects.js";
import { resolveStore } from "../data/sources/resolve.js";
import { fileBlocks } from "../data/stream/byte-stream.js";
import { quote, StrataError } from "../errors.js";
import { requestStream } from "./batch-split.js";
import { invokePipeline } from "./invoke.js";
import type { ModelRequest } from "./model-spec.js";
import type { CompiledPipeline } from "./pipeline.js";
import type { TransformJobRequest } from "./transform-request.js";

/** What a transform needs: plain data, so it travels to a worker thread. */
export interface TransformRunInput {
  readonly request: TransformJobRequest;
  readonly model: ModelRequest;
  readonly access: AccessRules;
}

/**
 * The most a transform input object may decompress to. The object is streamed, so this bounds the work and
 * the output a gzip bomb can cause, not memory (a bomb of zeros fails sooner: its one "line" passes
 * MaxPayloadInMB).
 */
export const MAX_DECOMPRESSED_BYTES = 64 * 1024 ** 3;

/** `<output>/<relative>.out` for a path, file:// or s3:// output prefix. */
export function outputUri(outputPath: string, relative: string): string {
  return `${outputPath.replace(/\/+$/, "")}/${relative}.out`;
}

/**
 * SageMaker's FailureReason shape for an error. A payload error names the line and field of the bad value
 * but not the value: a FailureReason never carries an input file's contents. The payload decoders quote a
 * bad value in their messages (an endpoint's caller sees their own body's value, as SageMaker's containers
 * show it) and put it in `details.value`; here it is left out.
 */
export function transformFailureReason(error: unknown, objectUri?: string): string {
  let message = error instanceof Error ? error.message : String(error);
  const value = error instanceof StrataError ? error.details["value"] : undefined;
  const quoted = value === undefined ? "" : JSON.stringify(value);
  if (quoted !== undefined && quoted !== "" && quoted !== '""')
    message = message.split(quoted).join("a value");
  const client = error instanceof StrataError && error.status < 500;
  const where = objectUri === undefined ? "" : `${objectUri}: `;
  return `${client ? "ClientError" : "InternalServerError"}: ${where}${message}`.slice(0, 1024);
}

function resultType(accept: string): string {
  return accept.split(",")[0]!.trim() || "application/json";
}

/** An object transformed: its records and where its output went. */
export interface ObjectTransformed {
  readonly uri: string;
  readonly records: number;
  readonly target: string;
}

/**
 * Transforms one input object and writes its output; "stopped" when the signal aborted between batches
 * (nothing is written then).
 * @throws StrataError the object's read, decode and payload errors
 * @example
 * const done = await transformObject(pipeline, object, input, signal);
 */
export async function transformObject(
  pipeline: CompiledPipeline,
  object: { readonly uri: string; readonly relativeKey: string },
  input: TransformRunInput,
  signal: AbortSignal,
): Promise<ObjectTransformed | "stopped"> {
  const { request, access } = input;
  const { ContentType: contentType, SplitType: splitType, CompressionType } = request.TransformInput;
  const out = request.TransformOutput;
  await checkObjectRead(object.uri, access);
  // Checked at CreateTransformJob by the server; checked again here, by the rules of the process that writes
  // (a cluster's worker has its own) — the object's own output too: its relative key came with the task.
  const target = outputUri(out.S3OutputPath, object.relativeKey);
  if (object.relativeKey.split(/[\\/]/).some((part) => part === ".." || part === "."))
    throw new StrataError(
      "LOCATION_NOT_ALLOWED",
      `The input object ${quote(object.uri)} has a key that leaves the output prefix; keys with . or .. segments are not written.`,
      { details: { uri: object.uri } },
    );
  await checkWriteLocation(target, access, "TransformOutput.S3OutputPath");
  const { path } = await fetchToCache(object.uri, { store: storeFor(object.uri, access) });
  const blocks = fileBlocks(path, {
    compression: CompressionType === "Gzip" ? "gzip" : "none",
    maxBytes: MAX_DECOMPRESSED_BYTES,
    name: object.uri,
  });
  const dir = await mkdtemp(join(tmpdir(), "strata-transform-"));
  const part = join(dir, "part.out");
  const file = await open(part, "w");
  try {
    let records = 0;
    for await (const body of requestStream(blocks, {
      splitType,
      strategy: request.BatchStrategy,
      maxPayloadBytes: request.MaxPayloadInMB * 1024 * 1024,
    })) {
      if (signal.aborted) return "stopped";
      const result = invokePipeline(pipeline, contentType, out.Accept, body);
      records += result.rows;
      await file.write(typeof result.body === "string" ? Buffer.from(result.body, "utf8") : result.body);
      if (out.AssembleWith === "Line") await file.write(NEWLINE);
    }
    await file.close();
    await resolveStore(target).put(target, { file: part }, { contentType: resultType(out.Accept) });
    return { uri: object.uri, records, target };
  } finally {
    await file.close().catch(() => undefined);
    await rm(dir, { recursive: true, force: true });
  }
}

const NEWLINE = Buffer.from("\n");
