/**
 * A real redis-server for tests: started on a free loopback port with no persistence and BullMQ's required
 * `maxmemory-policy noeviction`, stopped by the test. CI installs Debian's redis-server (.ci/run); where it is
 * missing the tests that need it are skipped, saying so.
 * @module
 */
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { createServer } from "node:net";
import { setTimeout as sleep } from "node:timers/promises";
import { Redis } from "ioredis";

export const REDIS_SERVER = ["/usr/bin/redis-server", "/usr/local/bin/redis-server"].find((p) =>
  existsSync(p),
);

/** Why Redis tests are skipped here, or false when they run. */
export const redisSkip: string | false =
  REDIS_SERVER === undefined
    ? "redis-server is not installed (CI installs Debian's; apt-get install redis-server)"
    : false;

export interface RedisServer {
  readonly url: string;
  readonly port: number;
  stop(): Promise<void>;
}

/** A port free on 127.0.0.1 now. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** Where and how a test's redis-server runs (default: a free port on 127.0.0.1, no password). */
export interface RedisPlace {
  /** The address it binds and is reached at. */
  readonly host?: string;
  readonly port?: number;
  /** `requirepass`: clients then need it (the URL carries it). */
  readonly password?: string;
  /** A command the server runs under, e.g. `ip netns exec <ns>`. */
  readonly under?: readonly string[];
}

/** Starts redis-server (on a free loopback port unless told) and waits until it answers PING. */
export async function startRedis(place: RedisPlace = {}): Promise<RedisServer> {
  const host = place.host ?? "127.0.0.1";
  const port = place.port ?? (await freePort());
  const args = [
    "--port",
    String(port),
    "--bind",
    host,
    "--save",
    "",
    "--appendonly",
    "no",
    "--maxmemory-policy",
    "noeviction",
    ...(place.password === undefined ? [] : ["--requirepass", place.password]),
  ];
  const [command, ...prefix] = [...(place.under ?? []), REDIS_SERVER!];
  const child: ChildProcess = spawn(command!, [...prefix, ...args], { stdio: "ignore" });
  const auth = place.password === undefined ? "" : `:${encodeURIComponent(place.password)}@`;
  const url = `redis://${auth}${host}:${port}`;
  for (let i = 0; i < 100; i++) {
    const client = new Redis({
      port,
      host,
      ...(place.password === undefined ? {} : { password: place.password }),
      lazyConnect: true,
      maxRetriesPerRequest: 0,
      retryStrategy: () => null,
    });
    // Refused while the server starts: that is what the loop waits out.
    client.on("error", () => {});
    try {
      await client.connect();
      if ((await client.ping()) === "PONG") {
        client.disconnect();
        return {
          url,
          port,
          async stop() {
            if (child.exitCode === null) {
              const exited = new Promise((r) => child.once("exit", r));
              child.kill("SIGTERM");
              await exited;
            }
          },
        };
      }
    } catch {
      client.disconnect();
    }
    await sleep(50);
  }
  child.kill("SIGKILL");
  throw new Error(`redis-server did not answer on ${host}:${port}`);
}
