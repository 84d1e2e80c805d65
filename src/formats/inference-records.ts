/**
 * The protobuf inference responses of SageMaker PCA and K-Means (spec §4.4, §4.5): one RecordIO-framed
 * Record per input row, empty `features`, and float32 label tensors: `label["projection"]` (C values) for
 * PCA; `label["closest_cluster"]` and `label["distance_to_cluster"]` (one value each) for K-Means. Encoders
 * use the fixed-layout fast path of dense-rows.ts; decoders do not depend on the order of map entries.
 * @module
 */
import { StrataError } from "../errors.js";
import { type Matrix, matrix } from "../linalg/matrix.js";
import { formatError } from "./byte-reader.js";
import { decodeRecord } from "./record-protobuf.js";
import { iterateRecordIO } from "./recordio.js";
import { denseValues, encodeTensorRows } from "./tensor-rows.js";

/** K-Means answers per row: the 0-based centroid index (a float on the wire) and the Euclidean distance. */
export interface KMeansPredictions {
  readonly closestCluster: Float64Array;
  readonly distanceToCluster: Float64Array;
}

/**
 * Encodes PCA projections (rows x C) as SageMaker's protobuf response.
 * @example
 * const body = encodePCAProjections(model.transform(x));
 */
export function encodePCAProjections(projections: Matrix): Uint8Array {
  const { rows, cols, data } = projections;
  return encodeTensorRows(rows, [
    { map: "label", key: "projection", dtype: "float32", count: cols, data, stride: cols },
  ]);
}

/**
 * Decodes a PCA protobuf response into a rows x C matrix.
 * @throws StrataError FORMAT_ERROR for malformed bytes, a record without a dense `projection` label, or
 *   records of different lengths.
 * @example
 * const projections = decodePCAProjections(body);
 */
export function decodePCAProjections(bytes: Uint8Array): Matrix {
  const rows: ArrayLike<number>[] = [];
  let width = -1;
  for (const payload of iterateRecordIO(bytes)) {
    const values = denseValues(
      decodeRecord(payload).label.get("projection"),
      'label["projection"]',
      rows.length,
    );
    if (width >= 0 && values.length !== width) {
      throw formatError(
        "Record protobuf",
        0,
        `record ${rows.length} has ${values.length} projection values; record 0 has ${width}.`,
      );
    }
    width = values.length;
    rows.push(values);
  }
  const out = matrix(rows.length, Math.max(width, 0));
  for (const [i, r] of rows.entries()) out.data.set(r, i * out.cols);
  return out;
}

/**
 * Encodes K-Means predictions as SageMaker's protobuf response (closest_cluster first, then
 * distance_to_cluster, each a float32 tensor of one value).
 * @throws StrataError INVALID_ARGUMENT when the two arrays differ in length.
 * @example
 * const body = encodeKMeansPredictions({ closestCluster: [3], distanceToCluster: [0.27046188712120056] });
 */
export function encodeKMeansPredictions(predictions: {
  closestCluster: ArrayLike<number>;
  distanceToCluster: ArrayLike<number>;
}): Uint8Array {
  const { closestCluster, distanceToCluster } = predictions;
  const n = closestCluster.length;
  if (distanceToCluster.length !== n) {
    throw new StrataError(
      "INVALID_ARGUMENT",
      `${n} clusters but ${distanceToCluster.length} distances; expected one each per row.`,
    );
  }
  return encodeTensorRows(n, [
    { map: "label", key: "closest_cluster", dtype: "float32", count: 1, data: closestCluster, stride: 1 },
    {
      map: "label",
      key: "distance_to_cluster",
      dtype: "float32",
      count: 1,
      data: distanceToCluster,
      stride: 1,
    },
  ]);
}

/**
 * Decodes a K-Means protobuf response.
 * @throws StrataError FORMAT_ERROR for malformed bytes or a record missing either label or holding other
 *   than one value in it.
 * @example
 * const { closestCluster, distanceToCluster } = decodeKMeansPredictions(body);
 */
export function decodeKMeansPredictions(bytes: Uint8Array): KMeansPredictions {
  const clusters: number[] = [];
  const distances: number[] = [];
  for (const payload of iterateRecordIO(bytes)) {
    const { label } = decodeRecord(payload);
    const index = clusters.length;
    const one = (key: string): number => {
      const values = denseValues(label.get(key), `label["${key}"]`, index);
      if (values.length !== 1)
        throw formatError(
          "Record protobuf",
          0,
          `record ${index} has ${values.length} ${key} values; expected 1.`,
        );
      return values[0]!;
    };
    clusters.push(one("closest_cluster"));
    distances.push(one("distance_to_cluster"));
  }
  return { closestCluster: Float64Array.from(clusters), distanceToCluster: Float64Array.from(distances) };
}
