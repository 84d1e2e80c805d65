import { pathToFileURL } from "node:url";
import { launchChromium } from "./test/helpers/chromium.js";
const browser = await launchChromium();
for (let i = 0; i < 4; i++) {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const t0 = performance.now();
  await page.goto(pathToFileURL(process.argv[2]!).href, { waitUntil: "load" });
  await page.waitForSelector('body[data-ready="1"]');
  const wall = performance.now() - t0;
  const nav = await page.evaluate(() => { const n = performance.getEntriesByType("navigation")[0] as PerformanceNavigationTiming; return { dcl: n.domContentLoadedEventEnd, load: n.loadEventEnd }; });
  console.log(`wall ${wall.toFixed(0)} ms, DOMContentLoaded ${nav.dcl.toFixed(0)}, load ${nav.load.toFixed(0)}`);
  await page.close();
}
await browser.close();
