/**
 * Issue 14, bug 6: `strata deploy` can deploy a name again — after the endpoint was deleted, after it failed,
 * and onto a live endpoint (moved to the new model) — without touching another endpoint's config; endpoint
 * configs are listed and deleted from the CLI.
 * @module
 */
import assert from "node:assert/strict";
import { before, test } from "node:test";
import { type CensusModels, censusModels, KMEANS_IMAGE, PCA_IMAGE } from "../api/helpers.js";
import { runCli, tempDir } from "../helpers/cli.js";

const env = { STRATA_HOME: tempDir("strata-deploy-") };
const cli = (...args: string[]) => runCli(args, { env });
let m: CensusModels;

before(async () => {
  m = await censusModels();
});

async function ok(...args: string[]): Promise<string> {
  const r = await cli(...args);
  assert.equal(r.code, 0, `strata ${args.join(" ")}: ${r.stderr}`);
  return r.stdout;
}

test("deploy again: after a delete, after a failure, onto a live endpoint; configs listed and deleted", async () => {
  await ok("models", "create", "pca", "--image", PCA_IMAGE, "--model-data", m.pcaUri);
  await ok("models", "create", "kmeans", "--image", KMEANS_IMAGE, "--model-data", m.kmeansUri);
  await ok("models", "create", "broken", "--image", PCA_IMAGE, "--model-data", `${m.dir}/missing.tar.gz`);

  assert.match(
    await ok("deploy", "pca", "--name", "ep"),
    /endpoint\/ep InService \(created, endpoint config ep-config\)/,
  );
  await ok("endpoints", "delete", "ep");
  // The config of the same model is reused.
  assert.match(await ok("deploy", "pca", "--name", "ep"), /InService \(created, endpoint config ep-config\)/);
  // A live endpoint moves to the other model; its config stays as it was, so the new one is ep-config-2.
  assert.match(
    await ok("deploy", "kmeans", "--name", "ep"),
    /InService \(updated, endpoint config ep-config-2\)/,
  );
  const described = JSON.parse(await ok("endpoints", "describe", "ep"));
  assert.equal(described.EndpointConfigName, "ep-config-2");

  // A failed deploy, then the same name again with a model that loads.
  const failed = await cli("deploy", "broken", "--name", "other");
  assert.equal(failed.code, 1);
  assert.match(failed.stderr, /Endpoint "other" Failed: .*missing\.tar\.gz/);
  assert.match(
    await ok("deploy", "pca", "--name", "other"),
    /InService \(recreated, endpoint config other-config\)/,
  );

  const listed = JSON.parse(await ok("endpoint-configs", "list", "--json"));
  assert.deepEqual(
    listed.EndpointConfigs.map((c: { EndpointConfigName: string }) => c.EndpointConfigName).sort(),
    ["ep-config", "ep-config-2", "other-config"],
  );
  // ep-config is no longer used by ep: it can go, and a deploy of the pca model to ep replaces nothing live.
  await ok("endpoint-configs", "delete", "ep-config");
  const missing = await cli("endpoint-configs", "describe", "ep-config");
  assert.equal(missing.code, 1);
  assert.match(missing.stderr, /Could not find endpoint configuration/);
});
