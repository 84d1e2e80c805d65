/**
 * The map's shapes decoded at build time (scripts/build-map-shapes.mjs): dist/report/map-shapes.json must hold
 * exactly what charts/county-map.ts' `mapShapes` decodes from us-atlas' topology, since every report built from
 * dist reads it instead of decoding the topology.
 */
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { countiesTopology } from "../../src/report/assets.js";
import { MAP_SHAPES_VERSION, mapShapes } from "../../src/report/charts/county-map.js";
import { PROJECT_ROOT } from "../helpers/census.js";

test("the build's map-shapes.json is the topology's shapes: every county, every state and the borders", async () => {
  const file = join(PROJECT_ROOT, "dist", "report", "map-shapes.json");
  assert.ok(existsSync(file), "npm install runs the build, which writes dist/report/map-shapes.json");
  const built = JSON.parse(readFileSync(file, "utf8"));
  const decoded = mapShapes(await countiesTopology());
  assert.equal(built.version, MAP_SHAPES_VERSION);
  assert.equal(decoded.counties.length, 3142);
  assert.ok(
    decoded.counties.every((c) => /^\d{5}$/.test(c.id ?? "") && c.d.startsWith("M") && c.d.endsWith("Z")),
  );
  assert.deepEqual(built, JSON.parse(JSON.stringify(decoded)));
});
