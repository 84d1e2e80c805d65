/**
 * Preprocessing estimators (re-exports only).
 * @module
 */
export * from "./min-max-scaler.js";
export * from "./standard-scaler.js";
