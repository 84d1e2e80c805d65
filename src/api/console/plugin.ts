/**
 * The web console inside `strata serve`: the sign-in page, the console's pages and bundled assets (built by
 * scripts/build-console.mjs from web/console into dist/console), and its API under `/console/api`. All of it
 * sits in one fastify scope with its own cookie parsing and security headers, so the control plane and the
 * runtime's hot path carry none of it. Every route but the sign-in page needs a session (access.ts).
 * @module
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import fastifyCookie from "@fastify/cookie";
import fastifyStatic from "@fastify/static";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { AccessRules } from "../../data/sources/access.js";
import { StrataError } from "../../errors.js";
import type { ApiContext } from "../context.js";
import { callJsonAction } from "../control-plane.js";
import {
  type ConsoleAccess,
  checkSignIn,
  requireCsrf,
  requireSameOrigin,
  requireSession,
  sessionOf,
  signIn,
  signOut,
} from "./access.js";
import { registerHostingRoutes } from "./hosting-routes.js";
import { type RunRoutesOptions, registerRunRoutes } from "./run-routes.js";
import { signInPage } from "./sign-in-page.js";

export interface ConsoleOptions {
  readonly access: ConsoleAccess;
  /** Where requests may make the server read (docs/security.md): artifacts to inspect, run sources. */
  readonly rules: AccessRules;
  /** Segmentation runs, uploads and their limits (run-routes.ts); without them the console has no runs. */
  readonly runs?: RunRoutesOptions;
  /** The built console: `index.html` and `assets/` (default: the package's dist/console). */
  readonly assetsDir?: string;
}

/** dist/console of this package, from src/api/console (sources) or dist/api/console (built) alike. */
export function defaultConsoleAssets(): string {
  return fileURLToPath(new URL("../../../dist/console", import.meta.url));
}

/** The console's client-side routes: each GET answers the console page, which draws the route. */
const PAGE_ROUTES = [
  "/",
  "/runs",
  "/runs/*",
  "/jobs",
  "/jobs/*",
  "/models",
  "/models/*",
  "/endpoints",
  "/endpoints/:name",
  "/transforms",
  "/transforms/*",
  "/workers",
];

/**
 * The console's own scripts and styles only; inline styles for the charts (vega-embed sets them); images
 * from data: and blob: URLs (chart downloads); nothing from another origin, and no framing.
 */
const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "connect-src 'self'",
  "frame-ancestors 'none'",
  "form-action 'self'",
  "base-uri 'none'",
].join("; ");

function securityHeaders(reply: FastifyReply): void {
  reply
    .header("content-security-policy", CONTENT_SECURITY_POLICY)
    .header("x-content-type-options", "nosniff")
    .header("x-frame-options", "DENY")
    // The first URL carries the token: no Referer may take it elsewhere.
    .header("referrer-policy", "no-referrer");
}

function bodyText(request: FastifyRequest): string {
  const body = request.body as Buffer | undefined;
  return body === undefined ? "" : body.toString("utf8");
}

function sendSignIn(
  reply: FastifyReply,
  access: ConsoleAccess,
  status: number,
  error?: string,
): FastifyReply {
  return reply
    .code(status)
    .header("content-type", "text/html; charset=utf-8")
    .header("cache-control", "no-store")
    .send(signInPage({ keyPair: access.credentials !== null, ...(error === undefined ? {} : { error }) }));
}

/** Adds the console to `app`. */
export function registerConsole(app: FastifyInstance, context: ApiContext, options: ConsoleOptions): void {
  const { access } = options;
  const assetsDir = options.assetsDir ?? defaultConsoleAssets();
  const indexPath = join(assetsDir, "index.html");
  const indexHtml = existsSync(indexPath) ? readFileSync(indexPath, "utf8") : undefined;

  app.register(async (scope) => {
    await scope.register(fastifyCookie);
    scope.addHook("onRequest", async (_request, reply) => securityHeaders(reply));

    scope.get("/sign-in", (_request, reply) => sendSignIn(reply, access, 200));
    scope.post("/sign-in", (request, reply) => {
      requireSameOrigin(request);
      const who = checkSignIn(new URLSearchParams(bodyText(request)), access);
      if (who === undefined)
        return sendSignIn(
          reply,
          access,
          401,
          "That token is unknown, used or expired, or the key pair is wrong. Get a new URL with `strata console-url`.",
        );
      signIn(request, reply, access, who);
      return reply.code(303).header("location", "/").send();
    });

    const page = (request: FastifyRequest, reply: FastifyReply) => {
      const url = new URL(request.url, "http://console");
      const token = url.searchParams.get("token");
      if (token !== null) {
        if (!access.tokens.consume(token))
          return sendSignIn(
            reply,
            access,
            401,
            "The link's token is unknown, used or expired: each link signs in once. Get a new one with `strata console-url`.",
          );
        signIn(request, reply, access, "token");
        url.searchParams.delete("token");
        return reply.code(303).header("location", `${url.pathname}${url.search}`).send();
      }
      if (sessionOf(request, access) === undefined)
        return reply.code(303).header("location", "/sign-in").send();
      if (indexHtml === undefined)
        return reply
          .code(503)
          .header("content-type", "text/plain; charset=utf-8")
          .send(`The console is not built (no ${indexPath}): run \`npm run build\`.`);
      return reply
        .code(200)
        .header("content-type", "text/html; charset=utf-8")
        .header("cache-control", "no-store")
        .send(indexHtml);
    };
    for (const route of PAGE_ROUTES) scope.get(route, page);

    scope.get("/console/api/session", (request, reply) => {
      const session = requireSession(request, access);
      return reply
        .header("cache-control", "no-store")
        .send({ csrfToken: session.csrf, signedInWith: session.who, cluster: context.training.hasCluster });
    });
    scope.post("/console/api/sign-out", (request, reply) => {
      requireCsrf(request, requireSession(request, access));
      signOut(request, reply, access);
      return reply.code(204).send();
    });
    // The SageMaker and CloudWatch Logs actions of `POST /`, for a signed-in page: the same handlers and
    // validation, with the session and its CSRF token in place of SigV4.
    scope.post("/console/api/call", async (request, reply) => {
      requireCsrf(request, requireSession(request, access));
      const body = (request.body as Buffer | undefined) ?? Buffer.alloc(0);
      const answer = await callJsonAction(request.headers["x-amz-target"], body, context);
      return reply
        .header("content-type", "application/json")
        .header("cache-control", "no-store")
        .send(answer);
    });

    registerHostingRoutes(scope, context, access, options.rules);
    if (options.runs !== undefined) registerRunRoutes(scope, access, options.runs);

    await scope.register(async (assets) => {
      assets.addHook("onRequest", async (request) => {
        requireSession(request, access);
      });
      if (existsSync(join(assetsDir, "assets")))
        await assets.register(fastifyStatic, {
          root: join(assetsDir, "assets"),
          prefix: "/console/assets/",
          decorateReply: false,
          index: false,
          list: false,
          // Names carry a content hash (the build's), so a browser may keep them.
          immutable: true,
          maxAge: "365d",
        });
      else
        assets.get("/console/assets/*", () => {
          throw new StrataError("UNKNOWN_OPERATION", "The console is not built: run `npm run build`.");
        });
    });
  });
}
