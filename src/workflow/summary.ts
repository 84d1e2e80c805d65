/**
 * summary.json: the machine-readable result of a run, in the shape DESIGN.md fixes (extend, do not rename).
 * Components are reported largest first and sign-fixed; explained variance is exact (component variance over
 * total variance), with the notebook's s² ratio beside it for comparison with SageMaker.
 * @module
 */
import type { DescribeResult } from "../data/describe.js";
import { nameComponent } from "../explain/component-names.js";
import { toRows } from "../linalg/matrix.js";
import { STRATA_VERSION } from "../version.js";
import type { SegmentationResult } from "./segmentation.js";

export const SUMMARY_FORMAT_VERSION = 1;

export interface ComponentSummary {
  readonly name: string;
  readonly top: readonly { feature: string; weight: number }[];
}

export interface Summary {
  readonly formatVersion: number;
  readonly strataVersion: string;
  readonly source: string;
  readonly rows: { loaded: number; dropped: number; used: number };
  readonly droppedRows: readonly string[];
  readonly features: readonly string[];
  readonly pca: {
    numComponents: number;
    kept: number;
    singularValues: number[];
    explainedVarianceRatio: number[];
    keptExplainedVariance: number;
    keptExplainedVarianceSageMaker: number;
    components: ComponentSummary[];
  };
  readonly kmeans: {
    k: number;
    inertia: number;
    sizes: number[];
    centroids: number[][];
    silhouette: number;
    iterations: number;
  };
  readonly describe: { raw: DescribeResult; scaled: DescribeResult };
  readonly timings: Record<string, number>;
}

/** How many loadings each component lists in `top`. */
export const TOP_LOADINGS = 10;

export function buildSummary(result: SegmentationResult, extraTimings: Record<string, number> = {}): Summary {
  const { pca, kmeans, kept } = result;
  const components = Array.from({ length: kept }, (_, i) => {
    const top = pca.topFeatures(i, TOP_LOADINGS);
    return { name: nameComponent(top), top };
  });
  const ratios = Array.from(pca.explainedVarianceRatio);
  return {
    formatVersion: SUMMARY_FORMAT_VERSION,
    strataVersion: STRATA_VERSION,
    source: result.source,
    rows: { loaded: result.loadedRows, dropped: result.droppedRows.length, used: result.projections.rows },
    droppedRows: result.droppedRows,
    features: result.features,
    pca: {
      numComponents: pca.numComponents,
      kept,
      singularValues: Array.from(pca.singularValues),
      explainedVarianceRatio: ratios,
      keptExplainedVariance: ratios.slice(0, kept).reduce((a, b) => a + b, 0),
      keptExplainedVarianceSageMaker: pca.keptExplainedVarianceSageMaker(kept),
      components,
    },
    kmeans: {
      k: kmeans.k,
      inertia: kmeans.inertia,
      sizes: [...result.sizes],
      centroids: toRows(kmeans.centroids),
      silhouette: result.silhouette,
      iterations: kmeans.iterations,
    },
    describe: { raw: result.describeRaw, scaled: result.describeScaled },
    timings: roundTimings({ ...result.timings, ...extraTimings }),
  };
}

function roundTimings(t: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(t).map(([k, v]) => [k, Math.round(v * 100) / 100]));
}
