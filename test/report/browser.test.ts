/**
 * Issue 5: report.html in a real browser (playwright-core driving Debian's chromium): it loads with no console
 * errors and no request leaving the file; the map draws every county coloured by segment; hovering a county
 * shows its tooltip; the search finds California-Fresno and names its segment; tables sort; every section is
 * there, with and without scripts. Also takes the 1280-px screenshot (written to docs/ when
 * STRATA_UPDATE_SCREENSHOT=1).
 */
import assert from "node:assert/strict";
import { copyFileSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { pathToFileURL } from "node:url";
import type { Browser, Page } from "playwright-core";
import { PROJECT_ROOT } from "../helpers/census.js";
import { chromiumMissing, launchChromium } from "../helpers/chromium.js";
import { type CensusReport, censusReport } from "./fixture.js";
import { decodePng } from "./png.js";

const SECTIONS = [
  "Data",
  "Cleaning",
  "Scaling",
  "PCA",
  "Choosing components",
  "Clustering",
  "Segments",
  "Map",
  "Method and timings",
];

describe("report.html in chromium", { skip: chromiumMissing }, () => {
  let fx: CensusReport;
  let browser: Browser;
  let page: Page;
  const consoleErrors: string[] = [];
  const requests: string[] = [];
  let url: string;

  before(async () => {
    [fx, browser] = await Promise.all([censusReport(), launchChromium()]);
    url = pathToFileURL(fx.report.file).href;
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    page.on("console", (m) => {
      if (m.type() === "error" || m.type() === "warning") consoleErrors.push(`${m.type()}: ${m.text()}`);
    });
    page.on("pageerror", (e) => consoleErrors.push(`page error: ${e.message}`));
    page.on("request", (r) => requests.push(r.url()));
    await page.route(/^https?:/, (route) => route.abort());
    await page.goto(url);
    await page.waitForSelector('body[data-ready="1"]', { timeout: 20_000 });
  });
  after(async () => {
    await browser?.close();
  });

  test("loads with no console errors and no request leaving the file", () => {
    assert.deepEqual(consoleErrors, []);
    assert.deepEqual(
      requests.filter((r) => r !== url && !r.startsWith("data:") && !r.startsWith("blob:")),
      [],
    );
  });

  test("the map draws more than 3,000 county shapes in as many colours as there are segments", async () => {
    const shapes = await page.$$eval("#chart-county-map g.counties_marks path", (paths) =>
      paths.map((p) => ({ fill: p.getAttribute("fill"), label: p.getAttribute("aria-label") ?? "" })),
    );
    const fills = shapes.map((s) => s.fill);
    assert.ok(fills.length > 3000, `${fills.length} county shapes`);
    const colours = new Set(fills.filter((f) => f !== "#d0d0d0"));
    assert.equal(colours.size, fx.summary.kmeans.k, [...colours].join(" "));
    assert.ok(fills.includes("#d0d0d0"), "counties without data are grey");
    // Every shape is described (the tooltip's text, and what a screen reader reads), grey ones as no data.
    assert.ok(
      shapes.every((s) => /^County: [^;]+; /.test(s.label)),
      shapes.find((s) => !s.label.startsWith("County: "))?.label,
    );
    assert.ok(shapes.every((s) => (s.fill === "#d0d0d0") === s.label.endsWith("Segment: No data")));
  });

  /** Moves the mouse onto California-Fresno on the map (found by its description). */
  async function hoverFresno(): Promise<string> {
    await page.locator("#chart-county-map").scrollIntoViewIfNeeded();
    const fresno = page.locator('#chart-county-map path[aria-label^="County: Fresno; State: California;"]');
    assert.equal(await fresno.count(), 1);
    const box = (await fresno.boundingBox())!;
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    const tooltip = page.locator("#map-tooltip");
    await tooltip.waitFor({ state: "visible", timeout: 5000 });
    return (await tooltip.textContent()) ?? "";
  }

  test("a segment's member table shows its first row below its sticky header, before and after scrolling it", async () => {
    const details = page.locator("details[data-segment]").first();
    await details.locator("summary").click();
    const box = details.locator(".scroll");
    await box.scrollIntoViewIfNeeded();
    const gap = () =>
      box.evaluate((el) => {
        const header = el.querySelector("thead th")!.getBoundingClientRect();
        const rows = [...el.querySelectorAll("tbody tr")];
        const top = el.getBoundingClientRect().top;
        // The first body row whose top is at or below the header's top edge: what a reader sees first.
        const first = rows.map((r) => r.getBoundingClientRect()).find((r) => r.bottom > header.bottom);
        return { headerTop: header.top - top, firstTop: (first?.top ?? 0) - header.bottom };
      });
    const atRest = await gap();
    assert.ok(Math.abs(atRest.headerTop) < 2, `header ${atRest.headerTop}px below the box's top`);
    assert.ok(atRest.firstTop >= -1, `the first row starts ${atRest.firstTop}px below the header's bottom`);
    await box.evaluate((el) => el.scrollTo(0, 60));
    const scrolled = await gap();
    assert.ok(
      Math.abs(scrolled.headerTop) < 2,
      `header ${scrolled.headerTop}px below the box's top when scrolled`,
    );
    await details.locator("summary").click();
  });

  test("hovering a county shows its tooltip: county, state, segment and what stands out", async () => {
    const text = await hoverFresno();
    for (const field of ["County", "Fresno", "State", "California", "Segment", "Stands out", "Hispanic"]) {
      assert.ok(text.includes(field), `${field} in ${text}`);
    }
    const fresno = fx.result.table.index.indexOf("California-Fresno");
    assert.ok(text.includes(fx.summary.segments[fx.result.closestCluster[fresno]!]!.name), text);
  });

  test('searching "Fresno" finds California-Fresno, names its segment and its most similar counties', async () => {
    await page.fill("#county-search", "Fresno");
    const hit = page.locator('#search-results .hit[data-county="California-Fresno"]');
    await hit.waitFor({ timeout: 5000 });
    const text = (await hit.textContent()) ?? "";
    const fresno = fx.result.table.index.indexOf("California-Fresno");
    const segment = fx.summary.segments[fx.result.closestCluster[fresno]!]!;
    assert.ok(text.includes(segment.name), text);
    assert.match(text, /Most similar: [^,]+, [^,]+, [^,]+, [^,]+, [^,]+\./);
  });

  test("every section is present, and a county table sorts by a clicked header", async () => {
    const headings = await page.$$eval("main section h2", (hs) => hs.map((h) => h.textContent));
    assert.deepEqual(headings, SECTIONS);
    await page.click('details[data-segment="0"] summary');
    const header = page.locator('details[data-segment="0"] thead th', { hasText: "county" });
    await header.click();
    const names = await page.$$eval('details[data-segment="0"] tbody tr td:first-child', (tds) =>
      tds.map((td) => td.textContent ?? ""),
    );
    assert.ok(names.length > 10);
    assert.deepEqual(
      names,
      [...names].sort((a, b) => a.localeCompare(b)),
    );
  });

  test("without scripts the page still reads: sections, inline charts and the static map", async () => {
    const context = await browser.newContext({
      javaScriptEnabled: false,
      viewport: { width: 1280, height: 900 },
    });
    const plain = await context.newPage();
    await plain.goto(url);
    const headings = await plain.$$eval("main section h2", (hs) => hs.map((h) => h.textContent));
    assert.deepEqual(headings, SECTIONS);
    const countyPaths = await plain.$$eval("#chart-county-map path", (p) => p.length);
    assert.ok(countyPaths > 3000);
    assert.equal(await plain.isVisible("#chart-county-map"), true);
    await context.close();
  });

  test("a screenshot of the map section at 1280 px wide, with Fresno searched", async () => {
    await page.setViewportSize({ width: 1280, height: 1300 });
    await page.addStyleTag({ content: "nav.sections { position: static; }" });
    await page.fill("#county-search", "Fresno");
    await page.$eval("#map", (el) => el.scrollIntoView({ block: "start" }));
    await hoverFresno();
    // The whole section is in the viewport, so capturing it needs no scrolling (which would end the hover).
    const clip = await page.$eval("#map", (el) => {
      const r = el.getBoundingClientRect();
      return { x: r.x, y: r.y, width: r.width, height: r.height };
    });
    const path = join(fx.outDir, "report-screenshot.png");
    await page.screenshot({ path, clip });
    const png = decodePng(readFileSync(path));
    assert.equal(png.width, 1280);
    assert.ok(png.height > 700);
    if (process.env["STRATA_UPDATE_SCREENSHOT"] === "1") {
      copyFileSync(path, join(PROJECT_ROOT, "docs", "report-screenshot.png"));
    }
  });
});
