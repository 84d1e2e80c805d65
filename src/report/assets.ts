/**
 * The map's shapes: us-atlas' county TopoJSON (pre-projected to Albers USA), read from the installed package
 * (nothing vendored in the repository) and decoded into SVG paths (charts/county-map.ts `mapShapes`), once per
 * process. `npm run build` decodes them once into dist/report/map-shapes.json (`writeMapShapesFile`), which a
 * report then reads instead: reading and decoding the topology took 60–80 ms of a fresh process' report, the
 * file a few. Under tsx (the tests) there is no such file and the topology is decoded.
 * @module
 */
import { readFile, writeFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { StrataError } from "../errors.js";
import { MAP_SHAPES_VERSION, type MapShapes, mapShapes } from "./charts/county-map.js";

/** us-atlas' counties-albers-10m.json: projected to Albers USA (975 × 610), with counties, states and nation. */
export function countiesTopologyPath(): string {
  return fileURLToPath(import.meta.resolve("us-atlas/counties-albers-10m.json"));
}

/** Where the build writes the decoded shapes: beside this module. */
export function mapShapesFilePath(): string {
  return fileURLToPath(new URL("./map-shapes.json", import.meta.url));
}

let topologyCache: Promise<object> | undefined;
let shapesCache: Promise<MapShapes> | undefined;

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

/** The map's shapes: the build's file when it is there and of this format, else decoded from the topology. */
export function countyMapShapes(): Promise<MapShapes> {
  shapesCache ??= (async () => (await builtShapes()) ?? mapShapes(await countiesTopology()))();
  return shapesCache;
}

/**
 * The build's shapes, or undefined when there is no such file, or it is not whole JSON of this format (a build
 * interrupted while writing it, or one of another version): the file only saves decoding the topology.
 */
async function builtShapes(): Promise<MapShapes | undefined> {
  try {
    const built = JSON.parse(await readFile(mapShapesFilePath(), "utf8")) as MapShapes;
    return built.version === MAP_SHAPES_VERSION ? built : undefined;
  } catch {
    return undefined;
  }
}

/** Decodes the topology and writes the shapes where {@link countyMapShapes} reads them (`npm run build`). */
export async function writeMapShapesFile(): Promise<string> {
  const file = mapShapesFilePath();
  await writeFile(file, JSON.stringify(mapShapes(await countiesTopology())));
  return file;
}
