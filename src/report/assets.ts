/**
 * The files a self-contained report.html inlines, read from the installed packages at report time (nothing
 * vendored in the repository): the UMD builds of vega, vega-lite and vega-embed (vega-embed brings the tooltip
 * handler), and us-atlas' county TopoJSON (pre-projected to Albers USA). Read once per process.
 * @module
 */
import { readFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { StrataError } from "../errors.js";

/** A package's build/ directory, found through its resolved entry point (the exports maps hide package.json). */
function buildDir(pkg: string): string {
  return dirname(fileURLToPath(import.meta.resolve(pkg)));
}

/** The minified UMD bundles, in load order. */
export function vendorScriptPaths(): string[] {
  return [
    join(buildDir("vega"), "vega.min.js"),
    join(buildDir("vega-lite"), "vega-lite.min.js"),
    join(buildDir("vega-embed"), "vega-embed.min.js"),
  ];
}

/** us-atlas' counties-albers-10m.json: projected to Albers USA (975 × 610), with counties, states and nation. */
export function countiesTopologyPath(): string {
  return fileURLToPath(import.meta.resolve("us-atlas/counties-albers-10m.json"));
}

let vendorCache: Promise<string[]> | undefined;
let topologyCache: Promise<{ text: string; topology: object }> | undefined;

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

/** The three UMD bundles' source text, in load order. */
export function vendorScripts(): Promise<string[]> {
  vendorCache ??= Promise.all(vendorScriptPaths().map(readAsset));
  return vendorCache;
}

/** The county topology, as text (to inline) and parsed (to render in Node). */
export function countiesTopology(): Promise<{ text: string; topology: object }> {
  topologyCache ??= readAsset(countiesTopologyPath()).then((text) => ({
    text,
    topology: JSON.parse(text) as object,
  }));
  return topologyCache;
}
