/**
 * Reads a segment's name back into the features it says are high and low, and checks them against the
 * segment's members: a "High X" segment's members' median of X is above the overall median, a "low X" one
 * below (issue 14: names come from the members).
 * @module
 */
import assert from "node:assert/strict";
import { featureInfo } from "../../src/explain/feature-info.js";
import type { Summary } from "../../src/explain/summary-document.js";

/** The features a name says are high and low ("High A & B, low C"), by their labels. */
export function namedFeatures(name: string, features: readonly string[]): { high: string[]; low: string[] } {
  const byLabel = new Map(features.map((f) => [featureInfo(f).label, f]));
  const part = (text: string | undefined) =>
    (text ?? "")
      .split(" & ")
      .filter(Boolean)
      .map((l) => {
        const f = byLabel.get(l);
        assert.ok(f !== undefined, `"${l}" in "${name}" is no feature's label`);
        return f;
      });
  const plain = name.replace(/ \(\d+\)$/, "");
  if (plain.startsWith("Close to the")) return { high: [], low: [] };
  const m = /^(?:High (.+?))?(?:, low (.+)|^Low (.+))?$/.exec(plain);
  assert.ok(m !== null, `"${name}" is not "High …, low …"`);
  return { high: part(m[1]), low: part(m[2] ?? m[3]) };
}

/** Every segment's name agrees with its members' medians against the overall medians. */
export function assertNamesAgreeWithMembers(summary: Summary): void {
  for (const s of summary.segments) {
    const { high, low } = namedFeatures(s.name, summary.features);
    for (const f of high) {
      const j = summary.features.indexOf(f);
      assert.ok(
        s.profile.median[j]! > summary.nationalMedian[j]!,
        `${s.name}: ${f} median ${s.profile.median[j]}`,
      );
    }
    for (const f of low) {
      const j = summary.features.indexOf(f);
      assert.ok(
        s.profile.median[j]! < summary.nationalMedian[j]!,
        `${s.name}: ${f} median ${s.profile.median[j]}`,
      );
    }
  }
}
