/**
 * The benchmark's server process (started by index.ts, so autocannon and the servers do not share an event
 * loop): a bare fastify handler — the same route and raw-body parser, answering a fixed JSON body with no
 * work — the same handler with batched response writes (a reference), and `strata serve` with the census pipeline deployed as endpoint "census", SigV4 on. Prints one JSON
 * line `{ bare, bareBatched, strata, accessKeyId, secretAccessKey, … }` (ports, credentials, bodies), then answers each "cpu" line
 * on stdin with this process's `process.cpuUsage()` as one JSON line (the benchmark's server-CPU column),
 * and runs until killed.
 * @module
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Fastify from "fastify";
import { startServer } from "../../src/api/server.js";
import { buildFixture } from "./fixture.js";

const dir = mkdtempSync(join(tmpdir(), "strata-bench-serve-"));
const fixture = await buildFixture(dir);

const bare = Fastify({ logger: false, bodyLimit: 6_291_456 });
bare.removeAllContentTypeParsers();
bare.addContentTypeParser("*", { parseAs: "buffer" }, (_request, body, done) => done(null, body));
const answer = Buffer.from(
  '{"predictions": [{"closest_cluster": 3.0, "distance_to_cluster": 0.28347909450531006}]}',
);
bare.post("/endpoints/:name/invocations", (_request, reply) =>
  reply.header("content-type", "application/json").send(answer),
);
await bare.listen({ host: "127.0.0.1", port: 0 });

// The same bare handler with Strata's response path (src/api/runtime.ts): written straight to Node's
// response and ended together at the end of the event-loop turn. A reference row, so the table shows how
// much of Strata's ratio comes from that write batching rather than from doing less work.
const batched = Fastify({ logger: false, bodyLimit: 6_291_456 });
batched.removeAllContentTypeParsers();
batched.addContentTypeParser("*", { parseAs: "buffer" }, (_request, body, done) => done(null, body));
const answerText = answer.toString("latin1");
let queued: import("node:http").ServerResponse[] = [];
const flush = () => {
  const batch = queued;
  queued = [];
  for (const res of batch) res.end(answerText, "latin1");
};
batched.post("/endpoints/:name/invocations", (_request, reply) => {
  reply.hijack();
  reply.raw.writeHead(200, ["content-type", "application/json", "content-length", String(answer.length)]);
  queued.push(reply.raw);
  if (queued.length === 1) setImmediate(flush);
  return reply;
});
await batched.listen({ host: "127.0.0.1", port: 0 });

process.env["STRATA_ACCESS_KEY_ID"] = "AKIDSTRATABENCH";
process.env["STRATA_SECRET_ACCESS_KEY"] = "bench-secret";
const strata = await startServer({
  port: 0,
  home: join(dir, "home"),
  log: () => undefined,
  noAuth: process.env["BENCH_NO_AUTH"] === "1",
  // The fixture's artifacts live beside the home, in the bench's data directory.
  access: { dataRoots: [dir] },
});
await strata.hosting.models.createModel({ ModelName: "census", Containers: fixture.containers });
strata.hosting.models.createEndpointConfig({
  EndpointConfigName: "census",
  ProductionVariants: [{ VariantName: "AllTraffic", ModelName: "census" }],
});
await strata.hosting.endpoints.createEndpoint({ EndpointName: "census", EndpointConfigName: "census" });
await strata.hosting.endpoints.waitForEndpoint("census");

const portOf = (app: typeof bare) => {
  const address = app.server.address();
  return typeof address === "object" && address !== null ? address.port : 0;
};
process.stdout.write(
  `${JSON.stringify({
    bare: portOf(bare),
    bareBatched: portOf(batched),
    strata: strata.port,
    accessKeyId: "AKIDSTRATABENCH",
    secretAccessKey: "bench-secret",
    oneRow: fixture.oneRow,
    thousandRows: fixture.thousandRows,
  })}\n`,
);

// Server CPU per measurement: index.ts asks before and after each autocannon run.
let pending = "";
process.stdin.setEncoding("utf8").on("data", (chunk: string) => {
  pending += chunk;
  for (let nl = pending.indexOf("\n"); nl >= 0; nl = pending.indexOf("\n")) {
    pending = pending.slice(nl + 1);
    process.stdout.write(`${JSON.stringify(process.cpuUsage())}\n`);
  }
});
