/** The algorithms a training job can run, by name. @module */
import type { AlgorithmName, TrainingAlgorithm } from "../algorithm.js";
import { kmeansAlgorithm } from "./kmeans.js";
import { pcaAlgorithm } from "./pca.js";

const ALGORITHMS: Readonly<Record<AlgorithmName, TrainingAlgorithm<never>>> = {
  pca: pcaAlgorithm as TrainingAlgorithm<never>,
  kmeans: kmeansAlgorithm as TrainingAlgorithm<never>,
};

/** The algorithm behind a job. */
export function getAlgorithm(name: AlgorithmName): TrainingAlgorithm<unknown> {
  return ALGORITHMS[name] as TrainingAlgorithm<unknown>;
}
