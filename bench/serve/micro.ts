/**
 * In-process microbenchmark of the InvokeEndpoint hot path, without sockets: SigV4 verification of a request
 * signed by the real SDK signer, and the invocation (CSV scan → folded pipeline → JSON body) for one row and
 * for 1000 rows, each split into parse and compute. One core, no client competing for it, so these numbers
 * are steadier than the HTTP benchmark's and say where a request's time goes.
 * Run: `node --import tsx bench/serve/micro.ts [--ms 1500]`.
 * @module
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { SigV4Verifier } from "../../src/api/sigv4.js";
import { invokePipeline } from "../../src/serving/invoke.js";
import { loadPipeline } from "../../src/serving/model-loader.js";
import { RowBuffer, scanCsv } from "../../src/serving/payload/csv-scanner.js";
import { encodeResponse } from "../../src/serving/payload/responses.js";
import { buildFixture } from "./fixture.js";
import { sdkSignedHeaders } from "./sdk-headers.js";

/** Microseconds per call of `fn`, the best of three timed rounds of about `ms` each. */
function timeIt(fn: () => unknown, ms: number): number {
  let n = 1;
  // Calibrate: grow n until a round takes ~ms/10.
  for (;;) {
    const t = performance.now();
    for (let i = 0; i < n; i++) fn();
    if (performance.now() - t > ms / 10) break;
    n *= 2;
  }
  n *= 10;
  let best = Number.POSITIVE_INFINITY;
  for (let round = 0; round < 3; round++) {
    const t = performance.now();
    for (let i = 0; i < n; i++) fn();
    best = Math.min(best, ((performance.now() - t) * 1000) / n);
  }
  return best;
}

function sdkHeaders(body: string): Promise<Record<string, string>> {
  return sdkSignedHeaders({
    endpoint: "http://127.0.0.1:8080",
    accessKeyId: "AKIDMICRO",
    secretAccessKey: "micro-secret",
    body,
  });
}

/** Runs every measurement and returns `[label, µs per call]` rows. */
export async function runMicroBenchmark(ms = 1500): Promise<[string, number][]> {
  const dir = mkdtempSync(join(tmpdir(), "strata-bench-micro-"));
  try {
    const fixture = await buildFixture(dir);
    const pipeline = await loadPipeline("census", fixture.containers);
    const verifier = new SigV4Verifier({ accessKeyId: "AKIDMICRO", secretAccessKey: "micro-secret" });
    const results: [string, number][] = [];
    const oneHeaders = await sdkHeaders(fixture.oneRow);
    const oneRequest = {
      method: "POST",
      url: "/endpoints/census/invocations",
      headers: oneHeaders,
      body: Buffer.from(fixture.oneRow),
    };
    verifier.verify(oneRequest);
    results.push(["sigv4 verify, 1-row body", timeIt(() => verifier.verify(oneRequest), ms)]);
    for (const [rows, text] of [
      [1, fixture.oneRow],
      [1000, fixture.thousandRows],
    ] as const) {
      const body = Buffer.from(text);
      const buffer = new RowBuffer();
      const input = pipeline.inputBuffer(rows);
      scanCsv(body, pipeline.inputWidth, buffer);
      input.set(buffer.data.subarray(0, rows * pipeline.inputWidth));
      results.push([`csv scan, ${rows} rows`, timeIt(() => scanCsv(body, pipeline.inputWidth, buffer), ms)]);
      results.push([`pipeline run, ${rows} rows`, timeIt(() => pipeline.run(input, rows), ms)]);
      const output = pipeline.run(input, rows);
      results.push([
        `json encode, ${rows} rows`,
        timeIt(() => encodeResponse(output, "application/json"), ms),
      ]);
      // What a socket write adds for a string body: Node flattens the rope into bytes.
      const wire = Buffer.alloc(rows * 128);
      results.push([
        `json encode + to bytes, ${rows} rows`,
        timeIt(() => wire.write(encodeResponse(output, "application/json") as string, 0, "latin1"), ms),
      ]);
      results.push([
        `invokePipeline (all), ${rows} rows`,
        timeIt(() => invokePipeline(pipeline, "text/csv", undefined, body), ms),
      ]);
      if (rows === 1000) {
        const big = { ...oneRequest, headers: await sdkHeaders(text), body };
        results.push(["sigv4 verify, 1000-row body", timeIt(() => verifier.verify(big), ms)]);
      }
    }
    return results;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const at = process.argv.indexOf("--ms");
  const rows = await runMicroBenchmark(at > 0 ? Number(process.argv[at + 1]) : 1500);
  for (const [label, us] of rows)
    process.stdout.write(`${label.padEnd(34)} ${us.toFixed(2).padStart(9)} µs\n`);
}
