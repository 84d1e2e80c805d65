/**
 * The two SageMaker `model_algo-1` files as typed values (spec §1.3, §5.2). PCA stores a dict of three
 * float32 arrays, names `s` [C], `v` [D, C] and `mean` [1, D] in that order; K-Means stores a list of one
 * float32 array [k, D] of centroids. Both sit on top of the generic NDArray codec: decoding first checks the
 * bytes (FORMAT_ERROR), then that the arrays are the ones the algorithm writes (ARTIFACT_INVALID).
 * @module
 */
import { StrataError } from "../errors.js";
import { decodeNDArrayFile, encodeNDArrayFile, type NDArray, type NDArrayFile } from "./ndarray.js";

/** PCA parameters as SageMaker stores them. `v` is D x C, columns ordered like `s`. */
export interface PCAArtifactArrays {
  /** Singular values, length C. */
  readonly s: Float32Array;
  /** Components, D x C row-major (column j is component j). */
  readonly v: { readonly rows: number; readonly cols: number; readonly data: Float32Array };
  /** Column means, length D. */
  readonly mean: Float32Array;
}

/** K-Means centroids as SageMaker stores them: k x D row-major. */
export interface KMeansArtifactArrays {
  readonly k: number;
  readonly dim: number;
  readonly centroids: Float32Array;
}

function float32Array(shape: number[], values: ArrayLike<number>): NDArray {
  return { shape, dtype: "float32", data: Float32Array.from(values), storage: "default" };
}

function describe(file: NDArrayFile): string {
  const shapes = file.arrays.map((a) => `${a.dtype}[${a.shape.join(", ")}]`).join(", ");
  return file.names === null
    ? `a list of ${file.arrays.length} arrays (${shapes})`
    : `arrays [${file.names.join(", ")}]`;
}

function invalid(message: string, file: NDArrayFile): StrataError {
  return new StrataError("ARTIFACT_INVALID", message, {
    details: {
      names: file.names,
      shapes: file.arrays.map((a) => a.shape),
      dtypes: file.arrays.map((a) => a.dtype),
    },
  });
}

/**
 * Encodes PCA parameters as SageMaker's `model_algo-1` (float32, names s, v, mean).
 * @param model `s` length C, `v` D x C, `mean` length D (any numeric arrays; narrowed to float32).
 * @throws StrataError INVALID_ARGUMENT when the lengths disagree.
 * @example
 * const bytes = encodePCAArtifactFile({ s, v: { rows: 34, cols: 33, data }, mean });
 */
export function encodePCAArtifactFile(model: {
  s: ArrayLike<number>;
  v: { rows: number; cols: number; data: ArrayLike<number> };
  mean: ArrayLike<number>;
}): Uint8Array {
  const { s, v, mean } = model;
  if (v.data.length !== v.rows * v.cols || s.length !== v.cols || mean.length !== v.rows) {
    throw new StrataError(
      "INVALID_ARGUMENT",
      `PCA arrays disagree: s has ${s.length} values, v is ${v.rows}x${v.cols} with ${v.data.length} values, ` +
        `mean has ${mean.length}; expected s [C], v [D, C], mean [D].`,
    );
  }
  return encodeNDArrayFile({
    arrays: [
      float32Array([s.length], s),
      float32Array([v.rows, v.cols], v.data),
      float32Array([1, mean.length], mean),
    ],
    names: ["s", "v", "mean"],
  });
}

/**
 * Decodes a PCA `model_algo-1`. Names may come in any order; `mean` may be [1, D] (SageMaker) or [D].
 * @throws StrataError FORMAT_ERROR for malformed bytes; ARTIFACT_INVALID when the arrays are not s, v, mean
 *   of float32 with shapes [C], [D, C], [1, D].
 * @example
 * const { s, v, mean } = decodePCAArtifactFile(await readModelAlgoFile(tarGz));
 */
export function decodePCAArtifactFile(bytes: Uint8Array): PCAArtifactArrays {
  const file = decodeNDArrayFile(bytes);
  const names = file.names ?? [];
  const sorted = [...names].sort().join(",");
  if (sorted !== "mean,s,v")
    throw invalid(`PCA model_algo-1 has ${describe(file)}; expected s, v, mean.`, file);
  const get = (name: string) => file.arrays[names.indexOf(name)]!;
  const [s, v, mean] = [get("s"), get("v"), get("mean")];
  for (const [name, a] of [
    ["s", s],
    ["v", v],
    ["mean", mean],
  ] as const) {
    if (a.dtype !== "float32") throw invalid(`PCA array ${name} is ${a.dtype}; expected float32.`, file);
  }
  const c = s.shape[0];
  const d = v.shape[0];
  const meanOk =
    mean.shape.length === 1 ? mean.shape[0] === d : mean.shape.length === 2 && mean.shape[0] === 1;
  if (s.shape.length !== 1 || v.shape.length !== 2 || v.shape[1] !== c || !meanOk || mean.data.length !== d) {
    throw invalid(
      `PCA arrays have shapes s [${s.shape.join(", ")}], v [${v.shape.join(", ")}], mean [${mean.shape.join(", ")}]; ` +
        "expected s [C], v [D, C], mean [1, D].",
      file,
    );
  }
  return {
    s: s.data as Float32Array,
    v: { rows: d!, cols: c!, data: v.data as Float32Array },
    mean: mean.data as Float32Array,
  };
}

/**
 * Encodes K-Means centroids as SageMaker's `model_algo-1`: a list (no names) of one float32 [k, D] array.
 * @param centroids k x D row-major (narrowed to float32).
 * @example
 * const bytes = encodeKMeansArtifactFile({ rows: 8, cols: 7, data: centers });
 */
export function encodeKMeansArtifactFile(centroids: {
  rows: number;
  cols: number;
  data: ArrayLike<number>;
}): Uint8Array {
  if (centroids.data.length !== centroids.rows * centroids.cols) {
    throw new StrataError(
      "INVALID_ARGUMENT",
      `Centroids ${centroids.rows}x${centroids.cols} need ${centroids.rows * centroids.cols} values; got ${centroids.data.length}.`,
    );
  }
  return encodeNDArrayFile({
    arrays: [float32Array([centroids.rows, centroids.cols], centroids.data)],
    names: null,
  });
}

/**
 * Decodes a K-Means `model_algo-1`.
 * @throws StrataError FORMAT_ERROR for malformed bytes; ARTIFACT_INVALID unless it is a list of exactly one
 *   2-D float32 array.
 * @example
 * const { k, dim, centroids } = decodeKMeansArtifactFile(modelAlgo1);
 */
export function decodeKMeansArtifactFile(bytes: Uint8Array): KMeansArtifactArrays {
  const file = decodeNDArrayFile(bytes);
  const a = file.arrays[0];
  if (file.names !== null || file.arrays.length !== 1 || a === undefined) {
    throw invalid(`K-Means model_algo-1 has ${describe(file)}; expected a list of one [k, D] array.`, file);
  }
  if (a.dtype !== "float32" || a.shape.length !== 2) {
    throw invalid(`K-Means centroids are ${a.dtype}[${a.shape.join(", ")}]; expected float32 [k, D].`, file);
  }
  return { k: a.shape[0]!, dim: a.shape[1]!, centroids: a.data as Float32Array };
}
