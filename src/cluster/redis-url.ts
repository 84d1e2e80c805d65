/**
 * A cluster's Redis named by URL, as every Redis client names it: `redis://[user:password@]host:port[/db]`,
 * or `rediss://…` for TLS. The connection options are ioredis's, with `maxRetriesPerRequest: null` (BullMQ's
 * workers block on Redis and must not give up a command after a few retries).
 * @module
 */
import type { RedisOptions } from "ioredis";
import { StrataError } from "../errors.js";

/**
 * ioredis options for a Redis URL.
 * @throws StrataError INVALID_ARGUMENT naming `flag` for a URL that is not redis:// or rediss://
 * @example redisOptions("redis://:secret@10.0.0.5:6379/2", "--redis")
 */
export function redisOptions(url: string, flag: string): RedisOptions {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw badUrl(url, flag);
  }
  if (parsed.protocol !== "redis:" && parsed.protocol !== "rediss:") throw badUrl(url, flag);
  const db = parsed.pathname.length > 1 ? Number(parsed.pathname.slice(1)) : 0;
  if (!Number.isInteger(db) || db < 0) throw badUrl(url, flag);
  return {
    host: parsed.hostname || "127.0.0.1",
    port: parsed.port === "" ? 6379 : Number(parsed.port),
    db,
    ...(parsed.username ? { username: decodeURIComponent(parsed.username) } : {}),
    ...(parsed.password ? { password: decodeURIComponent(parsed.password) } : {}),
    ...(parsed.protocol === "rediss:" ? { tls: { servername: parsed.hostname } } : {}),
    maxRetriesPerRequest: null,
  };
}

/** The URL without its password, for logs and messages. */
export function redactedUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = "***";
    return parsed.toString();
  } catch {
    return "(an unparsable URL)";
  }
}

function badUrl(url: string, flag: string): StrataError {
  return new StrataError(
    "INVALID_ARGUMENT",
    `${flag} ${JSON.stringify(redactedUrl(url))} is invalid: expected redis://[user:password@]host:port[/db] or rediss://… for TLS.`,
    { details: { option: flag } },
  );
}
