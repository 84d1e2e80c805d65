/**
 * `strata serve` as a library: opens the services on `$STRATA_HOME`, brings InService endpoints back, builds
 * the app, listens (127.0.0.1:8080 by default) and, with `containerPort`, opens the per-endpoint container
 * contract. Authentication is on unless `noAuth`, which is refused unless the host is loopback.
 * @module
 */
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import type { FastifyInstance } from "fastify";
import { type ServerAccessOptions, serverAccessRules } from "../data/sources/access.js";
import { StrataError } from "../errors.js";
import { TrainingService } from "../jobs/training-service.js";
import { ConsoleTokenStore, consoleUrl } from "../registry/console-token-store.js";
import { openRegistryDb } from "../registry/db.js";
import { strataHome } from "../registry/home.js";
import { HostingService } from "../serving/hosting-service.js";
import { RunService } from "../workflow/run-service.js";
import { buildApp, type ConnectionLimits, DEFAULT_CONNECTION_LIMITS } from "./app.js";
import { SessionStore } from "./console/sessions.js";
import { DEFAULT_UPLOAD_LIMIT } from "./console/upload.js";
import { ContainerPorts } from "./container-port.js";
import { isLoopback, type LoadedCredentials, loadServerCredentials } from "./credentials.js";
import { SigV4Verifier } from "./sigv4.js";

export interface ServeOptions {
  /** Bind address (default 127.0.0.1). */
  readonly host?: string;
  /** Port (default 8080; 0 = any free port). */
  readonly port?: number;
  readonly home?: string;
  /** Skip SigV4 checks (loopback only). */
  readonly noAuth?: boolean;
  /** First port of the per-endpoint container contract; off when undefined. */
  readonly containerPort?: number;
  /** Registry sync interval for endpoints changed by other processes (default 1000 ms). */
  readonly syncIntervalMs?: number;
  /**
   * Where requests may make the server read and write (docs/security.md): `$STRATA_HOME` and these data
   * roots for reads, `$STRATA_HOME/artifacts` and these output roots for writes, http(s) only on opt-in.
   */
  readonly access?: ServerAccessOptions;
  /** Request, header and idle timeouts and the connection cap (defaults: DEFAULT_CONNECTION_LIMITS). */
  readonly connectionLimits?: Partial<ConnectionLimits>;
  /** Where to print startup lines (default stderr). */
  readonly log?: (line: string) => void;
  /**
   * A cluster's Redis URL (src/cluster): training and transform jobs that ask for more than one instance
   * (`ResourceConfig.InstanceCount`, `TransformResources.InstanceCount` > 1), or every job with
   * `clusterJobs: "all"`, run their shards there.
   */
  readonly cluster?: string;
  readonly clusterJobs?: "all" | "multi-instance";
  /** Where the cluster's workers put partials too large for Redis (cluster/partial-store.ts). */
  readonly clusterPartials?: string;
  /** The built web console (default: the package's dist/console). */
  readonly consoleAssets?: string;
  /** The largest table the console accepts as an upload, in bytes (default 1 GiB). */
  readonly uploadLimit?: number;
}

export interface RunningServer {
  readonly url: string;
  readonly port: number;
  readonly app: FastifyInstance;
  readonly hosting: HostingService;
  readonly training: TrainingService;
  readonly credentials: LoadedCredentials | null;
  readonly containers: ContainerPorts | null;
  /** The web console's URL with a one-time sign-in token, as printed at start. */
  readonly consoleUrl: string;
  /** Mints another one-time console URL (what `strata console-url` prints). */
  newConsoleUrl(): string;
  close(): Promise<void>;
}

/**
 * Starts the server.
 * @throws StrataError INVALID_ARGUMENT (`noAuth` on a non-loopback host, bad credentials), REGISTRY_UNAVAILABLE
 * @example
 * const server = await startServer({ port: 0, home: "/tmp/strata" });
 * console.log(server.url, server.credentials?.accessKeyId);
 */
export async function startServer(options: ServeOptions = {}): Promise<RunningServer> {
  const host = options.host ?? "127.0.0.1";
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  if (options.noAuth && !isLoopback(host))
    throw new StrataError(
      "INVALID_ARGUMENT",
      `--no-auth is allowed only on a loopback host; --host is ${JSON.stringify(host)}.`,
      {
        details: { host },
      },
    );
  const home = strataHome(options.home === undefined ? {} : { home: options.home });
  const credentials = options.noAuth ? null : loadServerCredentials(home);
  // Printed as soon as they exist: a start that fails later (a port in use) must not lose them.
  if (credentials?.generated)
    log(
      `strata serve: generated credentials in ${credentials.source}:\n  AWS_ACCESS_KEY_ID=${credentials.accessKeyId}\n  AWS_SECRET_ACCESS_KEY=${credentials.secretAccessKey}`,
    );
  mkdirSync(home, { recursive: true });
  const access = await serverAccessRules(home, options.access);
  const hosting = HostingService.open({
    home,
    access,
    ...(options.cluster === undefined
      ? {}
      : { cluster: { url: options.cluster, jobs: options.clusterJobs ?? "multi-instance" } }),
  });
  const training = await TrainingService.open({
    home,
    access,
    ...(options.cluster === undefined
      ? {}
      : {
          cluster: options.cluster,
          clusterJobs: options.clusterJobs ?? "multi-instance",
          ...(options.clusterPartials === undefined ? {} : { clusterPartials: options.clusterPartials }),
        }),
  });
  await hosting.startServing(options.syncIntervalMs ?? 1000);
  const consoleDb = openRegistryDb({ home });
  const tokens = new ConsoleTokenStore(consoleDb);
  const runs = new RunService(consoleDb, home);
  const app = buildApp(
    {
      hosting,
      training,
      verifier: credentials === null ? null : new SigV4Verifier(credentials),
      runs: runs.store,
    },
    { ...DEFAULT_CONNECTION_LIMITS, ...options.connectionLimits },
    {
      access: { tokens, sessions: new SessionStore(), credentials },
      rules: access,
      ...(options.consoleAssets === undefined ? {} : { assetsDir: options.consoleAssets }),
      runs: {
        runs,
        rules: access,
        uploadsDir: join(home, "uploads"),
        uploadLimit: options.uploadLimit ?? DEFAULT_UPLOAD_LIMIT,
      },
    },
  );
  try {
    await app.listen({ host, port: options.port ?? 8080 });
  } catch (cause) {
    consoleDb.close();
    await training.close();
    await hosting.close();
    const code = (cause as { code?: string }).code;
    throw new StrataError(
      "INVALID_ARGUMENT",
      code === "EADDRINUSE"
        ? `Port ${options.port ?? 8080} on ${host} is in use: stop what listens there, or choose another with --port.`
        : `Cannot listen on ${host}:${options.port ?? 8080}: ${(cause as Error).message}.`,
      { details: { host, port: options.port ?? 8080, code }, cause },
    );
  }
  const address = app.server.address();
  const port = typeof address === "object" && address !== null ? address.port : (options.port ?? 8080);
  const url = `http://${host.includes(":") ? `[${host}]` : host}:${port}`;
  // The container contract has no authentication (SageMaker's containers have none): it listens on
  // loopback only, whatever --host is.
  const containerHost = isLoopback(host) ? host : "127.0.0.1";
  const containers =
    options.containerPort === undefined
      ? null
      : new ContainerPorts(hosting.endpoints, containerHost, options.containerPort, home, log);
  await containers?.start();
  log(`strata serve: listening on ${url} (home ${home})`);
  log(
    `strata serve: reads local files under ${access.readRoots?.join(", ")}; writes under ${access.writeRoots?.join(", ")}; http(s) sources ${access.allowHttp ? "allowed (public addresses only)" : "off"}`,
  );
  if (credentials === null) log("strata serve: authentication is OFF (--no-auth)");
  else if (!credentials.generated)
    log(`strata serve: SigV4 credentials from ${credentials.source} (access key ${credentials.accessKeyId})`);
  const portFlag = port === 8080 ? "" : ` --port ${port}`;
  const hostFlag = host === "127.0.0.1" ? "" : ` --host ${host}`;
  log(
    `strata serve: SageMaker, SageMaker Runtime, CloudWatch Logs and STS on ${url}; point boto3, the SageMaker SDK and the AWS CLI here with\n  eval "$(strata serve --print-env${hostFlag}${portFlag})"`,
  );
  const newConsoleUrl = () => consoleUrl(url, tokens);
  const firstConsoleUrl = newConsoleUrl();
  log(`strata serve: web console on ${firstConsoleUrl}`);
  for (const e of hosting.endpoints.loadedEndpoints())
    log(
      `strata serve: endpoint ${e.name} InService${containers?.url(e.name) ? ` (container contract ${containers.url(e.name)})` : ""}`,
    );
  return {
    url,
    port,
    app,
    hosting,
    training,
    credentials,
    containers,
    consoleUrl: firstConsoleUrl,
    newConsoleUrl,
    async close() {
      await containers?.close();
      // Runs first: their end closes the progress streams that would otherwise hold app.close() open.
      await runs.close();
      await app.close();
      consoleDb.close();
      await training.close();
      await hosting.close();
    },
  };
}
