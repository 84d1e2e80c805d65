/**
 * Issue 17, segmentations in the console (chromium): sign in with the printed token; upload the census CSV
 * (streamed to the server); see its columns with their detected roles; run a k sweep and watch its steps
 * arrive; pick k = 7 from the sweep and run again; read the report in the page — the map, and California-
 * Fresno's segment from its search — with the segment summary.json has for Fresno; the runs list, from the
 * registry, shows both runs; the outputs download. No console errors, no request leaving the origin, no
 * serious accessibility violations.
 */
import assert from "node:assert/strict";
import { readFileSync, statSync } from "node:fs";
import { after, before, describe, test } from "node:test";
import type { Page } from "playwright-core";
import { censusCsvPath } from "../helpers/census.js";
import { chromiumMissing } from "../helpers/chromium.js";
import type { ConsoleServer } from "../helpers/console.js";
import {
  type ConsolePage,
  type ConsoleSession,
  consoleScreenshot,
  seriousViolations,
  startConsoleSession,
} from "../helpers/console-browser.js";

/** A screenshot for the docs, checked to be a real picture. */
async function documented(page: Page, name: string): Promise<void> {
  const file = await consoleScreenshot(page, name);
  assert.ok(statSync(file).size > 20_000, `${file} is a real screenshot`);
}

describe("segmentations in the console", { skip: chromiumMissing }, () => {
  let c: ConsoleServer;
  let p: ConsolePage;
  let sweepRun = "";
  let k7Run = "";
  let session: ConsoleSession | undefined;

  before(async () => {
    session = await startConsoleSession();
    ({ server: c, console: p } = session);
  });
  after(() => session?.close());

  test("upload the census CSV: its columns come back with their detected roles", async () => {
    const { page } = p;
    await page.getByRole("link", { name: "New segmentation" }).click();
    await page.getByLabel(/^Upload a file/).setInputFiles(censusCsvPath());
    await page.getByRole("button", { name: "Read columns" }).click();
    await page.getByRole("heading", { name: "2. Columns" }).waitFor({ timeout: 30_000 });
    assert.match((await page.getByText(/rows\. The roles below/).textContent()) ?? "", /^3,220 rows/);
    const role = (column: string) => page.getByLabel(`Role of ${column}`, { exact: true }).inputValue();
    // Rows are named State-County ("California-Fresno"), as the report names them; CensusId is kept beside.
    assert.equal(await role("State"), "index");
    assert.equal(await role("County"), "index");
    assert.equal(await role("CensusId"), "identifier");
    assert.equal(await role("Income"), "feature");
    assert.equal(await page.locator("select[aria-label^='Role of']").count(), 37);
    const roles = await page
      .locator("select[aria-label^='Role of']")
      .evaluateAll((selects) => selects.map((s) => (s as unknown as { value: string }).value));
    assert.equal(roles.filter((r) => r === "feature").length, 34);
    await page.getByRole("heading", { name: "2. Columns" }).evaluate((h) => h.scrollIntoView());
    await documented(page, "columns");
  });

  test("a k sweep from 2 to 12 runs step by step, pushed to the page, and its charts offer every k", async () => {
    const { page } = p;
    await page.getByLabel("sweep k from").check();
    await page.getByRole("button", { name: "Start segmentation" }).click();
    await page.waitForURL("**/runs/run-*");
    sweepRun = decodeURIComponent(new URL(page.url()).pathname.split("/").pop()!);
    const steps = page.getByTestId("run-steps");
    await steps.getByText("Load the table").waitFor({ timeout: 30_000 });
    await steps.getByText("Completed").waitFor({ timeout: 60_000 });
    for (const step of [
      "Load the table",
      "Clean",
      "Scale",
      "PCA training job",
      "K-Means training job",
      "Build the report",
    ])
      assert.equal(await steps.getByText(step, { exact: true }).count(), 1, step);
    assert.match((await steps.textContent()) ?? "", /k=2\.\.12 swept/);
    await page.getByRole("heading", { name: "The k sweep" }).waitFor();
    await page.locator("section[aria-labelledby=sweep-heading] figure.chart svg").waitFor();
    const ks = await page.getByLabel("Segment with k =").locator("option").allTextContents();
    assert.deepEqual(
      ks.map((t) => Number.parseInt(t, 10)),
      [2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12],
    );
  });

  test("pick k = 7: a new run segments the counties into 7, and its report in the page finds Fresno's segment", async () => {
    const { page } = p;
    await page.getByLabel("Segment with k =").selectOption("7");
    await page.getByRole("button", { name: "Run with this k" }).click();
    await page.waitForURL((url) => url.pathname.startsWith("/runs/run-") && !url.pathname.endsWith(sweepRun));
    k7Run = decodeURIComponent(new URL(page.url()).pathname.split("/").pop()!);
    await page.getByTestId("run-steps").getByText("Completed").waitFor({ timeout: 60_000 });
    const found = page.locator("section[aria-labelledby=result-heading] .facts");
    await found.waitFor();
    assert.match((await found.textContent()) ?? "", /Segments \(k\)7/);
    assert.match((await found.textContent()) ?? "", /counties3,218/);

    const summary = JSON.parse(
      await (
        await page.request.get(new URL(`/console/api/runs/${k7Run}/files/summary.json`, c.server.url).href)
      ).text(),
    ) as { segments: { name: string }[] };
    const assignments = await (
      await page.request.get(new URL(`/console/api/runs/${k7Run}/files/assignments.csv`, c.server.url).href)
    ).text();
    const header = assignments.split("\n")[0]!.split(",");
    const fresnoRow = assignments
      .split("\n")
      .find((l) => l.includes(",California,Fresno,"))!
      .split(",");
    const segment = summary.segments[Number(fresnoRow[header.indexOf("closest_cluster")])]!.name;

    await page.evaluate(() =>
      (globalThis as unknown as { scrollTo(x: number, y: number): void }).scrollTo(0, 0),
    );
    await documented(page, "segmentation");
    const report = page.frameLocator("iframe.report");
    await report.locator("#chart-county-map g.counties_marks path").nth(3000).waitFor({ timeout: 30_000 });
    await report.locator("#county-search").fill("Fresno");
    const hit = report.locator('#search-results .hit[data-county="California-Fresno"]');
    await hit.waitFor({ timeout: 10_000 });
    assert.ok(((await hit.textContent()) ?? "").includes(segment), segment);
    await page.locator("iframe.report").evaluate((f) => f.scrollIntoView());
    await report.locator("#chart-county-map").evaluate((m) => m.scrollIntoView({ block: "end" }));
    await documented(page, "report");
  });

  test("the runs list, read from the registry, shows both runs with their segments", async () => {
    const { page } = p;
    await page.getByRole("navigation").getByRole("link", { name: "Segmentations" }).click();
    for (const [id, k] of [
      [sweepRun, "2"],
      [k7Run, "7"],
    ] as const) {
      const row = page.locator("tr", { hasText: id });
      await row.waitFor();
      assert.match((await row.textContent()) ?? "", /Completed/);
      assert.equal((await row.locator("td.num").nth(1).textContent())?.trim(), k);
    }
  });

  test("the outputs download, and a file outside the run's out dir does not", async () => {
    const { page } = p;
    const csv = await page.request.get(
      new URL(`/console/api/runs/${k7Run}/files/assignments.csv`, c.server.url).href,
    );
    assert.equal(csv.status(), 200);
    assert.match(csv.headers()["content-disposition"] ?? "", /attachment; filename="assignments.csv"/);
    const local = readFileSync(censusCsvPath(), "utf8").split("\n").length;
    assert.ok((await csv.text()).split("\n").length >= local - 3);
    for (const path of ["../../strata.db", "..%2F..%2Fstrata.db", "/etc/passwd"]) {
      const r = await page.request.get(
        new URL(`/console/api/runs/${k7Run}/files/${path}`, c.server.url).href,
      );
      assert.ok(r.status() >= 400 && r.status() < 500, `${path}: ${r.status()}`);
    }
  });

  test("no console errors, no request leaving the origin, no serious accessibility violations", async () => {
    const { page } = p;
    for (const path of ["/runs", "/runs/new", `/runs/${k7Run}`, `/runs/${sweepRun}`]) {
      await page.goto(new URL(path, c.server.url).href);
      await page.locator("main h1").waitFor();
      if (path.startsWith("/runs/run-")) await page.locator("iframe.report").waitFor();
      assert.deepEqual(await seriousViolations(page), [], path);
    }
    assert.deepEqual(p.problems, []);
    assert.deepEqual(p.foreign, []);
  });
});
