/**
 * The one hyperparameter engine (issue 13): every algorithm declares a table — one row per SageMaker wire
 * name with its camelCase key, aliases, default, range and the tail of its message, in the manner of the
 * SageMaker SDK's `amazon/hyperparameter.py` — and this engine parses a wire string map (from a job or the
 * API) or checks typed options (from code) against it, once, at the boundary. One message per rule, for
 * every algorithm:
 *
 * - `k=9000 is invalid: expected an integer from 2 to 3218 (the number of rows).` (INVALID_HYPERPARAMETER)
 * - `Unknown init_method "kmeans+": expected one of "random", "kmeans++".` (INVALID_HYPERPARAMETER)
 * - `Unknown PCA hyperparameter "num_component": expected one of feature_dim, num_components, ….`
 *   (UNKNOWN_HYPERPARAMETER; `option` for code)
 * - `PCA needs the hyperparameter num_components (an integer of at least 1).` (MISSING_HYPERPARAMETER)
 * - `num_trials and local_lloyd_num_trials both set local_lloyd_num_trials: give only one.`
 *
 * Keys starting with `_` and a table's `ignored` names (SageMaker's internal keys) are accepted and logged
 * at debug. `auto` is taken wherever a row declares an automatic value.
 * @module
 */
import { StrataError } from "../errors.js";
import type { Logger } from "./logger.js";

/** What validators may know about the data (each table names the fields it reads). */
export type HyperContext = Readonly<Record<string, number | undefined>>;

/** One row. `label` in messages is the wire name (maps) or the camelCase key (code). */
export interface HyperparameterEntry {
  readonly name: string;
  readonly key: string;
  readonly aliases: readonly string[];
  readonly required: boolean;
  /** Whether code must give it too (default: as `required`; `feature_dim` comes from the data in code). */
  readonly requiredInCode?: boolean;
  readonly defaultValue: unknown;
  /** What a valid value looks like ("an integer from 2 to 3218 (the number of rows)"). */
  expected(context: HyperContext): string;
  parse(label: string, text: string, context: HyperContext): unknown;
  check(label: string, value: unknown, context: HyperContext): unknown;
}

/** An algorithm's table. */
export interface HyperparameterTable {
  /** As messages name it: "PCA", "K-Means". */
  readonly algorithm: string;
  readonly entries: readonly HyperparameterEntry[];
  /** Wire names SageMaker's containers define for themselves: accepted and ignored. */
  readonly ignored: readonly string[];
  /** camelCase aliases accepted from code (`restarts` for `numTrials`). */
  readonly codeAliases?: Readonly<Record<string, string>>;
}

/** Integer bounds for one context; `why` explains a data-dependent maximum in messages. */
export interface Bounds {
  readonly min: number;
  readonly max?: number;
  readonly why?: string;
}

/** The one "is invalid" template (`k=9000 is invalid: expected …`), for rows and cross-field rules alike. */
export function invalid(label: string, shown: string, expected: string, value: unknown): StrataError {
  return new StrataError("INVALID_HYPERPARAMETER", `${label}=${shown} is invalid: expected ${expected}.`, {
    details: { name: label, value, expected },
  });
}

/** Numbers are shown as typed (`k=9000`), anything else quoted (`k="seven"`). */
const show = (text: string): string =>
  text.trim() !== "" && Number.isFinite(Number(text)) ? text.trim() : JSON.stringify(text);

/** An integer row (`auto` when the row declares its value). */
export function integer(
  name: string,
  key: string,
  bounds: (c: HyperContext) => Bounds,
  opts: {
    aliases?: string[];
    defaultValue?: number;
    required?: boolean;
    requiredInCode?: boolean;
    auto?: number;
  } = {},
): HyperparameterEntry {
  const expected = (c: HyperContext): string => {
    const { min, max, why } = bounds(c);
    const range =
      max === undefined
        ? `an integer of at least ${min}`
        : min === max
          ? `${min}`
          : `an integer from ${min} to ${max}`;
    return `${range}${why === undefined || max === undefined ? "" : ` (${why})`}${opts.auto === undefined ? "" : ' or "auto"'}`;
  };
  const check = (label: string, value: unknown, c: HyperContext, shown: string): number => {
    if (value === "auto" && opts.auto !== undefined) return opts.auto;
    const { min, max } = bounds(c);
    if (
      typeof value !== "number" ||
      !Number.isSafeInteger(value) ||
      value < min ||
      (max !== undefined && value > max)
    )
      throw invalid(label, shown, expected(c), value);
    return value;
  };
  return {
    name,
    key,
    aliases: opts.aliases ?? [],
    required: opts.required ?? false,
    ...(opts.requiredInCode === undefined ? {} : { requiredInCode: opts.requiredInCode }),
    defaultValue: opts.defaultValue ?? opts.auto,
    expected,
    parse: (label, text, c) => {
      const t = text.trim();
      const value = /^[+-]?\d+$/.test(t) ? Number(t) : t === "auto" ? t : Number.NaN;
      return check(label, value, c, show(text));
    },
    check: (label, value, c) => check(label, value, c, String(value)),
  };
}

/** A number row in [min, max]. */
export function float(
  name: string,
  key: string,
  range: { min: number; max: number },
  opts: { aliases?: string[]; defaultValue: number },
): HyperparameterEntry {
  const expected = () => `a number from ${range.min} to ${range.max}`;
  const check = (label: string, value: unknown, shown: string): number => {
    if (typeof value !== "number" || !Number.isFinite(value) || value < range.min || value > range.max)
      throw invalid(label, shown, expected(), value);
    return value;
  };
  return {
    name,
    key,
    aliases: opts.aliases ?? [],
    required: false,
    defaultValue: opts.defaultValue,
    expected,
    parse: (label, text) => check(label, text.trim() === "" ? Number.NaN : Number(text), show(text)),
    check: (label, value) => check(label, value, String(value)),
  };
}

/** A row whose value is one of a few words. */
export function oneOf(
  name: string,
  key: string,
  values: readonly string[],
  defaultValue: string,
): HyperparameterEntry {
  const listed = values.map((v) => JSON.stringify(v)).join(", ");
  const check = (label: string, value: unknown): string => {
    if (typeof value !== "string" || !values.includes(value))
      throw new StrataError(
        "INVALID_HYPERPARAMETER",
        `Unknown ${label} ${JSON.stringify(String(value))}: expected one of ${listed}.`,
        { details: { name: label, value, allowed: values } },
      );
    return value;
  };
  return {
    name,
    key,
    aliases: [],
    required: false,
    defaultValue,
    expected: () => `one of ${listed}`,
    parse: (label, text) => check(label, text),
    check,
  };
}

/** A true/false row; the wire form is case-insensitive, as the SDK sends Python's `"True"`. */
export function boolean(name: string, key: string, defaultValue: boolean): HyperparameterEntry {
  const check = (label: string, value: unknown, shown: string): boolean => {
    if (typeof value !== "boolean") throw invalid(label, shown, "true or false", value);
    return value;
  };
  return {
    name,
    key,
    aliases: [],
    required: false,
    defaultValue,
    expected: () => "true or false",
    parse: (label, text) => {
      const word = text.trim().toLowerCase();
      return check(label, word === "true" ? true : word === "false" ? false : undefined, show(text));
    },
    check: (label, value) => check(label, value, String(value)),
  };
}

function duplicate(earlier: string, name: string, canonical: string): StrataError {
  return new StrataError(
    "INVALID_HYPERPARAMETER",
    `${earlier} and ${name} both set ${canonical}: give only one.`,
    {
      details: { name: canonical, given: [earlier, name] },
    },
  );
}

function checkRequired(
  table: HyperparameterTable,
  values: Record<string, unknown>,
  context: HyperContext,
  code: boolean,
): void {
  for (const entry of table.entries)
    if ((code ? (entry.requiredInCode ?? entry.required) : entry.required) && !(entry.key in values))
      throw new StrataError(
        "MISSING_HYPERPARAMETER",
        `${table.algorithm} needs the ${code ? "option" : "hyperparameter"} ${code ? entry.key : entry.name} (${entry.expected(context)}).`,
        { details: { name: entry.name } },
      );
}

/**
 * A wire map's values by camelCase key (only the names given; see {@link withDefaults}).
 * @throws StrataError UNKNOWN_HYPERPARAMETER, INVALID_HYPERPARAMETER, MISSING_HYPERPARAMETER
 */
export function parseWireMap(
  table: HyperparameterTable,
  map: Readonly<Record<string, string>>,
  context: HyperContext,
  logger?: Logger,
): Record<string, unknown> {
  const byName = new Map<string, HyperparameterEntry>();
  for (const entry of table.entries)
    for (const name of [entry.name, ...entry.aliases]) byName.set(name, entry);
  const seen = new Map<string, string>();
  const out: Record<string, unknown> = {};
  for (const [name, text] of Object.entries(map)) {
    if (name.startsWith("_") || table.ignored.includes(name)) {
      logger?.log("debug", `Ignoring SageMaker-internal hyperparameter ${name}=${text}.`);
      continue;
    }
    const entry = byName.get(name);
    if (entry === undefined) {
      const allowed = table.entries.map((e) => e.name);
      throw new StrataError(
        "UNKNOWN_HYPERPARAMETER",
        `Unknown ${table.algorithm} hyperparameter ${JSON.stringify(name)}: expected one of ${allowed.join(", ")}.`,
        { details: { name, allowed } },
      );
    }
    const earlier = seen.get(entry.name);
    if (earlier !== undefined) throw duplicate(earlier, name, entry.name);
    seen.set(entry.name, name);
    out[entry.key] = entry.parse(name, String(text), context);
  }
  checkRequired(table, out, context, false);
  return out;
}

/**
 * Typed options from code, checked by the same rows (messages name the camelCase option).
 * @throws StrataError UNKNOWN_HYPERPARAMETER, INVALID_HYPERPARAMETER, MISSING_HYPERPARAMETER
 */
export function checkCodeOptions(
  table: HyperparameterTable,
  options: Readonly<Record<string, unknown>>,
  context: HyperContext,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const seen = new Map<string, string>();
  for (const [key, value] of Object.entries(options)) {
    if (value === undefined) continue;
    const canonical = table.codeAliases?.[key] ?? key;
    const entry = table.entries.find((e) => e.key === canonical);
    if (entry === undefined) {
      const allowed = table.entries.map((e) => e.key);
      throw new StrataError(
        "UNKNOWN_HYPERPARAMETER",
        `Unknown ${table.algorithm} option ${JSON.stringify(key)}: expected one of ${allowed.join(", ")}.`,
        { details: { name: key, allowed } },
      );
    }
    const earlier = seen.get(entry.key);
    if (earlier !== undefined) throw duplicate(earlier, key, entry.key);
    seen.set(entry.key, key);
    out[entry.key] = entry.check(key, value, context);
  }
  checkRequired(table, out, context, true);
  return out;
}

/** The values with every row's default filled in (rows without a default stay absent). */
export function withDefaults(
  table: HyperparameterTable,
  values: Readonly<Record<string, unknown>>,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const entry of table.entries) {
    const value = values[entry.key] ?? entry.defaultValue;
    if (value !== undefined) out[entry.key] = value;
  }
  return out;
}

/** A command-line flag ruled by an algorithm's row (see {@link flagRule}). */
export interface FlagRule {
  readonly flag: string;
  /** Parses the flag's text with the row's syntax and its bounds in `context` (commander's parser). */
  parse(text: string, context?: HyperContext): unknown;
  /** Checks a value already parsed (from code, or against the data once it is read). */
  check(value: unknown, context: HyperContext): unknown;
  /** Refuses a value by a rule across flags, in the same words (`expected` as the rows word it). */
  refuse(value: number | string, expected: string): never;
}

/**
 * A flag that means an algorithm's hyperparameter (`strata run --clusters` is K-Means' `k`) follows that
 * row's rule, worded by the same template with the flag as the label (`--clusters=9000 is invalid: expected
 * an integer from 2 to 3218 (the number of rows).`). A bad flag is INVALID_ARGUMENT, as every bad flag is
 * (exit code 2), where the same value in a job is INVALID_HYPERPARAMETER.
 */
export function flagRule(flag: string, table: HyperparameterTable, name: string): FlagRule {
  const entry = table.entries.find((e) => e.name === name);
  if (entry === undefined) throw new Error(`${table.algorithm} has no hyperparameter ${name}`);
  const toFlagError = (error: StrataError): StrataError =>
    new StrataError("INVALID_ARGUMENT", error.message, { details: { ...error.details, option: flag } });
  const asFlagError = (run: () => unknown): unknown => {
    try {
      return run();
    } catch (error) {
      if (error instanceof StrataError && error.code === "INVALID_HYPERPARAMETER") throw toFlagError(error);
      throw error;
    }
  };
  return {
    flag,
    parse: (text, context = {}) => asFlagError(() => entry.parse(flag, text, context)),
    check: (value, context) => asFlagError(() => entry.check(flag, value, context)),
    refuse: (value, expected) => {
      throw toFlagError(invalid(flag, String(value), expected, value));
    },
  };
}
