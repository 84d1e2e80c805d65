/**
 * Vega and Vega-Lite for rendering in Node: the one module the report imports them from (types may still come
 * from the packages). `npm run build` replaces this module's compiled output, dist/report/vega.js, with a single
 * esbuild bundle of both packages (scripts/build-vendor.mjs), because loading them as the 80-odd ES modules they
 * ship as took about 120 ms of every report run, and the bundle about 45 ms; the code is the packages' own.
 * Under tsx (the tests, the bench's in-process cases) this file imports the packages as they are.
 * @module
 */
export * as vega from "vega";
export * as vl from "vega-lite";
