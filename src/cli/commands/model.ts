/**
 * `strata model inspect <model.tar.gz | model_algo-1 | uri>`: prints what `mx.ndarray.load("model_algo-1")`
 * would give — a list or a dict, and each array's name, shape, dtype and values. On a terminal values are
 * truncated (first rows and columns); `--json` prints every value.
 * @module
 */
import type { Command } from "commander";
import { type InspectedArray, inspectArtifact, type NestedValues } from "../../jobs/artifact-inspect.js";
import { printJson, printLines } from "../output.js";

const MAX_ITEMS = 6;

function formatNumber(v: number): string {
  return Number.isInteger(v) ? String(v) : v.toPrecision(7).replace(/\.?0+(e|$)/, "$1");
}

/** A truncated, numpy-like rendering of nested values. */
export function formatValues(values: NestedValues, depth = 0): string {
  if (typeof values === "number") return formatNumber(values);
  const shown =
    values.length > MAX_ITEMS
      ? [...values.slice(0, MAX_ITEMS - 1), null, values[values.length - 1]!]
      : values;
  const parts = shown.map((v) => (v === null ? "..." : formatValues(v, depth + 1)));
  const nested = values.length > 0 && typeof values[0] !== "number";
  return nested ? `[${parts.join(`,\n${" ".repeat(depth + 1 + 4)}`)}]` : `[${parts.join(", ")}]`;
}

function formatArray(a: InspectedArray, index: number): string {
  const label = a.name === null ? `[${index}]` : `[${JSON.stringify(a.name)}]`;
  return `  ${label} ${a.dtype} shape (${a.shape.join(", ")})\n    ${formatValues(a.values)}`;
}

export function registerModel(program: Command): void {
  const model = program.command("model").description("Model artifacts (model.tar.gz) in SageMaker's format.");
  model
    .command("inspect")
    .description(
      "Show what mx.ndarray.load gives for a model.tar.gz or model_algo-1: names, shapes, dtypes, values.",
    )
    .argument("<artifact>", "model.tar.gz or model_algo-1: path, file://, s3:// or https://")
    .option("--json", "print every value as JSON")
    .action(async (uri: string, flags: { json?: boolean }) => {
      const inspected = await inspectArtifact(uri);
      if (flags.json) return printJson(inspected);
      const lines = [`${inspected.source} (${inspected.format})`];
      for (const entry of inspected.entries) {
        if (entry.type === "other") {
          lines.push(
            `${entry.name}: ${entry.size} bytes, not an NDArray file${entry.note ? ` (${entry.note})` : ""}`,
          );
          continue;
        }
        const kind =
          entry.type === "dict"
            ? `dict of ${entry.arrays.length} arrays`
            : `list of ${entry.arrays.length} array${entry.arrays.length === 1 ? "" : "s"}`;
        lines.push(`${entry.name}: ${kind} (mx.nd.load returns a ${entry.type})`);
        for (const [i, a] of entry.arrays.entries()) lines.push(formatArray(a, i));
      }
      printLines(...lines);
    });
}
