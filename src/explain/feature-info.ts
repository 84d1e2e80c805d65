/**
 * What the census features mean for a reader: a readable label, the unit a value is in (people, dollars,
 * percent, minutes) and whether a feature should name a segment or a county. Counts that merely restate the
 * population (Men, Women, Citizen, Employed), a second income or poverty measure, and margins of error would
 * crowd out the features that tell segments apart, so they never name anything. Features outside the census
 * table get a plain label and number format, so the report works on any table.
 * @module
 */
import { groupDigits } from "../util/group-digits.js";

/** The unit a feature's values are in. */
export type FeatureUnit = "people" | "dollars" | "percent" | "minutes" | "number";

/** How one feature is labelled and formatted. */
export interface FeatureInfo {
  readonly label: string;
  readonly unit: FeatureUnit;
  /** False for features that should never name a segment or county. */
  readonly names: boolean;
}

const PEOPLE = new Set(["TotalPop", "Men", "Women", "Citizen", "Employed"]);
const DOLLARS = new Set(["Income", "IncomeErr", "IncomePerCap", "IncomePerCapErr"]);
const MINUTES = new Set(["MeanCommute"]);
const NUMBER = new Set(["CensusId"]);
const NOT_NAMING = new Set([
  "Men",
  "Women",
  "Citizen",
  "Employed",
  "IncomePerCap",
  "ChildPoverty",
  "IncomeErr",
  "IncomePerCapErr",
]);
const LABELS: Record<string, string> = {
  TotalPop: "Population",
  IncomePerCap: "Income per capita",
  ChildPoverty: "Child poverty",
  Drive: "Driving",
  Carpool: "Carpooling",
  OtherTransp: "Other transport",
  WorkAtHome: "Work at home",
  MeanCommute: "Commute",
  PrivateWork: "Private work",
  PublicWork: "Public work",
  SelfEmployed: "Self-employed",
  FamilyWork: "Family work",
};

/** The census table's 34 features are known; any other feature is a plain number named by itself. */
const KNOWN = new Set([
  ...PEOPLE,
  ...DOLLARS,
  ...MINUTES,
  ..."Hispanic White Black Native Asian Pacific Poverty ChildPoverty Professional Service Office Construction Production Drive Carpool Transit Walk OtherTransp WorkAtHome PrivateWork PublicWork SelfEmployed FamilyWork Unemployment".split(
    " ",
  ),
]);

/**
 * Label, unit and naming role of a feature.
 * @example featureInfo("Income") // { label: "Income", unit: "dollars", names: true }
 */
export function featureInfo(feature: string): FeatureInfo {
  const known = infoCache.get(feature);
  if (known !== undefined) return known;
  // Bounded: a long-running server sees the columns of every table it is given.
  if (infoCache.size >= INFO_CACHE_SIZE) infoCache.clear();
  const info = describeFeature(feature);
  infoCache.set(feature, info);
  return info;
}

/** Each feature's info, made once: the report asks for it per feature of each of thousands of rows. */
const infoCache = new Map<string, FeatureInfo>();
const INFO_CACHE_SIZE = 4096;

function describeFeature(feature: string): FeatureInfo {
  const unit: FeatureUnit = PEOPLE.has(feature)
    ? "people"
    : DOLLARS.has(feature)
      ? "dollars"
      : MINUTES.has(feature)
        ? "minutes"
        : KNOWN.has(feature) && !NUMBER.has(feature)
          ? "percent"
          : "number";
  return {
    label: LABELS[feature] ?? feature,
    unit,
    names: !NOT_NAMING.has(feature) && !/Err$/.test(feature),
  };
}

/**
 * A value in its feature's unit, for tables and tooltips: "$52,281", "12.9%", "55,221", "23.5 min".
 * @example formatFeatureValue("Income", 51281) // "$51,281"
 */
export function formatFeatureValue(feature: string, value: number | null | undefined): string {
  if (value === null || value === undefined || Number.isNaN(value)) return "n/a";
  switch (featureInfo(feature).unit) {
    case "people":
      return groupDigits(Math.round(value));
    case "dollars":
      return `$${groupDigits(Math.round(value))}`;
    case "percent":
      return `${value.toFixed(1)}%`;
    case "minutes":
      return `${value.toFixed(1)} min`;
    case "number":
      return formatNumber(value);
  }
}

/** A number with about four significant digits and thousands separators ("1,234", "0.1235"). */
export function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  const abs = Math.abs(value);
  if (abs >= 1000) return groupDigits(Math.round(value));
  if (abs === 0) return "0";
  return String(Number(value.toPrecision(4)));
}
