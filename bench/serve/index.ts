/**
 * The serving benchmark: single-row and 1000-row CSV InvokeEndpoint on the census pipeline endpoint
 * (scaler → PCA top 5 → K-Means), signed exactly as the AWS SDK signs (the real SageMakerRuntimeClient
 * builds and signs the request; autocannon replays it), next to a bare fastify handler measured in the same
 * run. Servers run in a child process; autocannon (10 connections, pipelining 1) in this one.
 *
 * `runServeBenchmark()` returns harness rows `{case: "serve", tool, rows, medianMs, minMs, maxMs,
 * ratioToStrata}` (medianMs = p50 latency; ratioToStrata = this tool's p50 / Strata's p50) plus reqPerSec,
 * p50Ms, p99Ms and rowsPerSec. Run alone: `node --import tsx bench/serve/index.ts [--seconds 5]`.
 * @module
 */
import { spawn } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { InvokeEndpointCommand, SageMakerRuntimeClient } from "@aws-sdk/client-sagemaker-runtime";
import autocannon from "autocannon";

const HERE = dirname(fileURLToPath(import.meta.url));

/** One benchmark row. */
export interface ServeBenchRow {
  readonly case: "serve";
  readonly tool: "bare-fastify" | "strata";
  readonly rows: number;
  readonly medianMs: number;
  readonly minMs: number;
  readonly maxMs: number;
  readonly ratioToStrata: number;
  readonly reqPerSec: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly rowsPerSec: number;
  readonly non2xx: number;
}

export interface ServeBenchOptions {
  /** Seconds per measurement (default 5; each is preceded by a 1 s warm-up). */
  readonly seconds?: number;
  readonly connections?: number;
}

interface Servers {
  bare: number;
  strata: number;
  accessKeyId: string;
  secretAccessKey: string;
  oneRow: string;
  thousandRows: string;
}

/** The headers the SDK would send for this InvokeEndpoint (captured before the network). */
async function signedHeaders(port: number, servers: Servers, body: string): Promise<Record<string, string>> {
  let captured: Record<string, string> = {};
  const client = new SageMakerRuntimeClient({
    endpoint: `http://127.0.0.1:${port}`,
    region: "us-east-1",
    credentials: { accessKeyId: servers.accessKeyId, secretAccessKey: servers.secretAccessKey },
    maxAttempts: 1,
    requestHandler: {
      handle: async (request: { headers: Record<string, string> }) => {
        // autocannon writes its own Content-Length; a second one would make the request invalid.
        const { "content-length": _length, ...rest } = request.headers;
        captured = rest;
        throw new Error("captured");
      },
    } as never,
  });
  await client
    .send(
      new InvokeEndpointCommand({ EndpointName: "census", ContentType: "text/csv", Body: Buffer.from(body) }),
    )
    .catch(() => undefined);
  client.destroy();
  return captured;
}

async function measure(
  port: number,
  headers: Record<string, string>,
  body: string,
  seconds: number,
  connections: number,
) {
  const url = `http://127.0.0.1:${port}/endpoints/census/invocations`;
  const options = { url, method: "POST" as const, headers, body, connections, pipelining: 1 };
  await autocannon({ ...options, duration: 1 });
  const r = await autocannon({ ...options, duration: seconds });
  return {
    reqPerSec: r.requests.average,
    p50: r.latency.p50,
    p99: r.latency.p99,
    min: r.latency.min,
    max: r.latency.max,
    non2xx: r.non2xx + r.errors,
  };
}

/** Runs the benchmark and returns its rows (bare fastify and Strata, 1 and 1000 rows). */
export async function runServeBenchmark(options: ServeBenchOptions = {}): Promise<ServeBenchRow[]> {
  const seconds = options.seconds ?? 5;
  const connections = options.connections ?? 10;
  const child = spawn(process.execPath, ["--import", "tsx", join(HERE, "servers.ts")], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  try {
    const servers = await new Promise<Servers>((resolve, reject) => {
      let out = "";
      child.stdout.setEncoding("utf8").on("data", (d: string) => {
        out += d;
        const nl = out.indexOf("\n");
        if (nl >= 0) resolve(JSON.parse(out.slice(0, nl)) as Servers);
      });
      child.on("exit", (code) => reject(new Error(`bench servers exited ${code}`)));
    });
    const rows: ServeBenchRow[] = [];
    for (const [n, body] of [
      [1, servers.oneRow],
      [1000, servers.thousandRows],
    ] as const) {
      const results = [];
      for (const [tool, port] of [
        ["bare-fastify", servers.bare],
        ["strata", servers.strata],
      ] as const) {
        const headers = await signedHeaders(port, servers, body);
        results.push({ tool, ...(await measure(port, headers, body, seconds, connections)) });
      }
      const strataP50 = results.find((r) => r.tool === "strata")!.p50;
      for (const r of results) {
        rows.push({
          case: "serve",
          tool: r.tool,
          rows: n,
          medianMs: r.p50,
          minMs: r.min,
          maxMs: r.max,
          ratioToStrata: strataP50 > 0 ? r.p50 / strataP50 : 1,
          reqPerSec: r.reqPerSec,
          p50Ms: r.p50,
          p99Ms: r.p99,
          rowsPerSec: r.reqPerSec * n,
          non2xx: r.non2xx,
        });
      }
    }
    return rows;
  } finally {
    child.kill("SIGTERM");
  }
}

/** A markdown table of the rows. */
export function formatServeTable(rows: readonly ServeBenchRow[]): string {
  const lines = [
    "| rows/request | tool | req/s | rows/s | p50 ms | p99 ms | non-2xx |",
    "|---|---|---|---|---|---|---|",
  ];
  for (const r of rows)
    lines.push(
      `| ${r.rows} | ${r.tool} | ${Math.round(r.reqPerSec)} | ${Math.round(r.rowsPerSec)} | ${r.p50Ms} | ${r.p99Ms} | ${r.non2xx} |`,
    );
  const ratio = (n: number) => {
    const s = rows.find((r) => r.rows === n && r.tool === "strata");
    const b = rows.find((r) => r.rows === n && r.tool === "bare-fastify");
    return s && b ? ((100 * s.reqPerSec) / b.reqPerSec).toFixed(1) : "?";
  };
  lines.push(
    "",
    `Strata single-row req/s = ${ratio(1)}% of the bare handler's; 1000-row req/s = ${ratio(1000)}%.`,
  );
  return lines.join("\n");
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const at = process.argv.indexOf("--seconds");
  const rows = await runServeBenchmark(at > 0 ? { seconds: Number(process.argv[at + 1]) } : {});
  process.stdout.write(`${formatServeTable(rows)}\n`);
}
