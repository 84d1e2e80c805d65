/**
 * `strata serve` as a user runs it (a child process) together with the CLI verbs on the same STRATA_HOME:
 * `strata models create` registers a pipeline, `strata deploy` makes it InService while the server runs (the
 * server picks it up from the registry), `strata invoke` and `strata transform` answer in process, and a
 * server restarted on the same home serves the InService endpoint again without any new request.
 * @module
 */
import assert from "node:assert/strict";
import { type ChildProcess, spawn } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { DescribeEndpointCommand } from "@aws-sdk/client-sagemaker";
import { InvokeEndpointCommand } from "@aws-sdk/client-sagemaker-runtime";
import { PROJECT_ROOT } from "../helpers/census.js";
import { CLI_ENTRY, runCli, tempDir } from "../helpers/cli.js";
import { type CensusModels, censusModels, clients, pipelineContainers, pollUntil, toCsv } from "./helpers.js";

const home = tempDir("strata-restart-");
const env = {
  STRATA_HOME: home,
  STRATA_ACCESS_KEY_ID: "AKIDSTRATATEST",
  STRATA_SECRET_ACCESS_KEY: "test-secret",
};
const credentials = { accessKeyId: env.STRATA_ACCESS_KEY_ID, secretAccessKey: env.STRATA_SECRET_ACCESS_KEY };
let m: CensusModels;
const children: ChildProcess[] = [];

function serve(): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, ["--import", "tsx", CLI_ENTRY, "serve", "--port", "0"], {
    cwd: PROJECT_ROOT,
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  children.push(child);
  return new Promise((resolve, reject) => {
    let out = "";
    child.stdout!.setEncoding("utf8").on("data", (d: string) => {
      out += d;
      const match = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
      if (match) resolve({ child, url: match[1]! });
    });
    child.on("exit", (code) => reject(new Error(`strata serve exited ${code}: ${out}`)));
  });
}

async function stop(child: ChildProcess): Promise<void> {
  const exited = new Promise((resolve) => child.once("exit", resolve));
  child.kill("SIGTERM");
  await exited;
}

before(async () => {
  m = await censusModels();
});
after(() => {
  for (const c of children) if (c.exitCode === null) c.kill("SIGKILL");
});

test("CLI verbs and a restarted server share the registry", async () => {
  const first = await serve();
  const cli = (args: string[], input?: string) =>
    runCli(args, { env, ...(input === undefined ? {} : { input }) });
  const created = await cli([
    "models",
    "create",
    "census-pipeline",
    "--pipeline",
    JSON.stringify(pipelineContainers(m)),
  ]);
  assert.equal(created.code, 0, created.stderr);
  assert.match(created.stdout, /arn:aws:sagemaker:us-east-1:000000000000:model\/census-pipeline/);
  const deployed = await cli(["deploy", "census-pipeline", "--name", "census"]);
  assert.equal(deployed.code, 0, deployed.stderr);
  assert.match(deployed.stdout, /endpoint\/census InService/);

  const row = toCsv(m.raw, 2);
  const expected = m.kmeans.predict({ rows: 2, cols: 5, data: m.top.data.slice(0, 10) });
  const ask = async (url: string) => {
    const { rt, sm } = clients(url, credentials);
    try {
      const r = await pollUntil(() =>
        rt
          .send(
            new InvokeEndpointCommand({
              EndpointName: "census",
              ContentType: "text/csv",
              Accept: "text/csv",
              Body: Buffer.from(row),
            }),
          )
          .then(
            (x) => x,
            () => undefined,
          ),
      );
      assert.equal(
        (await sm.send(new DescribeEndpointCommand({ EndpointName: "census" }))).EndpointStatus,
        "InService",
      );
      return Buffer.from(r.Body!)
        .toString()
        .split("\n")
        .map((l) => Number(l.split(",")[0]));
    } finally {
      rt.destroy();
      sm.destroy();
    }
  };
  assert.deepEqual(await ask(first.url), Array.from(expected.closestCluster));

  const invoked = await cli(["invoke", "census", "--content-type", "text/csv", "--body", "-"], row);
  assert.equal(invoked.code, 0, invoked.stderr);
  assert.match(invoked.stdout, /^\{"predictions": \[\{"closest_cluster": \d\.0/);
  const dir = tempDir("strata-cli-transform-");
  writeFileSync(join(dir, "rows.csv"), toCsv(m.raw, 10));
  const transformed = await cli([
    "transform",
    "census-pipeline",
    "--input",
    join(dir, "rows.csv"),
    "--output",
    join(dir, "out"),
  ]);
  assert.equal(transformed.code, 0, transformed.stderr);
  assert.equal(readFileSync(join(dir, "out/rows.csv.out"), "utf8").trimEnd().split("\n").length, 10);
  const listed = await cli(["endpoints", "list", "--json"]);
  assert.equal(
    (JSON.parse(listed.stdout) as { Endpoints: { EndpointStatus: string }[] }).Endpoints[0]!.EndpointStatus,
    "InService",
  );

  await stop(first.child);
  const second = await serve();
  assert.deepEqual(await ask(second.url), Array.from(expected.closestCluster));
  await stop(second.child);
});
