/**
 * PCA: estimator, fitted model, mergeable statistics and hyperparameter parsing (re-exports only).
 * @module
 */
export * from "./hyperparameters.js";
export * from "./partial-stats.js";
export * from "./pca.js";
export * from "./pca-model.js";
