/**
 * Lists in messages stay readable however many items there are: the first few, then "… and 51 more".
 * @module
 */
import { groupDigits } from "./group-digits.js";

/**
 * `items` joined with ", ", the first `max` of them and then how many more.
 * @example cappedList(["a", "b", "c"], 2) // "a, b … and 1 more"
 */
export function cappedList(items: readonly string[], max = 10): string {
  if (items.length <= max) return items.join(", ");
  return `${items.slice(0, max).join(", ")} … and ${groupDigits(items.length - max)} more`;
}
