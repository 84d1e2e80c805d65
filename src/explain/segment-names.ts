/**
 * One-line names and descriptions of segments from their members. A segment is named by the features on which
 * its members' median lies furthest from the overall median, measured in overall standard deviations: "High
 * Hispanic & Poverty, low White" (so a "High X" segment's members' median of X is above the overall median).
 * Its description adds the medians themselves beside the overall median and the counties closest to its centre,
 * the ones that typify it:
 * "412 counties like California-Fresno, Arizona-Yuma: Hispanic 45.1% (US 3.9%), …".
 * @module
 */
import { countOf, type Entity, referenceShort, referenceWord } from "./entity.js";
import { featureInfo, formatFeatureValue } from "./feature-info.js";
import { standardDeviation } from "./segment-centres.js";

/** What naming a segment needs, all in original units and feature order. */
export interface SegmentProfile {
  readonly features: readonly string[];
  /** The segment's members' median of every feature. */
  readonly median: readonly number[];
  readonly nationalMedian: readonly number[];
  readonly nationalStd: readonly number[];
  readonly size: number;
  /** What the rows are, for the words ("412 counties like …", "(US 3.9%)"). */
  readonly entity: Entity;
  /** Labels of the rows closest to the centre, closest first. */
  readonly typicalCounties: readonly string[];
}

/** A feature on which a profile stands out. */
export interface Deviation {
  readonly feature: string;
  readonly index: number;
  /** Signed distance from the national median in standard deviations. */
  readonly sds: number;
}

/** Deviations below this many standard deviations do not name a segment. */
const NOTABLE_SDS = 0.3;

/**
 * The naming features on which `values` lie furthest from the median, largest |deviation| first.
 * @example notableFeatures(features, centre, medians, stds, 3)[0] // { feature: "Hispanic", sds: 2.4, … }
 */
export function notableFeatures(
  features: readonly string[],
  values: readonly number[],
  median: readonly number[],
  std: readonly number[],
  count: number,
): Deviation[] {
  // A loop rather than map → filter: the report calls this for each of up to 20,000 rows, and only the few
  // notable features need an object.
  const notable: Deviation[] = [];
  for (let index = 0; index < features.length; index++) {
    const sds = standardDeviation(values[index]!, median[index]!, std[index]!);
    if (Math.abs(sds) >= NOTABLE_SDS && featureInfo(features[index]!).names)
      notable.push({ feature: features[index]!, index, sds });
  }
  return notable.sort((a, b) => Math.abs(b.sds) - Math.abs(a.sds) || a.index - b.index).slice(0, count);
}

/** "High A & B, low C" from deviations (labels, not raw names). */
export function describeDeviations(deviations: readonly Deviation[], entity?: Entity): string {
  const label = (d: Deviation) => featureInfo(d.feature).label;
  const high = deviations.filter((d) => d.sds > 0).map(label);
  const low = deviations.filter((d) => d.sds < 0).map(label);
  const parts = [];
  if (high.length) parts.push(`High ${high.join(" & ")}`);
  if (low.length) parts.push(`${parts.length ? "low" : "Low"} ${low.join(" & ")}`);
  return parts.length
    ? parts.join(", ")
    : `Close to the ${entity === undefined ? "national" : referenceWord(entity)} median`;
}

/**
 * A short name for a segment from its three most notable features.
 * @example nameSegment(profile) // "High Hispanic & Poverty, low White"
 */
export function nameSegment(p: SegmentProfile, count = 3): string {
  return describeDeviations(
    notableFeatures(p.features, p.median, p.nationalMedian, p.nationalStd, count),
    p.entity,
  );
}

/**
 * A one-line description: size, typical counties, and the notable values beside the national median.
 * @example describeSegment(profile) // "412 counties like California-Fresno, Arizona-Yuma: Hispanic 45.1% (US 3.9%), …"
 */
export function describeSegment(p: SegmentProfile, count = 4): string {
  const notable = notableFeatures(p.features, p.median, p.nationalMedian, p.nationalStd, count);
  const values = notable
    .map(
      (d) =>
        `${featureInfo(d.feature).label} ${formatFeatureValue(d.feature, p.median[d.index])} (${referenceShort(p.entity)} ${formatFeatureValue(d.feature, p.nationalMedian[d.index])})`,
    )
    .join(", ");
  const like = p.typicalCounties.length ? ` like ${p.typicalCounties.join(", ")}` : "";
  const members = `${countOf(p.size, p.entity)}${like}`;
  return values ? `${members}: ${values}.` : `${members}.`;
}

/**
 * Names for all segments, made distinct: a name two segments share gets more features until it differs, and
 * a numeric suffix as a last resort.
 */
export function nameSegments(profiles: readonly SegmentProfile[]): string[] {
  const names = profiles.map((p) => nameSegment(p));
  for (let extra = 4; extra <= 6; extra++) {
    const dup = duplicates(names);
    if (dup.size === 0) return names;
    profiles.forEach((p, i) => {
      if (dup.has(names[i]!)) names[i] = nameSegment(p, extra);
    });
  }
  return uniquify(names);
}

function duplicates(names: readonly string[]): Set<string> {
  const seen = new Set<string>();
  const dup = new Set<string>();
  for (const n of names) (seen.has(n) ? dup : seen).add(n);
  return dup;
}

/** Appends " (2)", " (3)"… to repeated names, keeping the first as it is. */
export function uniquify(names: readonly string[]): string[] {
  const counts = new Map<string, number>();
  return names.map((n) => {
    const c = (counts.get(n) ?? 0) + 1;
    counts.set(n, c);
    return c === 1 ? n : `${n} (${c})`;
  });
}

/**
 * The `count` rows of each cluster closest to its centre, by distance_to_cluster: their labels, closest first.
 * @returns k lists of labels.
 */
export function typicalMembers(
  labels: readonly string[],
  clusters: ArrayLike<number>,
  distances: ArrayLike<number>,
  k: number,
  count = 3,
): string[][] {
  const members: number[][] = Array.from({ length: k }, () => []);
  for (let i = 0; i < labels.length; i++) members[clusters[i]!]!.push(i);
  return members.map((rows) =>
    rows
      .sort((a, b) => distances[a]! - distances[b]! || a - b)
      .slice(0, count)
      .map((i) => labels[i]!),
  );
}
