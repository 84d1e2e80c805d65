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
import type { ServerResponse } from "node:http";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { LoadedEndpoint } from "../serving/endpoint-service.js";
import type { ApiContext } from "./context.js";
import { authenticate } from "./control-plane.js";
import { sendError } from "./http-errors.js";

const EMPTY = Buffer.alloc(0);

/**
 * Response bodies waiting for the end of this event-loop turn. Node reads every ready socket in one poll
 * phase and runs their handlers back to back; ending each response right away interleaves one write
 * syscall, and often one wake-up of the sleeping client, between handlers. Ending them together in the
 * check phase (setImmediate, same loop iteration: no timer, no added turn) sends the writes back to back,
 * so one wake-up serves the batch. Measured on the 2-core loopback benchmark, single-row: ~25% more
 * requests/s and ~8 µs less server CPU per request (user and system), p99 unchanged or lower. Order is
 * kept (FIFO), so pipelined responses on one connection still leave in request order.
 */
let pendingWrites: { res: ServerResponse; body: string | Buffer }[] = [];

function flushWrites(): void {
  const batch = pendingWrites;
  pendingWrites = [];
  for (const { res, body } of batch) {
    try {
      if (typeof body === "string") res.end(body, "latin1");
      else res.end(body);
    } catch {
      res.destroy();
    }
  }
}

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
  // Written straight to Node's response, not through reply.send: send() re-parses the Content-Type it was
  // given, stores each header through reply.header(), and a string payload would get "; charset=utf-8"
  // appended (SageMaker sends the bare type), so bodies had to be copied into a Buffer first, which Node
  // then writes as a second iovec. A string body here goes out in the same write as the head. Measured on
  // the single-row benchmark: 4–6 µs less server CPU per request (~15% more req/s). The bodies are ASCII (numbers and JSON
  // punctuation only), so the latin1 byte count is the string length.
  const payload = result.body;
  reply.hijack();
  reply.raw.writeHead(200, [
    "content-type",
    result.contentType,
    "content-length",
    String(payload.length),
    "x-amzn-invoked-production-variant",
    result.variant,
    "x-amzn-requestid",
    randomUUID(),
  ]);
  pendingWrites.push({
    res: reply.raw,
    body:
      typeof payload === "string" ? payload : Buffer.from(payload.buffer, payload.byteOffset, payload.length),
  });
  if (pendingWrites.length === 1) setImmediate(flushWrites);
  return reply;
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
