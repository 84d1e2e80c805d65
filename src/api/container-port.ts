/**
 * `strata serve --container-port <port>`: every InService endpoint also answers SageMaker's container
 * contract (spec §4.1) on a port of its own — `GET /ping` (200, empty body), `POST /invocations` (the
 * container's raw statuses: 400, 406, 415 with a text message), `GET /execution-parameters` (batch) — so
 * tools written against a SageMaker container talk to it unchanged. Endpoints get the first free port from
 * `<port>` upward, remembered in `$STRATA_HOME/container-ports.json` so a restart keeps the same ports. The
 * container contract has no authentication (SageMaker's containers have none), so it binds loopback only.
 * @module
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { FastifyInstance } from "fastify";
import type { EndpointService, LoadedEndpoint } from "../serving/endpoint-service.js";
import { baseApp } from "./app.js";
import { sendError } from "./http-errors.js";

/** Runs one container-contract server per loaded endpoint. */
export class ContainerPorts {
  readonly #servers = new Map<string, { app: FastifyInstance; port: number; endpoint: LoadedEndpoint }>();
  readonly #file: string;
  readonly #ports: Record<string, number>;
  #chain: Promise<void> = Promise.resolve();

  constructor(
    private readonly endpoints: EndpointService,
    private readonly host: string,
    private readonly basePort: number,
    home: string,
    /** Where failures to open a port are reported (the server's log). */
    private readonly log: (line: string) => void = () => undefined,
  ) {
    this.#file = join(home, "container-ports.json");
    this.#ports = existsSync(this.#file)
      ? (JSON.parse(readFileSync(this.#file, "utf8")) as Record<string, number>)
      : {};
    endpoints.events.on("loaded", (e: LoadedEndpoint) => this.#enqueue(() => this.#open(e)));
    endpoints.events.on("unloaded", (name: string) => this.#enqueue(() => this.#close(name)));
  }

  /** Opens ports for the endpoints loaded so far. */
  async start(): Promise<void> {
    for (const e of this.endpoints.loadedEndpoints()) this.#enqueue(() => this.#open(e));
    await this.#chain;
  }

  /** `http://host:port` of an endpoint's container contract, once it is open. */
  url(name: string): string | undefined {
    const s = this.#servers.get(name);
    return s === undefined ? undefined : `http://${this.host}:${s.port}`;
  }

  /** Waits for pending opens and closes. */
  settled(): Promise<void> {
    return this.#chain;
  }

  async close(): Promise<void> {
    await this.#chain;
    for (const name of [...this.#servers.keys()]) await this.#close(name);
  }

  #enqueue(work: () => Promise<void>): void {
    this.#chain = this.#chain
      .then(work)
      .catch((e: Error) =>
        this.log(`strata serve: a container contract port could not be opened: ${e.message}`),
      );
  }

  async #open(endpoint: LoadedEndpoint): Promise<void> {
    const existing = this.#servers.get(endpoint.name);
    if (existing !== undefined) {
      existing.endpoint = endpoint;
      return;
    }
    const taken = new Set(
      Object.entries(this.#ports)
        .filter(([n]) => n !== endpoint.name)
        .map(([, p]) => p),
    );
    let port = this.#ports[endpoint.name] ?? this.basePort;
    while (taken.has(port)) port++;
    const entry = { app: baseApp("container"), port, endpoint };
    const app = entry.app;
    app.get("/ping", (_request, reply) => reply.code(200).send(""));
    app.get("/execution-parameters", (_request, reply) =>
      reply.send({ MaxConcurrentTransforms: 1, BatchStrategy: "MULTI_RECORD", MaxPayloadInMB: 6 }),
    );
    app.post("/invocations", (request, reply) => {
      try {
        const h = (n: string) =>
          typeof request.headers[n] === "string" ? (request.headers[n] as string) : undefined;
        const result = this.endpoints.invokeLoaded(
          entry.endpoint,
          h("content-type"),
          h("accept"),
          (request.body as Buffer) ?? Buffer.alloc(0),
        );
        return reply
          .code(200)
          .header("content-type", result.contentType)
          .send(
            typeof result.body === "string"
              ? Buffer.from(result.body, "latin1")
              : Buffer.from(result.body.buffer, result.body.byteOffset, result.body.length),
          );
      } catch (error) {
        return sendError(reply, error, "container");
      }
    });
    // A port another process holds is skipped, as the ports below it that Strata holds are.
    for (let attempt = 0; ; attempt++) {
      try {
        await app.listen({ host: this.host, port });
        break;
      } catch (e) {
        if ((e as { code?: string }).code !== "EADDRINUSE" || attempt >= 100) {
          await app.close();
          throw new Error(`endpoint ${endpoint.name}: ${this.host}:${port}: ${(e as Error).message}`);
        }
        do port++;
        while (taken.has(port));
        entry.port = port;
      }
    }
    this.#servers.set(endpoint.name, entry);
    this.#ports[endpoint.name] = port;
    writeFileSync(this.#file, `${JSON.stringify(this.#ports, null, 2)}\n`);
  }

  async #close(name: string): Promise<void> {
    const s = this.#servers.get(name);
    if (s === undefined) return;
    this.#servers.delete(name);
    await s.app.close();
  }
}
