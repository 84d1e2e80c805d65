/**
 * Debian's chromium driven by playwright-core, the one way the browser tests start it: headless, no sandbox
 * (CI runs as root), and no background traffic of its own, so a test can assert that nothing leaves the page's
 * origin.
 * @module
 */
import { existsSync } from "node:fs";
import { type Browser, chromium } from "playwright-core";

export const CHROMIUM = "/usr/bin/chromium";

const ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

/** `false`, or why the browser tests cannot run here (for node:test's `skip`). */
export const chromiumMissing: false | string = existsSync(CHROMIUM)
  ? false
  : `${CHROMIUM} is missing (bash .ci/run installs it)`;

/** A new headless chromium. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: ARGS });
}
