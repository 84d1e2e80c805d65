/**
 * The one BullMQ queue a cluster's shard tasks go through, and the one way a connection to it is made.
 * @module
 */
import { Redis } from "ioredis";
import { StrataError } from "../errors.js";
import { redactedUrl, redisOptions } from "./redis-url.js";

/** The queue of shard tasks (BullMQ keys `bull:strata-shards:*`). */
export const SHARD_QUEUE = "strata-shards";

/** A fresh ioredis connection for one BullMQ object (a Queue, a QueueEvents or a Worker each need their own). */
export function redisConnection(url: string, flag: string): Redis {
  const connection = new Redis(redisOptions(url, flag));
  // A lost connection fails the commands that need it, which is where it is reported; without a listener
  // ioredis would also print every reconnection attempt's error to stderr.
  connection.on("error", () => {});
  return connection;
}

/** How a shard's failure crosses the queue: a StrataError as JSON after this marker, in the job's reason. */
export const STRATA_ERROR_MARK = "strata-error:";

/** The key that tells workers to drop a fit's tasks: set when its job is stopped. */
export function stopKey(fit: string): string {
  return `strata:stop:${fit}`;
}

/** How long reaching the cluster's Redis may take before it is called unreachable. */
const CONNECT_TIMEOUT_MS = 5000;

/**
 * Resolves once the cluster's Redis answers PING. The connections BullMQ uses wait for Redis forever (as its
 * blocking reads must), so a wrong address or a down server is named here, before them.
 * @throws StrataError SOURCE_UNREACHABLE naming the URL (without its password) and the reason
 */
export async function checkReachable(url: string, flag: string): Promise<void> {
  const client = new Redis({
    ...redisOptions(url, flag),
    lazyConnect: true,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
    connectTimeout: CONNECT_TIMEOUT_MS,
  });
  client.on("error", () => {});
  try {
    await client.connect();
    await client.ping();
  } catch (cause) {
    throw new StrataError(
      "SOURCE_UNREACHABLE",
      `Cannot reach the cluster's Redis at ${redactedUrl(url)} (${flag}): ${(cause as Error).message}.`,
      { details: { cluster: redactedUrl(url) }, cause },
    );
  } finally {
    client.disconnect();
  }
}
