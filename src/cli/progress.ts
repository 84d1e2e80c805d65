/**
 * Progress for long work: a cli-progress bar on a terminal, plain timestamped lines elsewhere (CI sets no TTY),
 * nothing with `--quiet`. Always on stderr, so stdout stays the command's result.
 * @module
 */
import { createRequire } from "node:module";
import type CliProgress from "cli-progress";

/**
 * cli-progress, loaded when a bar is drawn: runs whose stderr is not a terminal (CI, pipes, the bench) print
 * plain lines and never need it, and loading it took 4 ms of every run's start.
 */
function cliProgress(): typeof CliProgress {
  return createRequire(import.meta.url)("cli-progress") as typeof CliProgress;
}

export interface Progress {
  /** Marks the start of a named step; `done` ends it. */
  start(step: string, detail?: string): void;
  done(step: string, elapsedMs: number, detail?: string): void;
  /** Fractional progress inside the current step (bars only; plain mode prints at most every 10%). */
  update(fraction: number): void;
  /** A sentence about the work (a line of its own; on a bar, shown until the next step). */
  note(text: string): void;
  stop(): void;
}

export interface ProgressOptions {
  readonly totalSteps: number;
  readonly quiet?: boolean;
  readonly stream?: NodeJS.WriteStream;
}

/** Picks the bar on a TTY and plain lines otherwise. */
export function createProgress({
  totalSteps,
  quiet = false,
  stream = process.stderr,
}: ProgressOptions): Progress {
  if (quiet) return { start() {}, done() {}, update() {}, note() {}, stop() {} };
  return stream.isTTY ? barProgress(totalSteps, stream) : lineProgress(totalSteps, stream);
}

function lineProgress(totalSteps: number, stream: NodeJS.WritableStream): Progress {
  let index = 0;
  return {
    start() {
      index++;
    },
    done(step, elapsedMs, detail) {
      const ms = elapsedMs < 10 ? elapsedMs.toFixed(1) : elapsedMs.toFixed(0);
      stream.write(
        `[${index}/${totalSteps}] ${step.padEnd(9)} ${ms.padStart(6)} ms${detail ? `  ${detail}` : ""}\n`,
      );
    },
    update() {},
    note(text) {
      stream.write(`${text}\n`);
    },
    stop() {},
  };
}

function barProgress(totalSteps: number, stream: NodeJS.WriteStream): Progress {
  const { SingleBar, Presets } = cliProgress();
  const bar = new SingleBar(
    {
      stream,
      format: " {bar} {value}/{total} {step}",
      hideCursor: true,
      clearOnComplete: true,
      barsize: 24,
    },
    Presets.shades_classic,
  );
  let value = 0;
  bar.start(totalSteps, 0, { step: "" });
  return {
    start(step, detail) {
      bar.update(value, { step: detail ? `${step} (${detail})` : step });
    },
    done(step) {
      value++;
      bar.update(value, { step });
    },
    update(fraction) {
      bar.update(Math.min(totalSteps, value + Math.max(0, Math.min(1, fraction))));
    },
    note(text) {
      bar.update(value, { step: text });
    },
    stop() {
      bar.stop();
    },
  };
}
