/**
 * The notebook's K-Means input: the census (3,218 × 34) min-max scaled, projected on its principal components,
 * the top 5 kept (computed once per process; callers must not modify it).
 * @module
 */
import { type Matrix, selectColumns } from "../../src/linalg/matrix.js";
import { PCA } from "../../src/pca/pca.js";
import { MinMaxScaler } from "../../src/preprocess/min-max-scaler.js";
import { readCensusMatrix } from "./read-census-matrix.js";

let cached: Matrix | undefined;

export function censusProjections(): Matrix {
  if (cached !== undefined) return cached;
  const { matrix: raw } = readCensusMatrix();
  const scaled = new MinMaxScaler().fit(raw).transform(raw);
  cached = selectColumns(new PCA({ numComponents: 33 }).fit(scaled).transform(scaled), [0, 1, 2, 3, 4]);
  return cached;
}
