/**
 * The web console in chromium for tests: a page that records console errors, page errors and every request
 * that leaves the server's origin (those are aborted), signed in with the URL the server printed; and
 * axe-core's check for serious accessibility violations.
 * @module
 */
import { join } from "node:path";
import axe from "axe-core";
import type { Browser, Page } from "playwright-core";
import { PROJECT_ROOT } from "./census.js";
import { launchChromium } from "./chromium.js";
import { tempDir } from "./cli.js";
import { type ConsoleServer, startConsoleServer } from "./console.js";

export interface ConsolePage {
  readonly page: Page;
  /** Console errors and warnings, and uncaught page errors. */
  readonly problems: string[];
  /** Requests to anywhere but the server's origin. */
  readonly foreign: string[];
}

/** A 1280 × 900 page signed in through `printedUrl`, on the console's start page. */
export async function openConsole(browser: Browser, printedUrl: string): Promise<ConsolePage> {
  const origin = new URL(printedUrl).origin;
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const problems: string[] = [];
  const foreign: string[] = [];
  page.on("console", (m) => {
    if (m.type() === "error" || m.type() === "warning") problems.push(`${m.type()}: ${m.text()}`);
  });
  page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
  await page.route(
    (url) => url.origin !== origin && url.protocol !== "data:" && url.protocol !== "blob:",
    (route) => {
      foreign.push(route.request().url());
      return route.abort();
    },
  );
  await page.goto(printedUrl);
  return { page, problems, foreign };
}

/** A console server, a chromium, and a page signed in with the URL the server printed. */
export interface ConsoleSession {
  readonly server: ConsoleServer;
  readonly browser: Browser;
  readonly console: ConsolePage;
  /** Ends the browser, then the server. */
  close(): Promise<void>;
}

/**
 * Starts a session: chromium launches while the server starts and `whileLaunching` runs (a run that fills the
 * server's registry, say). If any part fails, the parts that started are ended before the error is thrown.
 */
export async function startConsoleSession(
  whileLaunching?: (server: ConsoleServer) => Promise<unknown>,
): Promise<ConsoleSession> {
  const launching = launchChromium();
  let server: ConsoleServer | undefined;
  try {
    server = await startConsoleServer();
    const [browser] = await Promise.all([launching, whileLaunching?.(server)]);
    const started = server;
    const page = await openConsole(browser, started.printedUrl);
    return {
      server: started,
      browser,
      console: page,
      close: async () => {
        await browser.close();
        await started.close();
      },
    };
  } catch (error) {
    await (await launching.catch(() => undefined))?.close();
    await server?.close();
    throw error;
  }
}

/** axe-core's violations of impact "serious" or "critical" on the page as it is, as readable lines. */
export async function seriousViolations(page: Page): Promise<string[]> {
  // Evaluated through the DevTools protocol, which the page's content security policy does not govern.
  await page.evaluate(axe.source);
  const results = await page.evaluate(() =>
    (globalThis as unknown as { axe: typeof axe }).axe.run("html", { resultTypes: ["violations"] }),
  );
  return results.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
}

/**
 * A 1280 × 900 screenshot of the page as it is: into docs/ (shown in the README) when
 * STRATA_UPDATE_SCREENSHOT=1, else into a temp directory, so the step runs in every test run.
 */
export async function consoleScreenshot(page: Page, name: string): Promise<string> {
  const dir =
    process.env["STRATA_UPDATE_SCREENSHOT"] === "1" ? join(PROJECT_ROOT, "docs") : tempDir("strata-screens-");
  const path = join(dir, `console-${name}.png`);
  await page.screenshot({ path });
  return path;
}
