/**
 * The fastify app of `strata serve`: the control plane (`POST /`), the runtime
 * (`POST /endpoints/{name}/invocations`) and a `GET /ping` health check. Every body is read raw (one catch-all
 * parser) because SigV4 hashes the exact bytes and each route decodes its own formats; the 6 MB limit is
 * SageMaker's real-time payload limit and gives 413. Fastify's logger is off on the hot path; errors go
 * through http-errors.ts.
 * @module
 */
import Fastify, { type FastifyInstance } from "fastify";
import { StrataError } from "../errors.js";
import type { ApiContext } from "./context.js";
import { registerControlPlane } from "./control-plane.js";
import { sendError } from "./http-errors.js";
import { registerRuntime } from "./runtime.js";

/** SageMaker's InvokeEndpoint payload limit, 6 MB. */
export const MAX_BODY_BYTES = 6_291_456;

/** A fastify instance with raw-buffer bodies, the body limit and AWS-shaped errors. */
export function baseApp(plane: "control" | "container"): FastifyInstance {
  const app = Fastify({ bodyLimit: MAX_BODY_BYTES, logger: false, return503OnClosing: true });
  app.removeAllContentTypeParsers();
  app.addContentTypeParser("*", { parseAs: "buffer" }, (_request, body, done) => done(null, body));
  app.setErrorHandler((error, request, reply) =>
    sendError(
      reply,
      error,
      plane === "container" ? "container" : request.url.startsWith("/endpoints/") ? "runtime" : "control",
    ),
  );
  app.setNotFoundHandler((request, reply) =>
    sendError(
      reply,
      new StrataError(
        "UNKNOWN_OPERATION",
        `No route ${request.method} ${request.url.split("?")[0]}: Strata serves POST / (the SageMaker API) and POST /endpoints/{name}/invocations.`,
      ),
      plane,
    ),
  );
  return app;
}

/**
 * Builds the server app over the given services.
 * @example
 * const app = buildApp({ hosting, training, verifier: new SigV4Verifier(credentials) });
 * await app.listen({ host: "127.0.0.1", port: 8080 });
 */
export function buildApp(context: ApiContext): FastifyInstance {
  const app = baseApp("control");
  app.get("/ping", (_request, reply) => reply.code(200).send(""));
  registerControlPlane(app, context);
  registerRuntime(app, context);
  return app;
}
