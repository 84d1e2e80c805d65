// Decodes us-atlas' county topology into the map's SVG paths once, at build time (run by `npm run build`, after
// tsc): dist/report/map-shapes.json, which every report then reads instead of decoding the topology again
// (60–80 ms of a fresh process). The decoding is src/report/charts/county-map.ts' own `mapShapes`.
import { pathToFileURL } from "node:url";

export async function buildMapShapes() {
  const { writeMapShapesFile } = await import("../dist/report/assets.js");
  return writeMapShapesFile();
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) await buildMapShapes();
