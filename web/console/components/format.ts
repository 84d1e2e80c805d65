/** Formatting shared by the pages: SageMaker's epoch-second times, durations and numbers. */

/** An epoch-seconds time (SageMaker's wire format) as local date and time; "—" when absent. */
export function when(epochSeconds: number | undefined): string {
  if (epochSeconds === undefined) return "—";
  return new Date(epochSeconds * 1000).toLocaleString(undefined, {
    dateStyle: "medium",
    timeStyle: "medium",
  });
}

/** Seconds between two epoch-second times, as "1 min 12 s". */
export function duration(from: number | undefined, to: number | undefined): string {
  if (from === undefined) return "—";
  const s = Math.max(0, (to ?? Date.now() / 1000) - from);
  if (s < 60) return `${s.toFixed(s < 10 ? 1 : 0)} s`;
  const m = Math.floor(s / 60);
  return `${m} min ${Math.round(s - 60 * m)} s`;
}

/** A number for a table: up to `digits` significant digits, no exponent for ordinary sizes. */
export function num(x: number, digits = 6): string {
  if (!Number.isFinite(x)) return String(x);
  return Number(x.toPrecision(digits)).toLocaleString(undefined, { maximumFractionDigits: 12 });
}
