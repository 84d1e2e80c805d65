/**
 * The one BullMQ queue a cluster's shard tasks go through, and the one way a connection to it is made.
 * @module
 */
import { Redis } from "ioredis";
import { redisOptions } from "./redis-url.js";

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
