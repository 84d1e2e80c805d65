/**
 * Where non-fatal events go (no convergence, a zero-variance column, a fallback taken). Library code takes a
 * Logger in its options instead of writing to the console, so a CLI prints them, a job stores them with its
 * log lines, and a test asserts on them.
 * @module
 */

export type LogLevel = "debug" | "info" | "warn";

export interface Logger {
  log(level: LogLevel, message: string, details?: Record<string, unknown>): void;
}

/** Drops everything: the default when the caller gives no logger. */
export const silentLogger: Logger = { log() {} };

/** Keeps every event in memory (tests, and job runs that persist logs later). */
export class MemoryLogger implements Logger {
  readonly events: { level: LogLevel; message: string; details?: Record<string, unknown> }[] = [];
  log(level: LogLevel, message: string, details?: Record<string, unknown>): void {
    this.events.push(details === undefined ? { level, message } : { level, message, details });
  }
}
