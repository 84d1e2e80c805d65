/**
 * The benchmark's server process (started by index.ts, so autocannon and the servers do not share an event
 * loop): a bare fastify handler — the same route and raw-body parser, answering a fixed JSON body with no
 * work — and `strata serve` with the census pipeline deployed as endpoint "census", SigV4 on. Prints one JSON
 * line `{ bare, strata, accessKeyId, secretAccessKey }` (ports and credentials) and runs until killed.
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

process.env["STRATA_ACCESS_KEY_ID"] = "AKIDSTRATABENCH";
process.env["STRATA_SECRET_ACCESS_KEY"] = "bench-secret";
const strata = await startServer({
  port: 0,
  home: join(dir, "home"),
  log: () => undefined,
  noAuth: process.env["BENCH_NO_AUTH"] === "1",
});
strata.hosting.models.createModel({ ModelName: "census", Containers: fixture.containers });
strata.hosting.models.createEndpointConfig({
  EndpointConfigName: "census",
  ProductionVariants: [{ VariantName: "AllTraffic", ModelName: "census" }],
});
await strata.hosting.endpoints.createEndpoint({ EndpointName: "census", EndpointConfigName: "census" });
await strata.hosting.endpoints.waitForEndpoint("census");

const address = bare.server.address();
process.stdout.write(
  `${JSON.stringify({
    bare: typeof address === "object" && address !== null ? address.port : 0,
    strata: strata.port,
    accessKeyId: "AKIDSTRATABENCH",
    secretAccessKey: "bench-secret",
    oneRow: fixture.oneRow,
    thousandRows: fixture.thousandRows,
  })}\n`,
);
