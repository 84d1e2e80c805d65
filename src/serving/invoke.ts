/**
 * One invocation, synchronously from request bytes to response body — the work behind InvokeEndpoint, the
 * container contract's `POST /invocations` and every batch-transform request. Content types follow the
 * framework containers' convention (spec §4.1): a missing Content-Type is `application/json`; a missing
 * Accept, `*\/*` or `application/*` answers `application/json`; media-type parameters (`text/csv;
 * label_size=0`, `charset=utf-8`) are ignored. Errors are the container's (INVALID_PAYLOAD 400,
 * WIDTH_MISMATCH 400, FORMAT_ERROR 400, UNSUPPORTED_MEDIA_TYPE 415, NOT_ACCEPTABLE 406).
 * @module
 */
import { StrataError } from "../errors.js";
import { decodeDenseRows } from "../formats/dense-rows.js";
import { RowBuffer, scanCsv } from "./payload/csv-scanner.js";
import { decodeJsonInstances, decodeJsonLines } from "./payload/json-instances.js";
import { ACCEPT_TYPES, type AcceptType, encodeResponse } from "./payload/responses.js";
import type { CompiledPipeline } from "./pipeline.js";

/** Input types an endpoint reads. */
export const CONTENT_TYPES = [
  "text/csv",
  "application/json",
  "application/jsonlines",
  "application/x-recordio-protobuf",
] as const;

/** A response body and its Content-Type. */
export interface InvocationResult {
  readonly body: string | Uint8Array;
  readonly contentType: AcceptType;
  readonly rows: number;
}

function mediaType(value: string): string {
  const semi = value.indexOf(";");
  return (semi < 0 ? value : value.slice(0, semi)).trim().toLowerCase();
}

/**
 * The output type for an Accept header value.
 * @throws StrataError NOT_ACCEPTABLE when no listed type is one Strata writes
 */
export function resolveAccept(accept: string | undefined): AcceptType {
  if (accept === undefined || accept === "" || accept === "*/*" || accept === "application/json")
    return "application/json";
  for (const part of accept.split(",")) {
    const type = mediaType(part);
    if (type === "*/*" || type === "application/*") return "application/json";
    if (type === "application/jsonl") return "application/jsonlines";
    if ((ACCEPT_TYPES as readonly string[]).includes(type)) return type as AcceptType;
  }
  throw new StrataError(
    "NOT_ACCEPTABLE",
    `Accept ${JSON.stringify(accept.slice(0, 200))} is not supported: expected one of ${ACCEPT_TYPES.join(", ")}.`,
    { details: { accept: accept.slice(0, 200), supported: ACCEPT_TYPES } },
  );
}

const scratch = new RowBuffer();

/**
 * Decodes `body`, runs the pipeline and encodes the answer.
 * @throws StrataError INVALID_PAYLOAD, WIDTH_MISMATCH, FORMAT_ERROR, UNSUPPORTED_MEDIA_TYPE, NOT_ACCEPTABLE
 * @example
 * const { body, contentType } = invokePipeline(pipeline, "text/csv", undefined, Buffer.from("0.1,0.2"));
 */
export function invokePipeline(
  pipeline: CompiledPipeline,
  contentType: string | undefined,
  accept: string | undefined,
  body: Uint8Array,
): InvocationResult {
  const out = resolveAccept(accept);
  // Exact "text/csv" (what the SDKs send for CSV) skips the media-type parse.
  const type =
    contentType === "text/csv"
      ? contentType
      : contentType === undefined || contentType === ""
        ? "application/json"
        : mediaType(contentType);
  if (body.length === 0)
    throw new StrataError(
      "INVALID_PAYLOAD",
      "unable to evaluate payload provided: the request body is empty.",
    );
  const width = pipeline.inputWidth;
  let input: Float64Array;
  let rows: number;
  switch (type) {
    case "text/csv":
      rows = scanCsv(body, width, scratch);
      input = scratch.data;
      break;
    case "application/json":
      rows = decodeJsonInstances(
        Buffer.from(body.buffer, body.byteOffset, body.length).toString("utf8"),
        width,
        scratch,
      );
      input = scratch.data;
      break;
    case "application/jsonlines":
    case "application/jsonl":
      rows = decodeJsonLines(
        Buffer.from(body.buffer, body.byteOffset, body.length).toString("utf8"),
        width,
        scratch,
      );
      input = scratch.data;
      break;
    case "application/x-recordio-protobuf": {
      const decoded = decodeDenseRows(body, { featureDim: width, maxValues: body.length * 8 + width });
      rows = decoded.matrix.rows;
      input = decoded.matrix.data;
      if (rows === 0)
        throw new StrataError("INVALID_PAYLOAD", "unable to evaluate payload provided: no RecordIO records.");
      // Binary floats can be NaN or infinite; the text formats' parsers refuse those already.
      checkFinite(input, rows * width, width, "record");
      break;
    }
    default:
      throw new StrataError(
        "UNSUPPORTED_MEDIA_TYPE",
        `Content-Type ${JSON.stringify(contentType!.slice(0, 200))} is not supported: expected one of ${CONTENT_TYPES.join(", ")}.`,
        { details: { contentType: contentType!.slice(0, 200), supported: CONTENT_TYPES } },
      );
  }
  const result = pipeline.run(input, rows);
  // Finite inputs near ±1e308 can still overflow (a squared distance): an answer never carries Infinity.
  if (result.kind === "projections")
    checkFinite(result.projections, rows * result.width, result.width, "the answer for row");
  else checkFinite(result.distances, rows, 1, "the answer for row");
  return { body: encodeResponse(result, out), contentType: out, rows };
}

/**
 * Throws INVALID_PAYLOAD naming the first row (1-based) of `values[0..count)` that is NaN or ±Infinity as a
 * float32 (what both the record inputs and every answer are: answers print float32, so 1e39 would print
 * as Infinity). `x * 0` is 0 exactly when x is finite, so the common case costs one pass of additions.
 */
function checkFinite(values: Float64Array, count: number, width: number, what: string): void {
  let sum = 0;
  for (let i = 0; i < count; i++) sum += Math.fround(values[i]!) * 0;
  if (sum === 0) return;
  for (let i = 0; i < count; i++)
    if (!Number.isFinite(Math.fround(values[i]!)))
      throw new StrataError(
        "INVALID_PAYLOAD",
        `unable to evaluate payload provided: ${what} ${Math.floor(i / Math.max(1, width)) + 1} has a value that is not finite${what === "record" ? "" : " (the inputs are too large)"}.`,
        { details: { row: Math.floor(i / Math.max(1, width)) + 1 } },
      );
}
