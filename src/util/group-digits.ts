/**
 * Numbers with en-US thousands separators ("55,221", "1,234.5"), exactly as `n.toLocaleString("en-US")` writes
 * them. Whole numbers (the counts in messages and tables) are grouped here; the rest go through one shared
 * Intl.NumberFormat: toLocaleString makes a formatter per call (measured 1.5 µs against 0.4 per number), and
 * the first formatter starts ICU (10–15 ms of a run that only ever groups counts).
 * @module
 */
let enUs: Intl.NumberFormat | undefined;

/** @example groupDigits(1234567) // "1,234,567" */
export function groupDigits(n: number): string {
  // -0 is written "-0" by Intl; String(-0) is "0".
  if (Number.isSafeInteger(n) && !Object.is(n, -0)) return groupWhole(n);
  enUs ??= new Intl.NumberFormat("en-US");
  return enUs.format(n);
}

function groupWhole(n: number): string {
  const digits = String(Math.abs(n));
  let out = digits.slice(0, ((digits.length - 1) % 3) + 1);
  for (let at = out.length; at < digits.length; at += 3) out += `,${digits.slice(at, at + 3)}`;
  return n < 0 ? `-${out}` : out;
}
