/**
 * The one place errors become HTTP responses. Every route throws (or passes) errors here; they leave in the
 * shape of the plane that was called:
 *
 * - control plane (AWS JSON 1.1): status, `x-amzn-ErrorType`, body `{"__type": "ValidationException",
 *   "message": "…"}`, as the SDK's JSON 1.1 protocol reads it;
 * - runtime (InvokeEndpoint, REST-JSON): service errors as `ValidationError` (the runtime's name for
 *   ValidationException), 403s with their AWS names; errors raised by the model itself (bad payload, wrong
 *   width, unsupported types) as SageMaker reports container errors: **424 ModelError** with
 *   `OriginalStatusCode` (400, 406, 415) and `OriginalMessage`;
 * - container contract (`--container-port`): the container's own status and a plain-text message.
 *
 * Fastify's own errors (body over the limit, malformed headers) are mapped to StrataErrors first; anything
 * else is INTERNAL (500) and logged, never echoed with a stack.
 * @module
 */
import { randomUUID } from "node:crypto";
import type { FastifyReply } from "fastify";
import { isStrataError, StrataError } from "../errors.js";

/** Which contract the failed request belongs to. */
export type Plane = "control" | "runtime" | "model" | "container";

/** The StrataError for anything a route or fastify threw. */
export function toStrataError(error: unknown): StrataError {
  if (isStrataError(error)) return error;
  const e = error as { code?: string; statusCode?: number; message?: string };
  if (e?.code === "FST_ERR_CTP_BODY_TOO_LARGE" || e?.statusCode === 413)
    return new StrataError(
      "PAYLOAD_TOO_LARGE",
      "The request body is larger than 6 MB (6,291,456 bytes), SageMaker's payload limit.",
    );
  if (typeof e?.statusCode === "number" && e.statusCode >= 400 && e.statusCode < 500)
    return new StrataError(
      "INVALID_PAYLOAD",
      `The request could not be read: ${e.message ?? "bad request"}.`,
      { cause: error },
    );
  return new StrataError("INTERNAL", "An unexpected failure inside Strata (see the server log).", {
    cause: error,
  });
}

function runtimeType(e: StrataError): string {
  if (e.status >= 500) return "InternalFailure";
  if (e.status === 403) return e.awsType;
  return "ValidationError";
}

/**
 * Sends `error` as the response of `plane`.
 * @param endpointName the endpoint of a runtime/model failure (named in ModelError's message)
 */
export function sendError(
  reply: FastifyReply,
  error: unknown,
  plane: Plane,
  endpointName = "",
): FastifyReply {
  const e = toStrataError(error);
  if (e.code === "INTERNAL") reply.log.error({ err: (e.cause as Error | undefined) ?? e }, "internal error");
  const requestId = randomUUID();
  if (plane === "container") {
    return reply.code(e.status).header("content-type", "text/plain; charset=utf-8").send(e.message);
  }
  if (plane === "model" && e.status < 500 && e.status !== 403) {
    const body = {
      ErrorCode: "CLIENT_ERROR_FROM_MODEL",
      OriginalStatusCode: e.status,
      OriginalMessage: e.message,
      LogStreamArn: `strata:endpoint/${endpointName}`,
      message: `Received client error (${e.status}) from primary with message "${e.message}". See \`strata endpoints describe ${endpointName}\` for the endpoint.`,
    };
    return reply
      .code(424)
      .header("content-type", "application/json")
      .header("x-amzn-errortype", "ModelError")
      .header("x-amzn-requestid", requestId)
      .send(JSON.stringify(body));
  }
  const type = plane === "control" ? e.awsType : runtimeType(e);
  const status = e.code === "NOT_IMPLEMENTED" ? 400 : e.status;
  return reply
    .code(status)
    .header("content-type", plane === "control" ? "application/x-amz-json-1.1" : "application/json")
    .header("x-amzn-errortype", type)
    .header("x-amzn-requestid", requestId)
    .send(JSON.stringify({ __type: type, message: e.message }));
}
