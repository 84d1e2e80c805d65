/**
 * The serving benchmark: single-row and 1000-row CSV InvokeEndpoint on the census pipeline endpoint
 * (scaler → PCA top 5 → K-Means), signed exactly as the AWS SDK signs (the real SageMakerRuntimeClient
 * builds and signs the request; autocannon replays it), next to a bare fastify handler measured in the same
 * run. Servers run in a child process; autocannon (10 connections, pipelining 1) in this one. A third row,
 * `bare-fastify-batched`, is the bare handler with Strata's response path (direct write, writes batched per
 * event-loop turn), so the share of Strata's ratio that comes from write batching is visible.
 *
 * `runServeBenchmark()` returns harness rows `{case: "serve", tool, rows, medianMs, minMs, maxMs,
 * ratioToStrata}` (medianMs = p50 latency; ratioToStrata = this tool's p50 / Strata's p50) plus reqPerSec,
 * p50Ms, p99Ms, rowsPerSec and serverCpuUsPerReq (user + system CPU of the server process per request
 * during the measurement: on a machine where client and server share the cores, req/s swings with
 * scheduling and other load, while CPU per request says what the server itself spends).
 * `--pin` puts servers and client on separate CPUs (see {@link ServeBenchOptions.pin}).
 * Run alone: `node --import tsx bench/serve/index.ts [--seconds 5] [--rounds N] [--pin]`.
 * @module
 */
import { spawn, spawnSync } from "node:child_process";
import { availableParallelism } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import autocannon from "autocannon";
import { sdkSignedHeaders } from "./sdk-headers.js";

const HERE = dirname(fileURLToPath(import.meta.url));

/** One benchmark row. */
export interface ServeBenchRow {
  readonly case: "serve";
  readonly tool: "bare-fastify" | "bare-fastify-batched" | "strata";
  readonly rows: number;
  readonly medianMs: number;
  readonly minMs: number;
  readonly maxMs: number;
  readonly ratioToStrata: number;
  readonly reqPerSec: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly rowsPerSec: number;
  /** Server process CPU (user + system) per request, µs. */
  readonly serverCpuUsPerReq: number;
  readonly non2xx: number;
  /** Rounds measured; the row is the tool's median round by req/s. */
  readonly rounds: number;
  /** Strata's row: its req/s over bare fastify's, per round, in % (each round measures every tool in turn). */
  readonly roundRatios: readonly number[];
}

export interface ServeBenchOptions {
  /** Seconds per measurement (default 5; each is preceded by a 1 s warm-up). */
  readonly seconds?: number;
  readonly connections?: number;
  /**
   * Pin the servers to the last CPU and this process (autocannon) to the others with `taskset` (default off;
   * needs Linux, ≥ 2 CPUs and taskset). Unpinned, the scheduler sometimes runs client and server on the same
   * core and a run's numbers halve (bare fastify measured both ~15k and ~39k req/s, alternately, on the
   * 2-core VM); pinned, every tool gets the same placement, but a pinned server cannot move away from other
   * CPU-heavy work on its core. Report which was used.
   */
  readonly pin?: boolean;
  /**
   * Rounds (default 1): each measures every tool in turn, and each tool's row is its median round. Bare
   * fastify alone moves by ±1 µs per request from run to run on the shared 2-core VM, so one round's ratio
   * is good to about ±4 points; interleaved rounds show the spread and a steadier median.
   */
  readonly rounds?: number;
}

/** Whether `taskset` can pin here. */
function canPin(): boolean {
  return (
    process.platform === "linux" &&
    availableParallelism() >= 2 &&
    spawnSync("taskset", ["-V"], { stdio: "ignore" }).status === 0
  );
}

interface Servers {
  bare: number;
  bareBatched: number;
  strata: number;
  accessKeyId: string;
  secretAccessKey: string;
  oneRow: string;
  thousandRows: string;
}

/** The headers the SDK would send for this InvokeEndpoint, without Content-Length (autocannon writes its own). */
async function signedHeaders(port: number, servers: Servers, body: string): Promise<Record<string, string>> {
  const { "content-length": _length, ...rest } = await sdkSignedHeaders({
    endpoint: `http://127.0.0.1:${port}`,
    accessKeyId: servers.accessKeyId,
    secretAccessKey: servers.secretAccessKey,
    body,
  });
  return rest;
}

async function measure(
  port: number,
  headers: Record<string, string>,
  body: string,
  seconds: number,
  connections: number,
  serverCpu: () => Promise<number>,
) {
  const url = `http://127.0.0.1:${port}/endpoints/census/invocations`;
  const options = { url, method: "POST" as const, headers, body, connections, pipelining: 1 };
  await autocannon({ ...options, duration: 1 });
  const cpu0 = await serverCpu();
  const r = await autocannon({ ...options, duration: seconds });
  const cpu1 = await serverCpu();
  return {
    serverCpuUsPerReq: r.requests.total > 0 ? (cpu1 - cpu0) / r.requests.total : 0,
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
  const rounds = Math.max(1, Math.floor(options.rounds ?? 1));
  const pin = options.pin === true && canPin();
  const serverArgs = ["--import", "tsx", join(HERE, "servers.ts")];
  const cpus = availableParallelism();
  if (pin) spawnSync("taskset", ["-p", "-c", `0-${cpus - 2}`, String(process.pid)], { stdio: "ignore" });
  const child = pin
    ? spawn("taskset", ["-c", String(cpus - 1), process.execPath, ...serverArgs], {
        stdio: ["pipe", "pipe", "inherit"],
      })
    : spawn(process.execPath, serverArgs, { stdio: ["pipe", "pipe", "inherit"] });
  try {
    // stdout: the servers line, then one cpuUsage line per "cpu" request written to stdin.
    const lines: string[] = [];
    const waiting: { resolve: (line: string) => void; reject: (e: Error) => void }[] = [];
    let exited: Error | null = null;
    let out = "";
    child.stdout.setEncoding("utf8").on("data", (d: string) => {
      out += d;
      for (let nl = out.indexOf("\n"); nl >= 0; nl = out.indexOf("\n")) {
        const line = out.slice(0, nl);
        out = out.slice(nl + 1);
        const next = waiting.shift();
        if (next) next.resolve(line);
        else lines.push(line);
      }
    });
    child.on("exit", (code) => {
      exited = new Error(`bench servers exited ${code}`);
      for (const w of waiting.splice(0)) w.reject(exited);
    });
    const nextLine = () =>
      new Promise<string>((resolve, reject) => {
        const line = lines.shift();
        if (line !== undefined) resolve(line);
        else if (exited !== null) reject(exited);
        else waiting.push({ resolve, reject });
      });
    const servers = JSON.parse(await nextLine()) as Servers;
    const serverCpu = async () => {
      child.stdin.write("cpu\n");
      const usage = JSON.parse(await nextLine()) as { user: number; system: number };
      return usage.user + usage.system;
    };
    const rows: ServeBenchRow[] = [];
    const tools = [
      ["bare-fastify", servers.bare],
      ["bare-fastify-batched", servers.bareBatched],
      ["strata", servers.strata],
    ] as const;
    for (const [n, body] of [
      [1, servers.oneRow],
      [1000, servers.thousandRows],
    ] as const) {
      const byTool = new Map<string, Measurement[]>(tools.map(([tool]) => [tool, []]));
      const headers = new Map<number, Record<string, string>>();
      for (const [, port] of tools) headers.set(port, await signedHeaders(port, servers, body));
      for (let round = 0; round < rounds; round++) {
        for (const [tool, port] of tools) {
          byTool
            .get(tool)!
            .push(await measure(port, headers.get(port)!, body, seconds, connections, serverCpu));
        }
      }
      const bare = byTool.get("bare-fastify")!;
      const roundRatios = byTool.get("strata")!.map((m, i) => (100 * m.reqPerSec) / bare[i]!.reqPerSec);
      const results = tools.map(([tool]) => ({ tool, ...medianRound(byTool.get(tool)!) }));
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
          serverCpuUsPerReq: r.serverCpuUsPerReq,
          non2xx: r.non2xx,
          rounds,
          roundRatios: r.tool === "strata" ? roundRatios : [],
        });
      }
    }
    return rows;
  } finally {
    child.kill("SIGTERM");
    if (pin) spawnSync("taskset", ["-p", "-c", `0-${cpus - 1}`, String(process.pid)], { stdio: "ignore" });
  }
}

type Measurement = Awaited<ReturnType<typeof measure>>;

/** The measurement with the median req/s (the lower middle one for an even count). */
function medianRound(all: readonly Measurement[]): Measurement {
  const sorted = [...all].sort((a, b) => a.reqPerSec - b.reqPerSec);
  return sorted[Math.floor((sorted.length - 1) / 2)]!;
}

/** A markdown table of the rows. */
export function formatServeTable(rows: readonly ServeBenchRow[]): string {
  const lines = [
    "| rows/request | tool | req/s | rows/s | p50 ms | p99 ms | server CPU µs/req | non-2xx |",
    "|---|---|---|---|---|---|---|---|",
  ];
  for (const r of rows)
    lines.push(
      `| ${r.rows} | ${r.tool} | ${Math.round(r.reqPerSec)} | ${Math.round(r.rowsPerSec)} | ${r.p50Ms} | ${r.p99Ms} | ${r.serverCpuUsPerReq.toFixed(1)} | ${r.non2xx} |`,
    );
  const ratio = (n: number, baseline: ServeBenchRow["tool"] = "bare-fastify") => {
    const s = rows.find((r) => r.rows === n && r.tool === "strata");
    const b = rows.find((r) => r.rows === n && r.tool === baseline);
    return s && b ? ((100 * s.reqPerSec) / b.reqPerSec).toFixed(1) : "?";
  };
  lines.push(
    "",
    `Strata single-row req/s = ${ratio(1)}% of the bare handler's (${ratio(1, "bare-fastify-batched")}% of the bare handler with batched writes); 1000-row req/s = ${ratio(1000)}%.`,
  );
  const single = rows.find((r) => r.rows === 1 && r.tool === "strata");
  if (single !== undefined && single.rounds > 1) {
    const sorted = [...single.roundRatios].sort((a, b) => a - b);
    const median = sorted[Math.floor((sorted.length - 1) / 2)]!; // the lower middle, as medianRound picks
    lines.push(
      `Single-row Strata / bare fastify per round: ${single.roundRatios.map((r) => `${r.toFixed(1)}%`).join(", ")} (median ${median.toFixed(1)}%; rows above are each tool's median round).`,
    );
  }
  return lines.join("\n");
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const at = process.argv.indexOf("--seconds");
  const roundsAt = process.argv.indexOf("--rounds");
  const rows = await runServeBenchmark({
    ...(at > 0 ? { seconds: Number(process.argv[at + 1]) } : {}),
    ...(roundsAt > 0 ? { rounds: Number(process.argv[roundsAt + 1]) } : {}),
    ...(process.argv.includes("--pin") ? { pin: true } : {}),
  });
  process.stdout.write(`${formatServeTable(rows)}\n`);
}
