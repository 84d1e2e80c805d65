/**
 * The console's routes for what the SageMaker API has no action for: a model's contents laid out for reading
 * (components, loadings, centroids), an endpoint's invocation counts and model latency over the last hour,
 * and InvokeEndpoint for a signed-in page (the runtime route takes SigV4 only). The invocation runs the same
 * endpoint code as `POST /endpoints/{name}/invocations` and answers in the runtime's shapes.
 * @module
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { AccessRules } from "../../data/sources/access.js";
import { checkReadLocation } from "../../data/sources/access.js";
import { StrataError } from "../../errors.js";
import { artifactImage, modelContents } from "../../serving/model-contents.js";
import { modelContainers } from "../../serving/model-spec.js";
import type { ApiContext } from "../context.js";
import { parseBody } from "../control-plane.js";
import { sendError } from "../http-errors.js";
import { type ConsoleAccess, requireCsrf, requireSession } from "./access.js";

function header(request: FastifyRequest, name: string): string | undefined {
  const v = request.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

function nameParam(request: FastifyRequest): string {
  return (request.params as { name: string }).name;
}

async function invoke(
  request: FastifyRequest,
  reply: FastifyReply,
  context: ApiContext,
): Promise<FastifyReply> {
  const name = nameParam(request);
  const endpoint = await context.hosting.endpoints.resolve(name);
  try {
    const result = context.hosting.endpoints.invokeLoaded(
      endpoint,
      header(request, "content-type"),
      header(request, "accept"),
      (request.body as Buffer | undefined) ?? Buffer.alloc(0),
    );
    return (
      reply
        .code(200)
        .header("content-type", result.contentType)
        .header("x-amzn-invoked-production-variant", result.variant)
        .header("cache-control", "no-store")
        // A Buffer, as the runtime sends it: fastify would add "; charset=utf-8" to a string's type.
        .send(typeof result.body === "string" ? Buffer.from(result.body, "latin1") : Buffer.from(result.body))
    );
  } catch (error) {
    return sendError(reply, error, "model", name);
  }
}

/** Adds the hosting routes to the console's scope. */
export function registerHostingRoutes(
  scope: FastifyInstance,
  context: ApiContext,
  access: ConsoleAccess,
  rules: AccessRules,
): void {
  // A model.tar.gz (SageMaker's, or any) read as a model's container would be: upload it, then inspect it here.
  scope.post("/console/api/artifacts/contents", async (request, reply) => {
    requireCsrf(request, requireSession(request, access));
    const uri = parseBody((request.body as Buffer | undefined) ?? Buffer.alloc(0))["uri"];
    if (typeof uri !== "string" || uri === "")
      throw new StrataError("INVALID_ARGUMENT", "uri must name a model.tar.gz the server may read.");
    await checkReadLocation(uri, rules, "uri");
    const image = await artifactImage(uri);
    const contents = await modelContents("the uploaded artifact", [{ Image: image, ModelDataUrl: uri }]);
    return reply.header("cache-control", "no-store").send({ image, ...contents });
  });
  scope.get("/console/api/models/:name/contents", async (request, reply) => {
    requireSession(request, access);
    const name = nameParam(request);
    const model = context.hosting.models.getModel(name);
    return reply
      .header("cache-control", "no-store")
      .send(await modelContents(name, modelContainers(model.request)));
  });
  scope.get("/console/api/endpoints/:name/stats", (request, reply) => {
    requireSession(request, access);
    const name = nameParam(request);
    // Unknown endpoints are refused as DescribeEndpoint refuses them.
    context.hosting.endpoints.describeEndpoint(name);
    return reply.header("cache-control", "no-store").send(context.hosting.endpoints.invocationStats(name));
  });
  scope.post("/console/api/endpoints/:name/invocations", (request, reply) => {
    requireCsrf(request, requireSession(request, access));
    return invoke(request, reply, context);
  });
}
