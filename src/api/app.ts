/**
 * The fastify app of `strata serve`: the control plane (`POST /`), the runtime
 * (`POST /endpoints/{name}/invocations`), a `GET /ping` health check and the web console (src/api/console). Every body is read raw (one catch-all
 * parser) because SigV4 hashes the exact bytes and each route decodes its own formats; the 6 MB limit is
 * SageMaker's real-time payload limit and gives 413. Fastify's logger is off on the hot path; errors go
 * through http-errors.ts.
 * @module
 */
import Fastify, { type FastifyInstance, type FastifyRequest } from "fastify";
import { StrataError } from "../errors.js";
import { type ConsoleOptions, registerConsole } from "./console/plugin.js";
import type { ApiContext } from "./context.js";
import { registerControlPlane } from "./control-plane.js";
import { isLoopback } from "./credentials.js";
import { sendError } from "./http-errors.js";
import { registerRuntime } from "./runtime.js";
import { answerTransportError } from "./transport-errors.js";

/** SageMaker's InvokeEndpoint payload limit, 6 MB. */
export const MAX_BODY_BYTES = 6_291_456;

/**
 * How long a client may take and how many may connect: without these a client that sends a byte every few
 * seconds holds its connection (and its memory) forever. docs/security.md lists them.
 */
export interface ConnectionLimits {
  /** The whole request, headers and body, must arrive within this (408 otherwise). */
  readonly requestTimeoutMs: number;
  /** The headers must arrive within this. */
  readonly headersTimeoutMs: number;
  /** A connection with no traffic for this long is closed. */
  readonly idleTimeoutMs: number;
  /** How long an idle keep-alive connection is kept between requests. */
  readonly keepAliveTimeoutMs: number;
  /** Connections past this are refused at accept. */
  readonly maxConnections: number;
}

export const DEFAULT_CONNECTION_LIMITS: ConnectionLimits = {
  requestTimeoutMs: 30_000,
  headersTimeoutMs: 10_000,
  idleTimeoutMs: 60_000,
  keepAliveTimeoutMs: 5_000,
  maxConnections: 1024,
};

/** A fastify instance with raw-buffer bodies, the body limit, connection limits and AWS-shaped errors. */
export function baseApp(
  plane: "control" | "container",
  limits: ConnectionLimits = DEFAULT_CONNECTION_LIMITS,
): FastifyInstance {
  const app = Fastify({
    bodyLimit: MAX_BODY_BYTES,
    logger: false,
    return503OnClosing: true,
    requestTimeout: limits.requestTimeoutMs,
    connectionTimeout: limits.idleTimeoutMs,
    keepAliveTimeout: limits.keepAliveTimeoutMs,
    // Node checks request and header deadlines every connectionsCheckingInterval (30 s by default).
    http: {
      headersTimeout: Math.min(limits.headersTimeoutMs, limits.requestTimeoutMs),
      connectionsCheckingInterval: Math.max(50, Math.min(1000, limits.headersTimeoutMs / 2)),
    },
    clientErrorHandler: (error, socket) => answerTransportError(error, socket, plane),
  });
  app.server.maxConnections = limits.maxConnections;
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
 * Builds the server app over the given services, with the web console when `console` is given.
 * @example
 * const app = buildApp({ hosting, training, verifier: new SigV4Verifier(credentials) });
 * await app.listen({ host: "127.0.0.1", port: 8080 });
 */
export function buildApp(
  context: ApiContext,
  limits?: ConnectionLimits,
  console?: ConsoleOptions,
): FastifyInstance {
  const app = baseApp("control", limits);
  // Unauthenticated, the server must not be reachable through another name: a web page on a rebinding
  // domain would otherwise drive the control plane from the user's browser.
  if (context.verifier === null) app.addHook("onRequest", requireLoopbackHost);
  app.get("/ping", (_request, reply) => reply.code(200).send(""));
  registerControlPlane(app, context);
  registerRuntime(app, context);
  if (console !== undefined) registerConsole(app, context, console);
  return app;
}

/** With `--no-auth`, only requests whose Host is a loopback name are served (DNS-rebinding defence). */
async function requireLoopbackHost(request: FastifyRequest): Promise<void> {
  const host = request.headers.host ?? "";
  const name = host.startsWith("[") ? host.slice(0, host.indexOf("]") + 1) : host.replace(/:\d+$/, "");
  if (!isLoopback(name))
    throw new StrataError(
      "HOST_NOT_ALLOWED",
      `Host ${JSON.stringify(host)} is not a loopback name; without authentication (--no-auth) Strata answers only requests to localhost, 127.0.0.1 or [::1].`,
      { details: { host } },
    );
}
