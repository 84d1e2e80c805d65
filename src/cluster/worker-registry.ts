/**
 * Who is in a cluster: each `strata worker` keeps a Redis hash `strata:worker:<host:pid>` with its host, load
 * and last shard, rewritten every HEARTBEAT_MS with an expiry of a few heartbeats, so a worker that dies or is
 * cut off drops out of the list by itself. `strata workers` (and `listWorkers`) read them.
 * @module
 */
import { hostname } from "node:os";
import type { Redis } from "ioredis";

const PREFIX = "strata:worker:";

/** How often a worker rewrites its entry. */
export const HEARTBEAT_MS = 2000;

/** How long an entry outlives its last heartbeat. */
const EXPIRY_SECONDS = 10;

/** One worker as the cluster sees it. */
export interface WorkerInfo {
  readonly name: string;
  readonly host: string;
  readonly pid: number;
  readonly concurrency: number;
  /** Shards running now. */
  readonly running: number;
  readonly done: number;
  readonly failed: number;
  /** The last shard it started ("shard 2 of <task>"), or "". */
  readonly lastShard: string;
  readonly startedAt: string;
  /** Its last heartbeat. */
  readonly lastSeen: string;
}

/** A worker's own entry, kept fresh until stopped. */
export class WorkerEntry {
  readonly #redis: Redis;
  readonly #info: { -readonly [K in keyof WorkerInfo]: WorkerInfo[K] };
  readonly #timer: NodeJS.Timeout;

  constructor(redis: Redis, name: string, concurrency: number) {
    this.#redis = redis;
    const now = new Date().toISOString();
    this.#info = {
      name,
      host: hostname(),
      pid: process.pid,
      concurrency,
      running: 0,
      done: 0,
      failed: 0,
      lastShard: "",
      startedAt: now,
      lastSeen: now,
    };
    this.#timer = setInterval(() => void this.write(), HEARTBEAT_MS);
    this.#timer.unref();
  }

  started(shard: string): void {
    this.#info.running++;
    this.#info.lastShard = shard;
    void this.write();
  }

  ended(ok: boolean): void {
    this.#info.running--;
    if (ok) this.#info.done++;
    else this.#info.failed++;
    void this.write();
  }

  /** Writes the entry now (a lost connection is retried by the next heartbeat). */
  async write(): Promise<void> {
    this.#info.lastSeen = new Date().toISOString();
    const key = PREFIX + this.#info.name;
    const fields = Object.entries(this.#info).flatMap(([k, v]) => [k, String(v)]);
    await this.#redis
      .multi()
      .hset(key, ...fields)
      .expire(key, EXPIRY_SECONDS)
      .exec()
      .catch(() => undefined);
  }

  /** Removes the entry: the worker has left. */
  async remove(): Promise<void> {
    clearInterval(this.#timer);
    await this.#redis.del(PREFIX + this.#info.name).catch(() => undefined);
  }
}

/** The cluster's live workers, by name. */
export async function listWorkers(redis: Redis): Promise<WorkerInfo[]> {
  const keys: string[] = [];
  let cursor = "0";
  do {
    const [next, found] = await redis.scan(cursor, "MATCH", `${PREFIX}*`, "COUNT", 100);
    cursor = next;
    keys.push(...found);
  } while (cursor !== "0");
  const workers: WorkerInfo[] = [];
  for (const key of keys.sort()) {
    const h = await redis.hgetall(key);
    if (h["name"] === undefined) continue;
    workers.push({
      name: h["name"],
      host: h["host"] ?? "",
      pid: Number(h["pid"]),
      concurrency: Number(h["concurrency"]),
      running: Number(h["running"]),
      done: Number(h["done"]),
      failed: Number(h["failed"]),
      lastShard: h["lastShard"] ?? "",
      startedAt: h["startedAt"] ?? "",
      lastSeen: h["lastSeen"] ?? "",
    });
  }
  return workers;
}
