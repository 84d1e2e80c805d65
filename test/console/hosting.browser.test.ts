/**
 * Issue 17, models, endpoints and transform jobs in the console (chromium), on the census run's registered
 * models: the pipeline's page shows its scaler, PCA (scree and loadings) and K-Means (centroid heatmap);
 * deploying it from that page gives an endpoint that, invoked from its page with Alabama-Autauga's raw row,
 * answers the cluster and distance assignments.csv has; the endpoint's page counts the invocation; a
 * transform job from the form completes; deleting the endpoint removes it. No console errors, no request
 * leaving the origin, no serious accessibility violations.
 */
import assert from "node:assert/strict";
import { readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { DEFAULT_OPTIONS } from "../../src/workflow/options.js";
import { executeRun } from "../../src/workflow/run.js";
import { censusCsvPath, sagemakerKMeansArtifactDir } from "../helpers/census.js";
import { chromiumMissing } from "../helpers/chromium.js";
import { tempDir } from "../helpers/cli.js";
import type { ConsoleServer } from "../helpers/console.js";
import {
  type ConsolePage,
  type ConsoleSession,
  consoleScreenshot,
  seriousViolations,
  startConsoleSession,
} from "../helpers/console-browser.js";

/** The census file's first `n` rows as the endpoint takes them: the 34 features, no identifiers. */
function rawRows(n: number): string[] {
  const lines = readFileSync(censusCsvPath(), "utf8").split("\n");
  const header = lines[0]!.split(",");
  const drop = new Set(["CensusId", "State", "County"]);
  return lines.slice(1, 1 + n).map((l) =>
    l
      .split(",")
      .filter((_, j) => !drop.has(header[j]!))
      .join(","),
  );
}

describe("models, endpoints and transform jobs in the console", { skip: chromiumMissing }, () => {
  let c: ConsoleServer;
  let p: ConsolePage;
  let out: string;
  let session: ConsoleSession | undefined;

  before(async () => {
    out = join(tempDir("strata-console-run-"), "out");
    session = await startConsoleSession((server) =>
      executeRun({
        ...DEFAULT_OPTIONS,
        source: censusCsvPath(),
        outDir: out,
        home: server.home,
        report: false,
      }),
    );
    ({ server: c, console: p } = session);
  });
  after(() => session?.close());

  test("the pipeline model's page shows its scaler, its PCA's scree and loadings, and its centroid heatmap", async () => {
    const { page } = p;
    await page.getByRole("navigation").getByRole("link", { name: "Models" }).click();
    await page.getByRole("link", { name: "census-pipeline" }).click();
    await page.getByRole("heading", { name: /^1\. Scaler/ }).waitFor();
    await page.getByRole("heading", { name: /^2\. PCA/ }).waitFor();
    await page.getByRole("heading", { name: /^3\. K-Means/ }).waitFor();
    // Three charts drawn by vega in the page: scree, loadings, centroids.
    await page.locator("figure.chart svg").nth(2).waitFor();
    assert.equal(await page.locator("figure.chart svg").count(), 3);
    assert.match((await page.getByText(/^\d+ components over 34 features/).textContent()) ?? "", /top 5\./);
    assert.match((await page.getByText(/^7 clusters in 5 dimensions/).textContent()) ?? "", /7 clusters/);
    // The scaler's feature names label the loadings chart.
    assert.match((await page.locator("figure.chart").nth(1).textContent()) ?? "", /Income/);
    await page.getByRole("heading", { name: /^2\. PCA/ }).evaluate((h) => h.scrollIntoView());
    assert.ok(statSync(await consoleScreenshot(page, "model")).size > 20_000);
  });

  test("deploy the pipeline, invoke Alabama-Autauga's raw row: the cluster and distance of assignments.csv", async () => {
    const { page } = p;
    await page.getByLabel("Endpoint name").fill("census");
    await page.getByRole("button", { name: "Deploy" }).click();
    await page.waitForURL("**/endpoints/census");
    await page.locator(".status", { hasText: "InService" }).waitFor({ timeout: 20_000 });
    await page.getByLabel(/^Request body/).fill(rawRows(1)[0]!);
    await page.getByRole("button", { name: "Invoke endpoint" }).click();
    const answer = JSON.parse((await page.getByTestId("invoke-answer").textContent()) ?? "") as {
      predictions: { closest_cluster: number; distance_to_cluster: number }[];
    };
    const assignments = readFileSync(join(out, "assignments.csv"), "utf8").split("\n");
    const columns = assignments[0]!.split(",");
    const autauga = assignments.find((l) => l.includes(",Alabama,Autauga,"))!.split(",");
    const expected = {
      cluster: Number(autauga[columns.indexOf("closest_cluster")]),
      distance: Number(autauga[columns.indexOf("distance_to_cluster")]),
    };
    assert.equal(answer.predictions[0]!.closest_cluster, expected.cluster);
    assert.ok(
      Math.abs(answer.predictions[0]!.distance_to_cluster - expected.distance) <= 1e-5 * expected.distance,
      `${answer.predictions[0]!.distance_to_cluster} vs ${expected.distance}`,
    );
    await page.locator(".facts", { hasText: "Invocations" }).getByText(/^1$/).waitFor();
    await page.locator("section[aria-labelledby=stats-heading] figure.chart svg").waitFor();
    assert.deepEqual(await seriousViolations(page), [], "/endpoints/census");
    await page.getByRole("heading", { name: "Invoke" }).evaluate((h) => h.scrollIntoView());
    assert.ok(statSync(await consoleScreenshot(page, "endpoint")).size > 20_000);
  });

  test("a row of the wrong width is answered with the model's error, in the page", async () => {
    const { page } = p;
    const before = p.problems.length;
    await page.getByLabel(/^Request body/).fill("1,2,3");
    await page.getByRole("button", { name: "Invoke endpoint" }).click();
    const alert = page.getByRole("alert");
    await alert.waitFor();
    assert.match((await alert.textContent()) ?? "", /ModelError.*34/);
    assert.deepEqual(p.problems.splice(before), [
      "error: Failed to load resource: the server responded with a status of 424 (Failed Dependency)",
    ]);
  });

  test("a transform job from the form runs the pipeline over a file of raw rows and completes", async () => {
    const { page } = p;
    const dir = tempDir("strata-console-transform-");
    writeFileSync(join(dir, "rows.csv"), `${rawRows(20).join("\n")}\n`);
    await page.getByRole("navigation").getByRole("link", { name: "Transform jobs" }).click();
    await page.getByRole("link", { name: "Create transform job" }).click();
    await page.getByLabel(/^Job name/).fill("console-transform");
    await page.getByLabel("Model").selectOption("census-pipeline");
    await page.getByLabel(/^Input/).fill(join(dir, "rows.csv"));
    await page.getByLabel(/^Output path/).fill(join(dir, "out"));
    await page.getByRole("button", { name: "Create transform job" }).click();
    await page.waitForURL("**/transforms/console-transform");
    await page.locator(".status", { hasText: "Completed" }).waitFor({ timeout: 20_000 });
    const written = readFileSync(join(dir, "out", "rows.csv.out"), "utf8")
      .trim()
      .split("\n");
    assert.equal(written.length, 20);
  });

  test("deleting the endpoint removes it from the list", async () => {
    const { page } = p;
    await page.goto(new URL("/endpoints/census", c.server.url).href);
    await page.getByRole("button", { name: "Delete endpoint" }).click();
    await page.waitForURL("**/endpoints");
    await page.getByText("No endpoints yet").waitFor();
  });

  test("SageMaker's own K-Means model.tar.gz, uploaded, shows its 8 centroids and registers as a model", async () => {
    const { page } = p;
    const dir = sagemakerKMeansArtifactDir();
    const expected = JSON.parse(readFileSync(join(dir, "expected.json"), "utf8")) as {
      centroids: number[][];
    };
    await page.goto(new URL("/models", c.server.url).href);
    await page.getByLabel(/model\.tar\.gz of SageMaker/).setInputFiles(join(dir, "model.tar.gz"));
    await page.getByRole("button", { name: "Inspect" }).click();
    await page.getByText("8 clusters in 7 dimensions.").waitFor({ timeout: 20_000 });
    const chart = page.locator("section[aria-labelledby=inspect-heading] figure.chart");
    await chart.locator("svg").waitFor();
    const text = (await chart.textContent()) ?? "";
    for (const v of [expected.centroids[0]![0]!, expected.centroids[7]![6]!])
      assert.ok(text.includes(Math.abs(v).toFixed(2)), `${v} in the heatmap`);
    await page.getByLabel("Register it as a model named").fill("sagemaker-kmeans");
    await page.getByRole("button", { name: "Create model" }).click();
    await page.waitForURL("**/models/sagemaker-kmeans");
    await page.getByRole("heading", { name: /^1\. K-Means/ }).waitFor();
  });

  test("no console errors, no request leaving the origin, no serious accessibility violations", async () => {
    const { page } = p;
    for (const path of [
      "/models",
      "/models/census-pipeline",
      "/endpoints",
      "/transforms",
      "/transforms/new",
    ]) {
      await page.goto(new URL(path, c.server.url).href);
      await page.locator("main h1").waitFor();
      if (path === "/models/census-pipeline") await page.locator("figure.chart svg").nth(2).waitFor();
      assert.deepEqual(await seriousViolations(page), [], path);
    }
    assert.deepEqual(p.problems, []);
    assert.deepEqual(p.foreign, []);
  });
});
