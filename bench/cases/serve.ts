/**
 * serve: the endpoint benchmark of the hosting issue — InvokeEndpoint on the census pipeline endpoint against
 * a bare fastify handler, driven by autocannon on loopback — lives in bench/serve/ with the hosting work; this
 * case runs it so that one `npm run bench` shows everything. Its rows report p50 latency as medianMs, with
 * requests/s and p99 in the note. When bench/serve/ or src/api is missing or fails, the case says "not
 * available yet" and why, instead of failing the whole run.
 * @module
 */
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { DATA_DIR } from "../generate.js";
import { type BenchRow, row, skipped } from "../harness.js";

const ROOT = resolve(DATA_DIR, "../..");

interface ServeRow {
  readonly tool: string;
  readonly rows: number;
  readonly medianMs: number;
  readonly minMs: number;
  readonly maxMs: number;
  readonly reqPerSec: number;
  readonly p99Ms: number;
  readonly non2xx: number;
  readonly rounds: number;
  readonly roundRatios: readonly number[];
}

/** Runs the endpoint benchmark (or reports why it cannot). */
export async function serveCase(): Promise<BenchRow[]> {
  if (!existsSync(resolve(ROOT, "src/api/app.ts")) || !existsSync(resolve(ROOT, "bench/serve/index.ts"))) {
    return [skipped("serve", "strata", 0, "not available yet: the HTTP API (src/api) is not built")];
  }
  try {
    const serve = (await import("../serve/index.js")) as {
      runServeBenchmark: (o?: {
        seconds?: number;
        rounds?: number;
        pin?: boolean;
      }) => Promise<readonly ServeRow[]>;
    };
    // Three interleaved rounds of 4 s: each row is the tool's median round (see bench/serve/index.ts).
    // Pinned (servers on the last CPU, autocannon on the others, where taskset exists): unpinned, the
    // scheduler now and then puts client and server on one core and that round's numbers halve, whichever
    // tool it is measuring; pinned, every tool gets the same placement.
    const rows = await serve.runServeBenchmark({ seconds: 4, rounds: 3, pin: true });
    return rows.map((r) =>
      row(
        "serve",
        r.tool,
        r.rows,
        { medianMs: r.medianMs, minMs: r.minMs, maxMs: r.maxMs, runs: r.rounds },
        `p50 latency; ${r.reqPerSec.toFixed(0)} req/s, p99 ${r.p99Ms.toFixed(1)} ms, non-2xx ${r.non2xx}` +
          (r.roundRatios.length > 0
            ? `; req/s ÷ bare fastify's per round ${r.roundRatios.map((x) => `${x.toFixed(1)}%`).join(", ")}`
            : ""),
      ),
    );
  } catch (e) {
    return [
      skipped("serve", "strata", 0, `not available yet: ${String((e as Error).message ?? e).slice(0, 160)}`),
    ];
  }
}
