/**
 * Serving: models and inference pipelines, endpoints, invocation formats and batch transform, over the
 * registry. The HTTP API (src/api) and the CLI share these services.
 * @module
 */
export * from "./endpoint-service.js";
export * from "./hosting-service.js";
export * from "./invoke.js";
export * from "./model-service.js";
export * from "./model-spec.js";
export * from "./names.js";
export * from "./pipeline.js";
export * from "./register-run-models.js";
export * from "./transform-service.js";
