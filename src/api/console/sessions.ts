/**
 * Signed-in browsers of the web console. A session is a random 256-bit id in an HttpOnly, SameSite=Strict
 * cookie and a CSRF token of its own that the page sends back in a header with every call. Sessions live in
 * the server's memory: restarting `strata serve` signs everyone out, and another machine cannot learn an id
 * from the registry. Only the id's SHA-256 is kept, so a heap dump does not hand out live cookies.
 * @module
 */
import { createHash, randomBytes, timingSafeEqual } from "node:crypto";

/** A session ends after this long without a request (12 hours). */
export const SESSION_IDLE_MS = 12 * 60 * 60 * 1000;
/** Past this many sessions the least recently used is ended: a loop of sign-ins cannot fill the memory. */
export const MAX_SESSIONS = 1000;

export interface ConsoleSession {
  readonly csrf: string;
  /** How the browser signed in: "token", or the access key id it gave. */
  readonly who: string;
  lastSeen: number;
}

function digest(id: string): string {
  return createHash("sha256").update(id).digest("hex");
}

/** Constant-time equality of two strings (their digests, so lengths leak nothing either). */
export function sameSecret(a: string, b: string): boolean {
  return timingSafeEqual(createHash("sha256").update(a).digest(), createHash("sha256").update(b).digest());
}

export class SessionStore {
  /** By digest of the id; Map order is least recently used first. */
  readonly #sessions = new Map<string, ConsoleSession>();

  constructor(private readonly now: () => number = Date.now) {}

  /** A new session; its id goes into the cookie and nowhere else. */
  create(who: string): { readonly id: string; readonly session: ConsoleSession } {
    const id = randomBytes(32).toString("base64url");
    const session: ConsoleSession = {
      csrf: randomBytes(24).toString("base64url"),
      who,
      lastSeen: this.now(),
    };
    this.#sessions.set(digest(id), session);
    while (this.#sessions.size > MAX_SESSIONS) this.#sessions.delete(this.#sessions.keys().next().value!);
    return { id, session };
  }

  /** The live session with this id, its idle clock restarted; undefined when unknown, ended or expired. */
  find(id: string | undefined): ConsoleSession | undefined {
    if (id === undefined || id.length === 0 || id.length > 100) return undefined;
    const key = digest(id);
    const session = this.#sessions.get(key);
    if (session === undefined) return undefined;
    this.#sessions.delete(key);
    const now = this.now();
    if (now - session.lastSeen > SESSION_IDLE_MS) return undefined;
    session.lastSeen = now;
    this.#sessions.set(key, session);
    return session;
  }

  /** Ends a session (sign-out). */
  end(id: string | undefined): void {
    if (id !== undefined) this.#sessions.delete(digest(id));
  }
}
