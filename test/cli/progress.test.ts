/**
 * Progress on stderr (cli/progress.ts): a cli-progress bar on a terminal, loaded only then, and plain numbered
 * lines on anything else (CI, pipes), so logs stay readable.
 */
import assert from "node:assert/strict";
import { PassThrough } from "node:stream";
import { test } from "node:test";
import { createProgress } from "../../src/cli/progress.js";

function stream(tty: boolean): { stream: NodeJS.WriteStream; text: () => string } {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on("data", (c: Buffer) => chunks.push(c));
  Object.assign(out, { isTTY: tty, columns: 80 });
  return { stream: out as unknown as NodeJS.WriteStream, text: () => Buffer.concat(chunks).toString("utf8") };
}

function runSteps(s: NodeJS.WriteStream): void {
  const progress = createProgress({ totalSteps: 2, stream: s });
  progress.start("load");
  progress.done("load", 12.5, "3220 rows");
  progress.start("clean");
  progress.done("clean", 4, "3218 used");
  progress.stop();
}

test("a terminal gets a bar that counts the steps; anything else numbered lines with times", async () => {
  const tty = stream(true);
  runSteps(tty.stream);
  const plain = stream(false);
  runSteps(plain.stream);
  await new Promise((resolve) => setImmediate(resolve));
  // The bar redraws at most so often: it shows its start and its end here.
  assert.match(tty.text(), / ░{24} 0\/2 /);
  assert.match(tty.text(), / █{24} 2\/2 clean/);
  assert.doesNotMatch(tty.text(), /\[1\/2\]/);
  assert.equal(plain.text(), "[1/2] load          13 ms  3220 rows\n[2/2] clean        4.0 ms  3218 used\n");
});
