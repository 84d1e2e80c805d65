/**
 * The runtime: `POST /endpoints/{EndpointName}/invocations` (InvokeEndpoint, spec §4.2). The hot path is
 * synchronous — verify the signature, look the endpoint up in the loaded table, decode, run the compiled
 * pipeline, encode — with no awaits, per-request schemas or hooks; only an endpoint this process has not
 * loaded yet (created by another process) takes the async path. Response headers as SageMaker sends them:
 * `Content-Type` (exactly the type, no charset: bodies go out as bytes; they are ASCII), `x-Amzn-Invoked-Production-Variant`,
 * `x-amzn-RequestId`.
 * @module
 */
import { randomUUID } from "node:crypto";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { LoadedEndpoint } from "../serving/endpoint-service.js";
import type { ApiContext } from "./context.js";
import { authenticate } from "./control-plane.js";
import { sendError } from "./http-errors.js";

const EMPTY = Buffer.alloc(0);

function header(request: FastifyRequest, name: string): string | undefined {
  const v = request.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

function answer(
  request: FastifyRequest,
  reply: FastifyReply,
  endpoint: LoadedEndpoint,
  body: Uint8Array,
  context: ApiContext,
): FastifyReply {
  let result: ReturnType<ApiContext["hosting"]["endpoints"]["invokeLoaded"]>;
  try {
    result = context.hosting.endpoints.invokeLoaded(
      endpoint,
      header(request, "content-type"),
      header(request, "accept"),
      body,
      header(request, "x-amzn-sagemaker-target-variant"),
    );
  } catch (error) {
    return sendError(reply, error, "model", endpoint.name);
  }
  return reply
    .code(200)
    .header("content-type", result.contentType)
    .header("x-amzn-invoked-production-variant", result.variant)
    .header("x-amzn-requestid", randomUUID())
    .send(
      typeof result.body === "string"
        ? Buffer.from(result.body, "latin1")
        : Buffer.from(result.body.buffer, result.body.byteOffset, result.body.length),
    );
}

/** Adds the InvokeEndpoint route to the app. */
export function registerRuntime(app: FastifyInstance, context: ApiContext): void {
  app.post("/endpoints/:name/invocations", (request, reply) => {
    const body = (request.body as Buffer | undefined) ?? EMPTY;
    const name = (request.params as { name: string }).name;
    try {
      authenticate(request, body, context);
    } catch (error) {
      return sendError(reply, error, "runtime");
    }
    const endpoint = context.hosting.endpoints.loaded(name);
    if (endpoint !== undefined) return answer(request, reply, endpoint, body, context);
    return context.hosting.endpoints.resolve(name).then(
      (loaded) => answer(request, reply, loaded, body, context),
      (error: unknown) => sendError(reply, error, "runtime"),
    );
  });
}
