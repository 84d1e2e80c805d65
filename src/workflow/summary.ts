/**
 * summary.json: the machine-readable result of a run, in the shape DESIGN.md fixes (extend, do not rename).
 * Components are reported largest first and sign-fixed; explained variance is exact (component variance over
 * total variance), with the notebook's s² ratio beside it for comparison with SageMaker. Beyond the contract it
 * holds what `strata report` needs to rebuild the report from summary.json and assignments.csv alone: the full
 * loadings of the kept components and the PCA mean, the scaler's dataMin/dataMax, national medians, every
 * segment's centre in original units with its name and typical counties, and a histogram of every feature.
 * @module
 */
import { StrataError } from "../errors.js";
import { explainSegmentation } from "../explain/explanation.js";
import { applyNames, type NameOverrides } from "../explain/names.js";
import { STREAMED_SAMPLE_FILE, SUMMARY_FORMAT_VERSION, type Summary } from "../explain/summary-document.js";
import { toRows } from "../linalg/matrix.js";
import { MinMaxScalerModel } from "../preprocess/min-max-scaler.js";
import { STRATA_VERSION } from "../version.js";
import type { SegmentationResult } from "./segmentation.js";

/** How many loadings each component lists in `top`. */
export const TOP_LOADINGS = 10;

/** The features the report draws histograms of unless `--hist` says otherwise (the notebook's three). */
export const DEFAULT_HIST_FEATURES = ["Professional", "Service", "Office"];

/** Options that change how a summary names and draws things. */
export interface ReportOptions {
  readonly names?: NameOverrides;
  /** Features to draw histograms of. */
  readonly histFeatures?: readonly string[];
}

/** Builds summary.json's document from a finished run (automatic names; see {@link applyReportOptions}). */
export function buildSummary(result: SegmentationResult): Summary {
  const { pca, kmeans, kept } = result;
  const explained = explainSegmentation(result);
  const components = Array.from({ length: kept }, (_, i) => {
    const top = pca.topFeatures(i, TOP_LOADINGS);
    const name = explained.componentNames[i]!;
    return { name, autoName: name, top };
  });
  const ratios = Array.from(pca.explainedVarianceRatio);
  return {
    formatVersion: SUMMARY_FORMAT_VERSION,
    strataVersion: STRATA_VERSION,
    source: result.source,
    rows: {
      loaded: result.loadedRows,
      dropped: result.droppedCount,
      used: result.usedRows,
      missingByColumn: { ...result.missingByColumn },
      impute: result.impute,
      imputed: { ...result.imputed },
    },
    droppedRows: result.droppedRows,
    entity: { ...result.entity },
    weight:
      result.weight === null
        ? null
        : {
            column: result.weight.column,
            total: result.weight.total ?? result.weight.values.reduce((a, b) => a + b, 0),
          },
    geography: result.geography === null ? null : { ...result.geography },
    streamed: result.streamed === null ? null : { ...result.streamed, sampleFile: STREAMED_SAMPLE_FILE },
    columns: {
      index: [...result.columns.index],
      identifiers: [...result.columns.identifiers],
      unused: result.columns.unused.map((u) => ({ ...u })),
    },
    features: result.features,
    pca: {
      numComponents: pca.numComponents,
      kept,
      singularValues: Array.from(pca.singularValues),
      explainedVarianceRatio: ratios,
      keptExplainedVariance: ratios.slice(0, kept).reduce((a, b) => a + b, 0),
      keptExplainedVarianceSageMaker: pca.keptExplainedVarianceSageMaker(kept),
      components,
      mean: [...explained.mapping.mean],
      loadings: explained.mapping.loadings.map((row) => [...row]),
      keptRule: result.componentsRule,
    },
    stability:
      result.stability === null
        ? null
        : { resamples: result.stability.resamples, jaccard: [...result.stability.jaccard] },
    kSweep:
      result.sweep === null
        ? null
        : {
            rule: result.sweep.rule,
            chosen: result.sweep.chosen,
            points: result.sweep.points.map((p) => ({ ...p })),
          },
    transforms: [...result.transforms],
    scaler:
      result.scaler instanceof MinMaxScalerModel
        ? {
            kind: "min-max",
            featureRange: [...result.scaler.featureRange],
            dataMin: Array.from(result.scaler.dataMin),
            dataMax: Array.from(result.scaler.dataMax),
          }
        : { kind: "standard", mean: Array.from(result.scaler.mean), scale: Array.from(result.scaler.scale) },
    nationalMedian: explained.nationalMedian,
    overallMean: explained.overallMean,
    segments: explained.segments,
    histograms: explained.histograms,
    report: { histFeatures: defaultHistFeatures(result.features) },
    kmeans: {
      k: kmeans.k,
      inertia: kmeans.inertia,
      sizes: [...result.sizes],
      centroids: toRows(kmeans.centroids),
      silhouette: result.silhouette,
      silhouetteRows: result.silhouetteRows,
      calinskiHarabasz: result.calinskiHarabasz,
      daviesBouldin: result.daviesBouldin,
      iterations: kmeans.iterations,
      ...(kmeans.training === undefined ? {} : { restarts: kmeans.training.trialInertias.length }),
    },
    describe: { raw: result.describeRaw, scaled: result.describeScaled },
    timings: roundTimings(result.timings),
  };
}

/**
 * The summary with user names applied (on top of the current ones) and the histogram features chosen.
 * @throws INVALID_ARGUMENT for more names than components/segments, or a `--hist` feature that does not exist.
 * @example applyReportOptions(summary, { names: { segments: ["Urban"] }, histFeatures: ["Income"] })
 */
export function applyReportOptions<S extends Summary>(s: S, options: ReportOptions): S {
  if (!options.names?.components && !options.names?.segments && !options.histFeatures) return s;
  const componentNames = applyNames(
    s.pca.components.map((c) => c.name),
    options.names?.components,
    "component",
  );
  const segmentNames = applyNames(
    s.segments.map((g) => g.name),
    options.names?.segments,
    "segment",
  );
  const histFeatures = options.histFeatures ?? s.report.histFeatures;
  checkHistFeatures(histFeatures, s.features);
  return {
    ...s,
    pca: { ...s.pca, components: s.pca.components.map((c, i) => ({ ...c, name: componentNames[i]! })) },
    segments: s.segments.map((g, i) => ({ ...g, name: segmentNames[i]! })),
    report: { ...s.report, histFeatures: [...histFeatures] },
  };
}

/**
 * The histograms drawn unless `--hist` says otherwise: the notebook's three where the data has them, else the
 * data's first three features (a customer table has no "Professional").
 */
export function defaultHistFeatures(features: readonly string[]): string[] {
  const notebook = DEFAULT_HIST_FEATURES.filter((f) => features.includes(f));
  return notebook.length > 0 ? notebook : features.slice(0, 3);
}

/** Rejects `--hist` features that are not features of the data (before anything is written). */
export function checkHistFeatures(histFeatures: readonly string[], features: readonly string[]): void {
  const unknown = histFeatures.filter((f) => !features.includes(f));
  if (unknown.length > 0 || histFeatures.length === 0) {
    throw new StrataError(
      "INVALID_ARGUMENT",
      `--hist ${JSON.stringify(histFeatures.join(","))} is invalid: ${unknown.length ? `${unknown.map((f) => `"${f}"`).join(", ")} is not a feature` : "no features given"}; expected names from ${features.join(", ")}.`,
      { details: { option: "hist", value: histFeatures, features } },
    );
  }
}

/** The summary with more step timings (ms, rounded to 0.01). */
export function withTimings<S extends Summary>(s: S, extra: Record<string, number>): S {
  return { ...s, timings: { ...s.timings, ...roundTimings(extra) } };
}

function roundTimings(t: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(t).map(([k, v]) => [k, Math.round(v * 100) / 100]));
}
