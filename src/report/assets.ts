/**
 * The map's shapes: us-atlas' county TopoJSON (pre-projected to Albers USA), read from the installed package at
 * report time (nothing vendored in the repository), once per process.
 * @module
 */
import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { StrataError } from "../errors.js";

/** us-atlas' counties-albers-10m.json: projected to Albers USA (975 × 610), with counties, states and nation. */
export function countiesTopologyPath(): string {
  return fileURLToPath(import.meta.resolve("us-atlas/counties-albers-10m.json"));
}

let topologyCache: Promise<object> | undefined;

async function readAsset(path: string): Promise<string> {
  try {
    return await readFile(path, "utf8");
  } catch (cause) {
    throw new StrataError(
      "INTERNAL",
      `A report asset is missing: ${path} (${(cause as Error).message}). Reinstall with npm ci.`,
      {
        details: { path },
        cause,
      },
    );
  }
}

/** The county topology, parsed. */
export function countiesTopology(): Promise<object> {
  topologyCache ??= readAsset(countiesTopologyPath()).then((text) => JSON.parse(text) as object);
  return topologyCache;
}
