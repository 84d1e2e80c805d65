/**
 * A console run's request body, checked field by field into the options of `strata run` (workflow/options.ts):
 * the same names and meanings as the CLI's flags. Anything else in the body is refused by name, so a typo is
 * not silently ignored.
 * @module
 */
import { StrataError } from "../../errors.js";
import { TRANSFORMS, type TransformName } from "../../preprocess/feature-transform.js";
import { DEFAULT_OPTIONS, type SegmentationOptions } from "../../workflow/options.js";

const FIELDS = [
  "source",
  "name",
  "index",
  "ids",
  "features",
  "exclude",
  "weight",
  "impute",
  "transform",
  "transformByFeature",
  "scale",
  "components",
  "clusters",
  "clusterRange",
  "seed",
  "restarts",
] as const;

function bad(field: string, expected: string): StrataError {
  return new StrataError("INVALID_ARGUMENT", `${field} is invalid: expected ${expected}.`, {
    details: { field },
  });
}

function names(input: Record<string, unknown>, field: string): string[] | undefined {
  const v = input[field];
  if (v === undefined || v === null) return undefined;
  if (!Array.isArray(v) || v.some((x) => typeof x !== "string") || v.length > 10_000)
    throw bad(field, "a list of column names");
  return v as string[];
}

function oneOf<T extends string>(
  input: Record<string, unknown>,
  field: string,
  allowed: readonly T[],
): T | undefined {
  const v = input[field];
  if (v === undefined || v === null || v === "") return undefined;
  if (typeof v !== "string" || !allowed.includes(v as T)) throw bad(field, `one of ${allowed.join(", ")}`);
  return v as T;
}

function integer(input: Record<string, unknown>, field: string): number | undefined {
  const v = input[field];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== "number" || !Number.isSafeInteger(v)) throw bad(field, "an integer");
  return v;
}

/** The run the body asks for. @throws StrataError INVALID_ARGUMENT naming the field */
export function parseRunRequest(input: Record<string, unknown>): SegmentationOptions & { name?: string } {
  const unknown = Object.keys(input).filter((k) => !(FIELDS as readonly string[]).includes(k));
  if (unknown.length > 0)
    throw new StrataError(
      "INVALID_ARGUMENT",
      `Unknown field ${unknown.join(", ")}: a run takes ${FIELDS.join(", ")}.`,
    );
  const source = input["source"];
  if (typeof source !== "string" || source.trim() === "")
    throw bad("source", "a path or URI the server may read");
  const name = input["name"];
  if (name !== undefined && name !== null && name !== "" && typeof name !== "string")
    throw bad("name", "a string");
  const components = input["components"];
  if (
    components !== undefined &&
    components !== "auto" &&
    (typeof components !== "number" || !Number.isSafeInteger(components))
  )
    throw bad("components", 'an integer or "auto"');
  const range = input["clusterRange"];
  if (
    range !== undefined &&
    range !== null &&
    (!Array.isArray(range) ||
      range.length !== 2 ||
      !range.every((x) => typeof x === "number" && Number.isSafeInteger(x)))
  )
    throw bad("clusterRange", "[from, to], two integers");
  const byFeature = input["transformByFeature"];
  if (
    byFeature !== undefined &&
    byFeature !== null &&
    (typeof byFeature !== "object" ||
      Array.isArray(byFeature) ||
      Object.values(byFeature).some((t) => !(TRANSFORMS as readonly unknown[]).includes(t)))
  )
    throw bad("transformByFeature", `an object of column name to one of ${TRANSFORMS.join(", ")}`);
  const all = oneOf(input, "transform", TRANSFORMS);
  const weight = input["weight"];
  if (weight !== undefined && weight !== null && weight !== "" && typeof weight !== "string")
    throw bad("weight", "a column name");
  return {
    source: source.trim(),
    ...(typeof name === "string" && name !== "" ? { name } : {}),
    indexColumns: names(input, "index"),
    idColumns: names(input, "ids"),
    features: names(input, "features"),
    exclude: names(input, "exclude"),
    weight: typeof weight === "string" && weight !== "" ? weight : undefined,
    impute: oneOf(input, "impute", ["median", "mean"] as const),
    transform:
      all === undefined && (byFeature === undefined || byFeature === null)
        ? undefined
        : {
            ...(all === undefined ? {} : { all }),
            ...(byFeature ? { byFeature: byFeature as Record<string, TransformName> } : {}),
          },
    scale: oneOf(input, "scale", ["minmax", "standard"] as const),
    components: components as number | "auto" | undefined,
    clusters: integer(input, "clusters") ?? DEFAULT_OPTIONS.clusters,
    clusterRange: (range ?? undefined) as [number, number] | undefined,
    seed: integer(input, "seed") ?? DEFAULT_OPTIONS.seed,
    restarts:
      input["restarts"] === "auto" ? "auto" : (integer(input, "restarts") ?? DEFAULT_OPTIONS.restarts),
  };
}
