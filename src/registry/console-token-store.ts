/**
 * The web console's one-time sign-in tokens (src/api/console): `strata serve` mints one when it starts and
 * `strata console-url` mints one from another process, so they live in the registry both share. Only a
 * token's SHA-256 is stored; a token is deleted when it is used, and expires unused after `ttlMs`.
 * @module
 */
import { createHash, randomBytes } from "node:crypto";
import type { RegistryDb } from "./db.js";

/** How long an unused token stays valid (24 hours): long enough to open the printed URL the next morning. */
export const CONSOLE_TOKEN_TTL_MS = 24 * 60 * 60 * 1000;

function digest(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

export class ConsoleTokenStore {
  constructor(
    private readonly db: RegistryDb,
    private readonly now: () => number = Date.now,
  ) {}

  /** A new token (48 URL-safe characters, 288 random bits), valid once until `ttlMs` from now. */
  mint(ttlMs: number = CONSOLE_TOKEN_TTL_MS): string {
    const token = randomBytes(36).toString("base64url");
    const now = this.now();
    this.db
      .prepare("INSERT INTO console_tokens (hash, created, expires) VALUES (?, ?, ?)")
      .run(digest(token), now, now + ttlMs);
    return token;
  }

  /** True, once, for a token that was minted and has not expired; the token is gone afterwards. */
  consume(token: string): boolean {
    const now = this.now();
    this.db.prepare("DELETE FROM console_tokens WHERE expires <= ?").run(now);
    return (
      this.db.prepare("DELETE FROM console_tokens WHERE hash = ? AND expires > ?").run(digest(token), now)
        .changes === 1
    );
  }
}

/** The console's address with a new one-time token: opening it signs a browser in (src/api/console). */
export function consoleUrl(serverUrl: string, tokens: ConsoleTokenStore): string {
  return `${serverUrl}/?token=${tokens.mint()}`;
}
