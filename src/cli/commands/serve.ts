/**
 * `strata serve [--host 127.0.0.1] [--port 8080] [--no-auth] [--container-port <port>]`: the SageMaker
 * control plane, the InvokeEndpoint runtime, CloudWatch Logs, STS and (optionally) per-endpoint container
 * contracts, in one process until Ctrl-C. See src/api/server.ts. `--print-env` prints the environment that
 * points AWS clients at such a server (`eval "$(strata serve --print-env)"`) and exits.
 * @module
 */
import type { Command } from "commander";
import { clientEnvironment, shellExports } from "../../api/client-env.js";
import { loadServerCredentials } from "../../api/credentials.js";
import { startServer } from "../../api/server.js";
import { partialsLocation } from "../../cluster/partial-store.js";
import { redisOptions } from "../../cluster/redis-url.js";
import { defaultArnContext } from "../../jobs/describe.js";
import { strataHome } from "../../registry/home.js";
import { parseInteger } from "../arguments.js";

interface ServeFlags {
  readonly host: string;
  readonly port: number;
  readonly auth: boolean;
  readonly containerPort?: number;
  readonly printEnv?: boolean;
  readonly dataRoot: string[];
  readonly outputRoot: string[];
  readonly allowHttpSources?: boolean;
  readonly cluster?: string;
  readonly clusterAllJobs?: boolean;
  readonly clusterPartials?: string;
  readonly uploadLimit?: number;
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

export function registerServe(program: Command): void {
  program
    .command("serve")
    .description("Serve the SageMaker API (control plane + InvokeEndpoint, SigV4) on this machine.")
    .option("--host <host>", "bind address", "127.0.0.1")
    .option("--port <port>", "port (0: any free port)", parseInteger("--port"), 8080)
    .option("--no-auth", "accept unsigned requests (loopback hosts only)")
    .option(
      "--container-port <port>",
      "also serve each endpoint's /ping and /invocations from this port up",
      parseInteger("--container-port"),
    )
    .option(
      "--data-root <dir>",
      "a directory requests may read local files from, besides $STRATA_HOME (repeatable)",
      collect,
      [],
    )
    .option(
      "--output-root <dir>",
      "a directory requests may write outputs to, besides $STRATA_HOME/artifacts (repeatable)",
      collect,
      [],
    )
    .option("--allow-http-sources", "let requests name http(s) sources (public addresses only)")
    .option(
      "--upload-limit <bytes>",
      "the largest table the web console accepts as an upload (default 1073741824, 1 GiB)",
      parseInteger("--upload-limit"),
    )
    .option(
      "--cluster <redis-url>",
      "run training and transform jobs that ask for more than one instance (ResourceConfig.InstanceCount or TransformResources.InstanceCount > 1) on this cluster's workers (`strata worker`)",
    )
    .option("--cluster-all-jobs", "with --cluster: run every training and transform job there")
    .option(
      "--cluster-partials <uri>",
      "with --cluster: where workers put partials of 1 MiB or more instead of Redis, an s3://bucket/prefix/ or a directory every machine mounts",
    )
    .option(
      "--print-env",
      "print the environment that points boto3, the SageMaker SDK and the AWS CLI here, and exit",
    )
    .action(async (flags: ServeFlags) => {
      if (flags.cluster !== undefined) redisOptions(flags.cluster, "--cluster");
      if (flags.printEnv) {
        const url = `http://${flags.host.includes(":") ? `[${flags.host}]` : flags.host}:${flags.port}`;
        const credentials = loadServerCredentials(strataHome());
        process.stdout.write(shellExports(clientEnvironment(url, credentials, defaultArnContext().region)));
        return;
      }
      const server = await startServer({
        host: flags.host,
        port: flags.port,
        noAuth: !flags.auth,
        ...(flags.containerPort === undefined ? {} : { containerPort: flags.containerPort }),
        access: {
          dataRoots: flags.dataRoot,
          outputRoots: flags.outputRoot,
          allowHttp: flags.allowHttpSources === true,
        },
        log: (line) => process.stdout.write(`${line}\n`),
        ...(flags.uploadLimit === undefined ? {} : { uploadLimit: flags.uploadLimit }),
        ...(flags.cluster === undefined
          ? {}
          : {
              cluster: flags.cluster,
              clusterJobs: flags.clusterAllJobs ? "all" : "multi-instance",
              ...(flags.clusterPartials === undefined
                ? {}
                : { clusterPartials: partialsLocation(flags.clusterPartials, "--cluster-partials") }),
            }),
      });
      await new Promise<void>((resolve) => {
        const stop = () => {
          process.off("SIGINT", stop);
          process.off("SIGTERM", stop);
          void server.close().then(resolve, resolve);
        };
        process.on("SIGINT", stop);
        process.on("SIGTERM", stop);
      });
    });
}
