/**
 * Who may use the web console, Jupyter's way: `strata serve` prints a URL with a one-time token (and
 * `strata console-url` mints another); opening it turns the token into a session cookie (HttpOnly,
 * SameSite=Strict, named after the port so two servers on one host keep theirs apart) and drops the token from
 * the address bar. The server's access key pair signs in too, from the sign-in page. Every state-changing call
 * carries the session's CSRF token in `X-CSRF-Token`; a sign-in form posted from another origin is refused.
 * Programs keep SigV4 on `POST /`; none of this applies to them.
 * @module
 */
import type { FastifyReply, FastifyRequest } from "fastify";
import { StrataError } from "../../errors.js";
import type { ConsoleTokenStore } from "../../registry/console-token-store.js";
import type { ServerCredentials } from "../sigv4.js";
import { type ConsoleSession, type SessionStore, sameSecret } from "./sessions.js";

export interface ConsoleAccess {
  readonly tokens: ConsoleTokenStore;
  readonly sessions: SessionStore;
  /** The access key pair that may sign in; null when the server runs without credentials (`--no-auth`). */
  readonly credentials: ServerCredentials | null;
}

/** The session cookie's name: per port, as browsers share a host's cookies across its ports. */
function cookieName(request: FastifyRequest): string {
  return `strata-console-${request.socket.localPort ?? 0}`;
}

/** The header a console page sends its CSRF token in. */
export const CSRF_HEADER = "x-csrf-token";

function cookieOf(request: FastifyRequest): string | undefined {
  return (request as FastifyRequest & { cookies?: Record<string, string | undefined> }).cookies?.[
    cookieName(request)
  ];
}

/** The request's live session, or undefined. */
export function sessionOf(request: FastifyRequest, access: ConsoleAccess): ConsoleSession | undefined {
  return access.sessions.find(cookieOf(request));
}

/** The request's session. @throws StrataError SIGN_IN_REQUIRED */
export function requireSession(request: FastifyRequest, access: ConsoleAccess): ConsoleSession {
  const session = sessionOf(request, access);
  if (session === undefined)
    throw new StrataError(
      "SIGN_IN_REQUIRED",
      "Sign in to the console first: open the URL `strata serve` printed, or run `strata console-url`.",
    );
  return session;
}

/** A request that may change state must carry its session's CSRF token. @throws StrataError CSRF_TOKEN_INVALID */
export function requireCsrf(request: FastifyRequest, session: ConsoleSession): void {
  const sent = request.headers[CSRF_HEADER];
  if (typeof sent !== "string" || !sameSecret(sent, session.csrf))
    throw new StrataError(
      "CSRF_TOKEN_INVALID",
      `This request changes state and needs its session's ${CSRF_HEADER} header; reload the console page.`,
    );
}

/**
 * A browser's form post must come from this server's own pages: the Origin header (sent by every browser on
 * a POST) must name the Host it was sent to. @throws StrataError CSRF_TOKEN_INVALID
 */
export function requireSameOrigin(request: FastifyRequest): void {
  const origin = request.headers.origin;
  if (origin === undefined) return;
  const host = request.headers.host ?? "";
  if (origin !== `http://${host}` && origin !== `https://${host}`)
    throw new StrataError("CSRF_TOKEN_INVALID", "A sign-in from another origin is refused.");
}

/** Starts a session for `who` and sets its cookie on `reply`. */
export function signIn(
  request: FastifyRequest,
  reply: FastifyReply,
  access: ConsoleAccess,
  who: string,
): void {
  const { id } = access.sessions.create(who);
  reply.setCookie(cookieName(request), id, { path: "/", httpOnly: true, sameSite: "strict" });
}

/** Ends the request's session and clears its cookie. */
export function signOut(request: FastifyRequest, reply: FastifyReply, access: ConsoleAccess): void {
  access.sessions.end(cookieOf(request));
  reply.clearCookie(cookieName(request), { path: "/", httpOnly: true, sameSite: "strict" });
}

/** Who a sign-in form's fields sign in as, or undefined when they are wrong. A token is used up either way. */
export function checkSignIn(fields: URLSearchParams, access: ConsoleAccess): string | undefined {
  const token = fields.get("token")?.trim();
  if (token) return access.tokens.consume(token) ? "token" : undefined;
  const id = fields.get("accessKeyId")?.trim() ?? "";
  const secret = fields.get("secretAccessKey") ?? "";
  const c = access.credentials;
  if (c === null || id.length === 0) return undefined;
  // Both compared whatever the first gives: the time taken says nothing about which was wrong.
  const idOk = sameSecret(id, c.accessKeyId);
  const secretOk = sameSecret(secret, c.secretAccessKey);
  return idOk && secretOk ? c.accessKeyId : undefined;
}
