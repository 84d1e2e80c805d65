/**
 * What `mx.ndarray.load` would give for a model artifact, as plain data: for each NDArray file in a
 * model.tar.gz (or a bare `model_algo-1`), whether it loads as a list (no names) or a dict (one name per
 * array), and each array's name, shape, dtype and values (nested by shape, like `asnumpy().tolist()`).
 * Other archive entries are listed with their size. Any URI the ObjectStore reads works.
 * @module
 */
import { resolveStore } from "../data/sources/resolve.js";
import { isStrataError, StrataError } from "../errors.js";
import { decodeNDArrayFile, type NDArray } from "../formats/ndarray.js";
import { unpackTarGz } from "../formats/tarball.js";

/** Nested arrays of numbers (int64/uint64 become numbers, exact up to 2^53). */
export type NestedValues = number | NestedValues[];

export interface InspectedArray {
  readonly name: string | null;
  readonly shape: readonly number[];
  readonly dtype: string;
  readonly values: NestedValues;
}

export interface InspectedEntry {
  readonly name: string;
  readonly size: number;
  /** "list" / "dict" as mx.nd.load returns them; "other" for files that are not NDArray files. */
  readonly type: "list" | "dict" | "other";
  readonly arrays: readonly InspectedArray[];
  /** Why an entry is "other" (its decode error), when it looked like it might be an NDArray file. */
  readonly note?: string;
}

export interface InspectedArtifact {
  readonly source: string;
  readonly format: "model.tar.gz" | "ndarray";
  readonly entries: readonly InspectedEntry[];
}

function nest(array: NDArray): NestedValues {
  const flat = Array.from(array.data as ArrayLike<number | bigint>, (v) => Number(v));
  if (array.shape.length === 0) return flat[0] ?? [];
  const build = (dim: number, offset: number): NestedValues[] | number[] => {
    const size = array.shape[dim]!;
    if (dim === array.shape.length - 1) return flat.slice(offset, offset + size);
    const stride = array.shape.slice(dim + 1).reduce((a, b) => a * b, 1);
    return Array.from({ length: size }, (_, i) => build(dim + 1, offset + i * stride));
  };
  return build(0, 0);
}

function inspectFile(name: string, bytes: Uint8Array): InspectedEntry {
  try {
    const file = decodeNDArrayFile(bytes);
    return {
      name,
      size: bytes.length,
      type: file.names === null ? "list" : "dict",
      arrays: file.arrays.map((a, i) => ({
        name: file.names?.[i] ?? null,
        shape: [...a.shape],
        dtype: a.dtype,
        values: nest(a),
      })),
    };
  } catch (error) {
    if (!isStrataError(error, "FORMAT_ERROR")) throw error;
    return {
      name,
      size: bytes.length,
      type: "other",
      arrays: [],
      ...(name.startsWith("model_") ? { note: error.message } : {}),
    };
  }
}

/**
 * Reads and decodes an artifact.
 * @throws StrataError the store's errors (SOURCE_NOT_FOUND…), FORMAT_ERROR for a corrupt archive,
 *   ARTIFACT_INVALID for a bare file that is not an NDArray file
 * @example
 * const { entries } = await inspectArtifact("s3://bucket/counties/pca-…/output/model.tar.gz");
 * entries[0].type; // "dict"
 */
export async function inspectArtifact(uri: string): Promise<InspectedArtifact> {
  const bytes = await resolveStore(uri).getBytes(uri);
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) {
    const entries = await unpackTarGz(bytes);
    return { source: uri, format: "model.tar.gz", entries: entries.map((e) => inspectFile(e.name, e.bytes)) };
  }
  const name = uri.slice(uri.lastIndexOf("/") + 1);
  try {
    decodeNDArrayFile(bytes);
  } catch (cause) {
    if (!isStrataError(cause, "FORMAT_ERROR")) throw cause;
    throw new StrataError(
      "ARTIFACT_INVALID",
      `${uri} is neither a model.tar.gz (gzip) nor an MXNet NDArray file such as model_algo-1 (${cause.message})`,
      { details: { uri }, cause },
    );
  }
  return { source: uri, format: "ndarray", entries: [inspectFile(name, bytes)] };
}
