/**
 * One batch transform, start to end, as a worker thread runs it (transform-worker.ts), off the server's
 * event loop so InvokeEndpoint keeps answering while a large input is transformed:
 *
 *   load the model's containers ─▶ list the input (S3Prefix or ManifestFile, each object checked)
 *     ─▶ per object: read (gunzip, bounded) ─▶ split (None | Line | RecordIO) ─▶ batch (SingleRecord |
 *        MultiRecord up to MaxPayloadInMB) ─▶ invoke each batch ─▶ assemble (None: concatenate; Line: "\n"
 *        after each) ─▶ write `<S3OutputPath>/<key under the prefix>.out` atomically, only when wholly
 *        successful
 *
 * The stop signal is checked between batches. Every failure becomes an outcome; nothing throws.
 * @module
 */
import { promisify } from "node:util";
import { gunzip } from "node:zlib";
import type { AccessRules } from "../data/sources/access.js";
import { listInputObjects, readInputObject } from "../data/sources/input-objects.js";
import { resolveStore } from "../data/sources/resolve.js";
import { StrataError } from "../errors.js";
import { splitRequests } from "./batch-split.js";
import { invokePipeline } from "./invoke.js";
import { loadPipeline } from "./model-loader.js";
import { type ModelRequest, modelContainers } from "./model-spec.js";
import type { TransformJobRequest } from "./transform-request.js";

/** What a transform needs: plain data, so it travels to a worker thread. */
export interface TransformRunInput {
  readonly request: TransformJobRequest;
  readonly model: ModelRequest;
  readonly access: AccessRules;
}

/** How a transform ended. */
export interface TransformOutcome {
  readonly status: "Completed" | "Failed" | "Stopped";
  readonly failureReason: string | null;
  readonly records: number;
  readonly objects: number;
}

/** Progress of a transform, one call per object written. */
export type ObjectDone = (uri: string, records: number, target: string) => void;

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

/**
 * Runs the transform.
 * @example
 * const outcome = await runTransform({ request, model, access: UNRESTRICTED }, () => {}, signal);
 */
export async function runTransform(
  input: TransformRunInput,
  objectDone: ObjectDone,
  signal: AbortSignal,
): Promise<TransformOutcome> {
  const { request, access } = input;
  let records = 0;
  let objects = 0;
  let current: string | undefined;
  try {
    const pipeline = await loadPipeline(request.ModelName, modelContainers(input.model));
    const source = request.TransformInput.DataSource.S3DataSource;
    const found = await listInputObjects(source.S3Uri, source.S3DataType, access);
    const maxPayloadBytes = request.MaxPayloadInMB * 1024 * 1024;
    const { ContentType: contentType, SplitType: splitType, CompressionType } = request.TransformInput;
    const out = request.TransformOutput;
    for (const object of found) {
      current = object.uri;
      const recordsBefore = records;
      let bytes = await readInputObject(object.uri, access);
      if (CompressionType === "Gzip") bytes = await gunzipBounded(bytes, object.uri);
      const parts: Uint8Array[] = [];
      for (const body of splitRequests(bytes, {
        splitType,
        strategy: request.BatchStrategy,
        maxPayloadBytes,
      })) {
        if (signal.aborted) return { status: "Stopped", failureReason: null, records, objects };
        const result = invokePipeline(pipeline, contentType, out.Accept, body);
        records += result.rows;
        parts.push(typeof result.body === "string" ? Buffer.from(result.body, "utf8") : result.body);
        if (out.AssembleWith === "Line") parts.push(NEWLINE);
      }
      const target = outputUri(out.S3OutputPath, object.relativeKey);
      await resolveStore(target).put(target, Buffer.concat(parts), { contentType: resultType(out.Accept) });
      objects++;
      objectDone(object.uri, records - recordsBefore, target);
      current = undefined;
    }
    return { status: "Completed", failureReason: null, records, objects };
  } catch (error) {
    return { status: "Failed", failureReason: transformFailureReason(error, current), records, objects };
  }
}

const NEWLINE = Buffer.from("\n");
