/**
 * A served model compiled for the hot path. A model's containers (spec §4: SageMaker's inference pipeline
 * runs them in order, each one's output the next one's input) are min-max scaler, PCA and K-Means stages.
 * Every scaler and PCA stage is affine, so consecutive ones are folded at load time into one matrix and bias:
 *
 *   scaler: s = x·diag(scale) + min      PCA: p = (s − mean)·V[:, kept]
 *   folded: p = x·W + b  with  W = diag(scale)·V[:, kept],  b = (min − mean)·V[:, kept]
 *
 * so a raw county row costs one D×n product and, for K-Means, k distances of n values. For model-sized shapes
 * (D·n + k·n ≤ 4096 weights; census: 34·5 + 7·5) that arithmetic is also compiled at load into one
 * straight-line JavaScript function with the weights as literals (see {@link generateKernel}). Buffers are owned by
 * the pipeline and reused: `run` is synchronous, and Node runs one request handler at a time, so no two
 * invocations ever share them concurrently. Results are float64 here; responses round them to float32 as
 * SageMaker does.
 * @module
 */
import { StrataError } from "../errors.js";
import { type FeatureTransforms, transformRowsInPlace } from "../preprocess/feature-transform.js";

/** One loaded container, in pipeline order. */
export type Stage =
  /** Per-feature log1p / asinh before the scaler (preprocess/feature-transform.ts); first container only. */
  | { readonly kind: "transform"; readonly functions: FeatureTransforms }
  | {
      readonly kind: "scaler";
      readonly scale: Float64Array;
      readonly min: Float64Array;
      /** The features it was fitted on, when its artifact names them (Strata's scaler files do). */
      readonly featureNames?: readonly string[];
    }
  | {
      readonly kind: "pca";
      /** Length D. */
      readonly mean: Float64Array;
      /** D×C row-major, as stored in the artifact (column j pairs with s[j]). */
      readonly v: Float64Array;
      /** The singular values, length C, as stored (SageMaker's ascending order). */
      readonly s: Float64Array;
      readonly numComponents: number;
      /** Columns of v the stage outputs, in output order. */
      readonly columns: readonly number[];
    }
  | { readonly kind: "kmeans"; readonly centroids: Float64Array; readonly k: number; readonly dim: number };

/** What a pipeline answers: PCA projections or K-Means predictions. */
export type OutputKind = "projections" | "predictions";

/** Reusable growable Float64Array. */
class Scratch {
  data = new Float64Array(0);
  get(n: number): Float64Array {
    if (this.data.length < n) this.data = new Float64Array(Math.max(n, this.data.length * 2, 1024));
    return this.data;
  }
}

/** The result of one {@link CompiledPipeline.run}: views into the pipeline's buffers, valid until the next run. */
export interface PipelineOutput {
  readonly kind: OutputKind;
  readonly rows: number;
  /** Projections: values per row. Predictions: 2. */
  readonly width: number;
  /** rows×width projections (kind "projections"). */
  readonly projections: Float64Array;
  /** Per row: closest centroid index and Euclidean distance (kind "predictions"). */
  readonly clusters: Float64Array;
  readonly distances: Float64Array;
}

function stageWidths(stage: Stage, inWidth: number): number {
  switch (stage.kind) {
    case "transform":
      return stage.functions.length;
    case "scaler":
      return stage.scale.length;
    case "pca":
      return stage.columns.length;
    case "kmeans":
      return inWidth;
  }
}

function stageInput(stage: Stage): number {
  switch (stage.kind) {
    case "transform":
      return stage.functions.length;
    case "scaler":
      return stage.scale.length;
    case "pca":
      return stage.mean.length;
    case "kmeans":
      return stage.dim;
  }
}

/** The compiled form of {@link CompiledPipeline.run}'s arithmetic for one shape (see {@link generateKernel}). */
type Kernel = (
  input: Float64Array,
  z: Float64Array,
  clusters: Float64Array,
  distances: Float64Array,
  rows: number,
) => void;

/** Largest D·n + k·n for which {@link generateKernel} emits code (bounds the generated source's size). */
const MAX_GENERATED_WEIGHTS = 4096;

/** A double as a JavaScript literal that evaluates to exactly that double (String() round-trips; −0 kept). */
function literal(v: number): string {
  return Object.is(v, -0) ? "(-0)" : `(${String(v)})`;
}

/**
 * Emits the pipeline's arithmetic for one shape as straight-line code: per row, the D inputs are read into
 * locals once, each output is `b_j + x_0·w_0j + … ` with the weights as literals, then each centroid's
 * squared distance. Why generate code: the loops below load every weight through a bounds-checked typed
 * array read and keep one running sum latency-bound per output; with literals V8 emits the multiplies with
 * immediate operands and schedules the n sums in parallel. Measured on the census shape (34 → 5 → k=7),
 * 1000 rows: loops ~270 µs, generated ~110 µs (bench/serve/micro.ts, "pipeline run"). Every sum is formed
 * in the same order as in the loops, so results are bit-for-bit the same (test/serving/pipeline.test.ts).
 * The source holds nothing but numbers this module formats; returns null for shapes too big to unroll.
 */
function generateKernel(
  d: number,
  affine: { w: Float64Array; b: Float64Array; out: number } | null,
  kmeans: { centroids: Float64Array; k: number } | null,
): Kernel | null {
  const m = affine?.out ?? d;
  const k = kmeans?.k ?? 0;
  if ((affine === null ? 0 : d * m) + k * m > MAX_GENERATED_WEIGHTS) return null;
  const lines: string[] = ["for (let r = 0; r < rows; r++) {", `  const xo = r * ${d};`];
  for (let i = 0; i < d; i++) lines.push(`  const x${i} = input[xo + ${i}];`);
  const zName = (j: number) => (affine === null ? `x${j}` : `z${j}`);
  if (affine !== null) {
    lines.push(`  const zo = r * ${m};`);
    for (let j = 0; j < m; j++) {
      let sum = literal(affine.b[j]!);
      for (let i = 0; i < d; i++) sum += ` + x${i} * ${literal(affine.w[j * d + i]!)}`;
      lines.push(`  const z${j} = ${sum};`, `  z[zo + ${j}] = z${j};`);
    }
  }
  if (kmeans !== null) {
    lines.push("  let best = 0;", "  let bestDist = Infinity;", "  let s = 0;", "  let t = 0;");
    for (let j = 0; j < k; j++) {
      for (let c = 0; c < m; c++) {
        lines.push(`  t = ${zName(c)} - ${literal(kmeans.centroids[j * m + c]!)};`);
        lines.push(c === 0 ? "  s = t * t;" : "  s += t * t;");
      }
      if (m === 0) lines.push("  s = 0;");
      lines.push(`  if (s < bestDist) { bestDist = s; best = ${j}; }`);
    }
    lines.push("  clusters[r] = best;", "  distances[r] = Math.sqrt(bestDist);");
  }
  lines.push("}");
  return new Function("input", "z", "clusters", "distances", "rows", lines.join("\n")) as Kernel;
}

/** An inference pipeline with its matrices precomputed. Create with {@link compilePipeline}. */
export class CompiledPipeline {
  readonly inputWidth: number;
  readonly kind: OutputKind;
  readonly outputWidth: number;
  /** out×in folded affine map (row j = output j), or null when the first stage is K-Means. */
  readonly #w: Float64Array | null;
  readonly #b: Float64Array | null;
  readonly #affineOut: number;
  readonly #centroids: Float64Array | null;
  readonly #k: number;
  readonly #kernel: Kernel | null;
  /** Per-feature functions applied to the input first, or null. */
  readonly #pre: FeatureTransforms | null;
  readonly #input = new Scratch();
  readonly #z = new Scratch();
  readonly #clusters = new Scratch();
  readonly #distances = new Scratch();

  constructor(
    inputWidth: number,
    affine: { w: Float64Array; b: Float64Array; out: number } | null,
    kmeans: { centroids: Float64Array; k: number } | null,
    options: { generate?: boolean; pre?: FeatureTransforms | null } = {},
  ) {
    this.inputWidth = inputWidth;
    this.#pre = options.pre ?? null;
    this.#kernel = options.generate === false ? null : generateKernel(inputWidth, affine, kmeans);
    this.#w = affine?.w ?? null;
    this.#b = affine?.b ?? null;
    this.#affineOut = affine?.out ?? inputWidth;
    this.#centroids = kmeans?.centroids ?? null;
    this.#k = kmeans?.k ?? 0;
    this.kind = kmeans === null ? "projections" : "predictions";
    this.outputWidth = kmeans === null ? this.#affineOut : 2;
    Object.freeze(this);
  }

  /** A buffer for `rows` input rows (reused between calls). */
  inputBuffer(rows: number): Float64Array {
    return this.#input.get(rows * this.inputWidth);
  }

  /**
   * The leading transform, in place (`run` owns its input buffer until it returns).
   * @throws StrataError INVALID_PAYLOAD naming the row and feature whose value the transform cannot take
   */
  #transform(input: Float64Array, rows: number): void {
    const pre = this.#pre!;
    transformRowsInPlace(input, rows, pre);
    const d = this.inputWidth;
    for (let i = 0; i < rows * d; i++)
      if (!Number.isFinite(input[i]!))
        throw new StrataError(
          "INVALID_PAYLOAD",
          `Row ${Math.floor(i / d) + 1}, feature ${(i % d) + 1}: the model's ${pre[i % d]} transform needs a value above −1.`,
          { details: { row: Math.floor(i / d) + 1, feature: (i % d) + 1 } },
        );
  }

  /**
   * Runs `rows` rows of `input` (row-major, inputWidth values each) through every stage.
   * @example
   * const out = pipeline.run(pipeline.inputBuffer(1).fill(0.5), 1); // out.clusters[0]
   */
  run(input: Float64Array, rows: number): PipelineOutput {
    const d = this.inputWidth;
    if (this.#pre !== null) this.#transform(input, rows);
    let z = input;
    const m = this.#affineOut;
    if (this.#kernel !== null) {
      if (this.#w !== null) z = this.#z.get(rows * m);
      const clusters = this.#clusters.get(this.#centroids === null ? 0 : rows);
      const distances = this.#distances.get(this.#centroids === null ? 0 : rows);
      this.#kernel(input, z, clusters, distances, rows);
      return { kind: this.kind, rows, width: this.outputWidth, projections: z, clusters, distances };
    }
    if (this.#w !== null) {
      const w = this.#w;
      const b = this.#b!;
      z = this.#z.get(rows * m);
      // Four outputs per pass over the row: each input value is loaded once for four products (about twice
      // as fast as one dot product per output on the census shapes, 34 -> 5).
      const m4 = m - (m % 4);
      for (let r = 0; r < rows; r++) {
        const xo = r * d;
        const zo = r * m;
        for (let j = 0; j < m4; j += 4) {
          const w0 = j * d;
          const w1 = w0 + d;
          const w2 = w1 + d;
          const w3 = w2 + d;
          let s0 = b[j]!;
          let s1 = b[j + 1]!;
          let s2 = b[j + 2]!;
          let s3 = b[j + 3]!;
          for (let i = 0; i < d; i++) {
            const xi = input[xo + i]!;
            s0 += w[w0 + i]! * xi;
            s1 += w[w1 + i]! * xi;
            s2 += w[w2 + i]! * xi;
            s3 += w[w3 + i]! * xi;
          }
          z[zo + j] = s0;
          z[zo + j + 1] = s1;
          z[zo + j + 2] = s2;
          z[zo + j + 3] = s3;
        }
        for (let j = m4; j < m; j++) {
          const wo = j * d;
          let s = b[j]!;
          for (let i = 0; i < d; i++) s += w[wo + i]! * input[xo + i]!;
          z[zo + j] = s;
        }
      }
    }
    const clusters = this.#clusters.get(this.#centroids === null ? 0 : rows);
    const distances = this.#distances.get(this.#centroids === null ? 0 : rows);
    if (this.#centroids !== null) {
      const c = this.#centroids;
      const k = this.#k;
      for (let r = 0; r < rows; r++) {
        const zo = r * m;
        let best = 0;
        let bestDist = Number.POSITIVE_INFINITY;
        for (let j = 0; j < k; j++) {
          const co = j * m;
          let s = 0;
          for (let t = 0; t < m; t++) {
            const diff = z[zo + t]! - c[co + t]!;
            s += diff * diff;
          }
          if (s < bestDist) {
            bestDist = s;
            best = j;
          }
        }
        clusters[r] = best;
        distances[r] = Math.sqrt(bestDist);
      }
    }
    return { kind: this.kind, rows, width: this.outputWidth, projections: z, clusters, distances };
  }
}

function invalid(message: string): StrataError {
  return new StrataError("ARTIFACT_INVALID", message);
}

/**
 * Folds the stages into a {@link CompiledPipeline}.
 * @param names one label per stage for messages, e.g. `container 2 (pca)`
 * @param options `generate: false` keeps the loop kernels (tests compare the two)
 * @throws StrataError ARTIFACT_INVALID when widths do not chain, K-Means is not last, or the last stage is a
 *   scaler (a scaler's output is no SageMaker response format)
 * @example
 * const pipeline = compilePipeline([scalerStage, pcaStage, kmeansStage], ["scaler", "pca", "kmeans"]);
 */
export function compilePipeline(
  allStages: readonly Stage[],
  allNames: readonly string[],
  options: { generate?: boolean } = {},
): CompiledPipeline {
  // A leading transform runs on the input in place; the stages after it fold as before.
  const first = allStages[0];
  const pre = first?.kind === "transform" ? first.functions : null;
  const stages = pre === null ? allStages : allStages.slice(1);
  const names = pre === null ? allNames : allNames.slice(1);
  const misplaced = stages.findIndex((s) => s.kind === "transform");
  if (misplaced >= 0)
    throw invalid(`${names[misplaced]} is a feature transform; it must be the first container.`);
  if (stages.length === 0) throw invalid("A model needs at least one container after a transform.");
  if (pre !== null && stageInput(stages[0]!) !== pre.length)
    throw invalid(
      `${names[0]} expects ${stageInput(stages[0]!)} features but ${allNames[0]} gives ${pre.length}.`,
    );
  const last = stages[stages.length - 1]!;
  if (last.kind === "scaler")
    throw invalid(`The last container, ${names[stages.length - 1]}, is a scaler; end with PCA or K-Means.`);
  const inputWidth = stageInput(stages[0]!);
  let width = inputWidth;
  let w: Float64Array | null = null; // width×inputWidth
  let b: Float64Array | null = null;
  for (const [index, stage] of stages.entries()) {
    const expected = stageInput(stage);
    if (expected !== width) {
      const hint =
        index > 0 && stages[index - 1]!.kind === "pca"
          ? " (set STRATA_PCA_KEEP_TOP on the PCA container)"
          : "";
      throw invalid(
        `${names[index]} expects ${expected} features but ${index === 0 ? "the input" : names[index - 1]} gives ${width}${hint}.`,
      );
    }
    if (stage.kind === "kmeans") {
      if (index !== stages.length - 1)
        throw invalid(`${names[index]} is K-Means; it must be the last container.`);
      continue;
    }
    if (stage.kind === "transform") continue; // refused above: only the first container is one
    const out = stageWidths(stage, width);
    const nw = new Float64Array(out * inputWidth);
    const nb = new Float64Array(out);
    if (stage.kind === "scaler") {
      for (let j = 0; j < out; j++) {
        const sc = stage.scale[j]!;
        nb[j] = (b === null ? 0 : b[j]! * sc) + stage.min[j]!;
        if (w === null) nw[j * inputWidth + j] = sc;
        else for (let i = 0; i < inputWidth; i++) nw[j * inputWidth + i] = w[j * inputWidth + i]! * sc;
      }
    } else {
      const C = stage.numComponents;
      for (let j = 0; j < out; j++) {
        const col = stage.columns[j]!;
        let bias = 0;
        for (let t = 0; t < width; t++) {
          const vt = stage.v[t * C + col]!;
          bias += vt * ((b === null ? 0 : b[t]!) - stage.mean[t]!);
          if (w === null) nw[j * inputWidth + t] = vt;
          else for (let i = 0; i < inputWidth; i++) nw[j * inputWidth + i]! += vt * w[t * inputWidth + i]!;
        }
        nb[j] = bias;
      }
    }
    w = nw;
    b = nb;
    width = out;
  }
  const affine = w === null ? null : { w, b: b!, out: width };
  return new CompiledPipeline(
    inputWidth,
    affine,
    last.kind === "kmeans" ? { centroids: last.centroids, k: last.k } : null,
    { ...options, pre },
  );
}
