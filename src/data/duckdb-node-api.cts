/**
 * `@duckdb/node-api`, the one module Strata requires it through (duckdb-addon.ts, inside the native guard).
 * `npm run build` replaces this module's compiled output, dist/data/duckdb-node-api.cjs, with one esbuild
 * bundle of the package (scripts/build-vendor.mjs): required as its 120-odd CommonJS files it took 35–45 ms of
 * every run that reads a table, bundled 15–20 ms. The native bindings stay their own package, loaded first.
 * Under tsx this file requires the package as it is.
 * @module
 */
import api = require("@duckdb/node-api");
export = api;
