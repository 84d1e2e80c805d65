/**
 * Numbers as SageMaker's built-in containers print them in JSON, JSON Lines and CSV responses (spec §4.5):
 * the value is computed in float32, widened to double and written as Python's `repr` would write that
 * double — the shortest digits that round-trip, `.0` after integers (`3.0`, not `3`), and Python's exponent
 * layout (`1e-05`, `1.5e+16`) where JavaScript would write `0.00001` or `15000000000000000`.
 *
 * Why not `JSON.stringify`: it prints `3` for 3.0 and uses JavaScript's exponent thresholds, so bodies would
 * differ from SageMaker's byte for byte. Why not a full Ryu port: V8's `Number#toString` already produces the
 * shortest round-trip digits (the same digits Python's repr picks, both taking the closest shortest string),
 * fast and in native code; only the layout differs, so this module reuses those digits and fixes the layout.
 * Integers, the common case for `closest_cluster`, never reach the digit generator at all.
 * @module
 */

/** Python's repr switches to exponent form below 1e-4 and from 1e16 on (decimal exponent < -4 or > 15). */
const FIXED_MIN = 1e-4;
const FIXED_MAX = 1e16;

/**
 * Formats a double exactly as Python's `repr(float)` (and `json.dumps`) does; NaN and infinities as
 * Python's json writes them (`NaN`, `Infinity`, `-Infinity`).
 * @example
 * formatPythonFloat(7); // "7.0"
 * formatPythonFloat(0.00001); // "1e-05"
 */
export function formatPythonFloat(v: number): string {
  const a = v < 0 ? -v : v;
  if (a >= FIXED_MIN && a < FIXED_MAX) {
    // Integral values: "7.0". Math.floor is exact here (|v| < 2^53 is not needed: 1e16 > 2^53 values are
    // integers and String() prints them without an exponent below 1e21).
    if (Math.floor(a) === a) return `${v}.0`;
    return `${v}`;
  }
  if (v === 0) return 1 / v < 0 ? "-0.0" : "0.0";
  if (Number.isNaN(v)) return "NaN";
  if (a === Number.POSITIVE_INFINITY) return v < 0 ? "-Infinity" : "Infinity";
  // Exponent form: JavaScript's toExponential() without an argument gives the shortest round-trip digits
  // ("1.5e-5"); Python writes at least two exponent digits and always a sign ("1.5e-05", "1e+16").
  const s = v.toExponential();
  const e = s.indexOf("e");
  const sign = s.charCodeAt(e + 1) === 45 ? "-" : "+";
  const digits = s.slice(e + 2);
  return `${s.slice(0, e)}e${sign}${digits.length < 2 ? "0" : ""}${digits}`;
}

/**
 * Formats a value as the float32 SageMaker computes, widened to double: `formatPythonFloat(Math.fround(v))`.
 * @example
 * formatFloat32(0.27046188712120056); // "0.27046188712120056"
 * formatFloat32(0.1); // "0.10000000149011612"
 */
export function formatFloat32(v: number): string {
  return formatPythonFloat(Math.fround(v));
}
