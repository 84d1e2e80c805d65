/**
 * One object of a batch transform, as the shard that transforms it runs it (transform-objects.ts), on a
 * worker thread of the contract's executor, off the server's event loop:
 *
 *   read the object (gunzip, bounded) ─▶ split (None | Line | RecordIO) ─▶ batch (SingleRecord |
 *   MultiRecord up to MaxPayloadInMB) ─▶ invoke each batch ─▶ assemble (None: concatenate; Line: "\n"
 *   after each) ─▶ write `<S3OutputPath>/<key under the prefix>.out` atomically, only when wholly successful
 *
 * The stop signal is checked between batches.
 * @module
 */
import { promisify } from "node:util";
import { gunzip } from "node:zlib";
import type { AccessRules } from "../data/sources/access.js";
import { readInputObject } from "../data/sources/input-objects.js";
import { resolveStore } from "../data/sources/resolve.js";
import { StrataError } from "../errors.js";
import { splitRequests } from "./batch-split.js";
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

/** The most a transform input object may decompress to: a gzip bomb stops here, not at the kernel's OOM killer. */
export const MAX_DECOMPRESSED_BYTES = 512 * 1024 * 1024;

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

const gunzipAsync = promisify(gunzip);

/** Gunzips on libuv's thread pool, refusing output past MAX_DECOMPRESSED_BYTES. */
async function gunzipBounded(bytes: Uint8Array, uri: string): Promise<Uint8Array> {
  try {
    return await gunzipAsync(bytes, { maxOutputLength: MAX_DECOMPRESSED_BYTES });
  } catch (cause) {
    if ((cause as { code?: string }).code === "ERR_BUFFER_TOO_LARGE")
      throw new StrataError(
        "INPUT_TOO_LARGE",
        `${uri} decompresses to more than ${MAX_DECOMPRESSED_BYTES} bytes (${bytes.length} compressed); split it into smaller objects.`,
        { details: { uri, compressedBytes: bytes.length, limit: MAX_DECOMPRESSED_BYTES }, cause },
      );
    throw new StrataError("FORMAT_ERROR", `${uri} is not valid gzip (CompressionType Gzip).`, {
      details: { uri },
      cause,
    });
  }
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
  let bytes = await readInputObject(object.uri, access);
  if (CompressionType === "Gzip") bytes = await gunzipBounded(bytes, object.uri);
  const parts: Uint8Array[] = [];
  let records = 0;
  for (const body of splitRequests(bytes, {
    splitType,
    strategy: request.BatchStrategy,
    maxPayloadBytes: request.MaxPayloadInMB * 1024 * 1024,
  })) {
    if (signal.aborted) return "stopped";
    const result = invokePipeline(pipeline, contentType, out.Accept, body);
    records += result.rows;
    parts.push(typeof result.body === "string" ? Buffer.from(result.body, "utf8") : result.body);
    if (out.AssembleWith === "Line") parts.push(NEWLINE);
  }
  const target = outputUri(out.S3OutputPath, object.relativeKey);
  await resolveStore(target).put(target, Buffer.concat(parts), { contentType: resultType(out.Accept) });
  return { uri: object.uri, records, target };
}

const NEWLINE = Buffer.from("\n");
