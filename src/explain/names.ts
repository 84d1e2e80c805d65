/**
 * User-chosen names for components and segments: `--component-names "a,b,c"`, `--segment-names "x,y"` and
 * `--names names.json`. A list overrides names in order (an empty item keeps the automatic name); the file is
 * `{ "components": [...] | { "comp_1": "…" }, "segments": [...] | { "0": "…" } }`, with components numbered
 * from 1 (as comp_1 in assignments.csv) and segments by their cluster id (from 0, as closest_cluster).
 * Flags win over the file. The resulting names flow into summary.json, every chart and table, and the
 * terminal summary.
 * @module
 */
import { readFileSync } from "node:fs";
import { StrataError } from "../errors.js";

/** Overrides by position; undefined keeps the current name. */
export interface NameOverrides {
  readonly components?: readonly (string | undefined)[];
  readonly segments?: readonly (string | undefined)[];
}

/**
 * Parses a comma-separated list of names, keeping empty items as "no override".
 * @example parseNameList("Urban,,Rural") // ["Urban", undefined, "Rural"]
 */
export function parseNameList(value: string): (string | undefined)[] {
  return value.split(",").map((s) => s.trim() || undefined);
}

/**
 * Reads a names file.
 * @throws SOURCE_NOT_FOUND when the file cannot be read; INVALID_ARGUMENT when it is not the expected JSON.
 */
export function readNamesFile(path: string): NameOverrides {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (cause) {
    throw new StrataError(
      "SOURCE_NOT_FOUND",
      `Could not read the names file ${path}: ${(cause as Error).message}.`,
      {
        details: { path },
        cause,
      },
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (cause) {
    throw invalid(path, `it is not JSON (${(cause as Error).message})`, cause);
  }
  if (typeof json !== "object" || json === null || Array.isArray(json)) {
    throw invalid(path, 'expected an object with "components" and/or "segments"');
  }
  const o = json as Record<string, unknown>;
  return {
    ...(o["components"] === undefined ? {} : { components: toList(o["components"], path, "components", 1) }),
    ...(o["segments"] === undefined ? {} : { segments: toList(o["segments"], path, "segments", 0) }),
  };
}

function toList(value: unknown, path: string, key: string, base: number): (string | undefined)[] {
  if (Array.isArray(value)) {
    return value.map((v) => {
      if (v !== null && typeof v !== "string") throw invalid(path, `"${key}" must hold strings`);
      return v || undefined;
    });
  }
  if (typeof value !== "object" || value === null) {
    throw invalid(path, `"${key}" must be a list or an object of names`);
  }
  const out: (string | undefined)[] = [];
  for (const [k, v] of Object.entries(value)) {
    const index = Number(k.replace(/^comp_/, "")) - base;
    if (!Number.isInteger(index) || index < 0) throw invalid(path, `"${key}" has a bad key "${k}"`);
    if (typeof v !== "string") throw invalid(path, `"${key}.${k}" must be a string`);
    out[index] = v || undefined;
  }
  return Array.from(out, (v) => v);
}

function invalid(path: string, why: string, cause?: unknown): StrataError {
  return new StrataError("INVALID_ARGUMENT", `The names file ${path} is invalid: ${why}.`, {
    details: { path },
    ...(cause === undefined ? {} : { cause }),
  });
}

/** File overrides with flag overrides on top (item by item). */
export function mergeOverrides(base: NameOverrides, top: NameOverrides): NameOverrides {
  const merge = (a?: readonly (string | undefined)[], b?: readonly (string | undefined)[]) => {
    if (!a) return b;
    if (!b) return a;
    return Array.from({ length: Math.max(a.length, b.length) }, (_, i) => b[i] ?? a[i]);
  };
  const components = merge(base.components, top.components);
  const segments = merge(base.segments, top.segments);
  return { ...(components ? { components } : {}), ...(segments ? { segments } : {}) };
}

/**
 * Applies overrides to the current names.
 * @throws INVALID_ARGUMENT when there are more names than components or segments.
 * @example applyNames(["a", "b"], ["x"], "component") // ["x", "b"]
 */
export function applyNames(
  current: readonly string[],
  overrides: readonly (string | undefined)[] | undefined,
  what: "component" | "segment",
): string[] {
  if (!overrides) return [...current];
  checkNameCount(current.length, overrides, what);
  return current.map((name, i) => overrides[i] ?? name);
}

/** Refuses more names than there are components or segments (before a run, from the flags' counts). */
export function checkNameCount(
  count: number,
  overrides: readonly (string | undefined)[] | undefined,
  what: "component" | "segment",
): void {
  if (overrides === undefined || overrides.length <= count) return;
  const flag = what === "component" ? "--component-names" : "--segment-names";
  throw new StrataError(
    "INVALID_ARGUMENT",
    `${flag} has ${overrides.length} names; there are only ${count} ${what}s. Give at most ${count}.`,
    { details: { option: flag, given: overrides.length, max: count } },
  );
}
