/**
 * Moving matrices into SharedArrayBuffers so pool workers (pool.ts) read them in place. A matrix already
 * backed by shared memory — the loader and `matrix()` allocate large ones that way — is used as it is; any
 * other is copied once, and the copy is remembered per source array, so the Lloyd iterations and restarts of
 * one fit (or a PCA after a K-Means on the same data) never copy twice.
 * @module
 */
import { type Matrix, matrix } from "../linalg/matrix.js";

const copies = new WeakMap<Float64Array, Float64Array>();

/** True when `a` lives in a SharedArrayBuffer (workers can read it without a copy). */
export function isShared(a: ArrayBufferView): boolean {
  return typeof SharedArrayBuffer !== "undefined" && a.buffer instanceof SharedArrayBuffer;
}

/** A zero-filled Float64Array of `length` in shared memory. */
export function sharedFloat64(length: number): Float64Array {
  return new Float64Array(new SharedArrayBuffer(length * Float64Array.BYTES_PER_ELEMENT));
}

/** A zero-filled Float32Array of `length` in shared memory. */
export function sharedFloat32(length: number): Float32Array {
  return new Float32Array(new SharedArrayBuffer(length * Float32Array.BYTES_PER_ELEMENT));
}

/** A zero-filled Int32Array of `length` in shared memory. */
export function sharedInt32(length: number): Int32Array {
  return new Int32Array(new SharedArrayBuffer(length * Int32Array.BYTES_PER_ELEMENT));
}

/**
 * The same matrix over shared memory: `m` itself when it already is, else a (cached) copy. The caller must
 * not mutate `m` afterwards (Strata never mutates inputs), or the cached copy goes stale.
 * @example
 * const x = toShared(scaled); // x.data.buffer is a SharedArrayBuffer
 */
export function toShared(m: Matrix): Matrix {
  if (isShared(m.data)) return m;
  let copy = copies.get(m.data);
  if (copy === undefined) {
    copy = sharedFloat64(m.data.length);
    copy.set(m.data);
    copies.set(m.data, copy);
  }
  return matrix(m.rows, m.cols, copy);
}
