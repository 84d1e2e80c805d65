/**
 * Object stores: one interface (object-store.ts) and its file, S3 and HTTPS implementations.
 * @module
 */
export * from "./file.js";
export * from "./https.js";
export * from "./object-store.js";
export * from "./resolve.js";
export * from "./s3.js";
export * from "./s3-client.js";
export * from "./s3-errors.js";
