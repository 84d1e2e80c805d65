/**
 * Eigen-decomposition of a real symmetric d×d matrix: Householder reduction to tridiagonal form followed by
 * the implicit QL algorithm with Wilkinson-style shifts. This is a direct port of `tred2` and `tql2` from
 * EISPACK (Smith et al., "Matrix Eigensystem Routines – EISPACK Guide", 1976; after Bowdler, Martin, Reinsch
 * & Wilkinson, Handbook for Automatic Computation vol. II, 1971) as published in JAMA's
 * `EigenvalueDecomposition` (public domain, NIST/MathWorks). Orthogonal transformations only, so the
 * eigenvectors come out orthonormal to a few ulps·d, also for repeated eigenvalues. O(d³) time, O(d²) memory.
 * @module
 */
import { StrataError } from "../errors.js";
import { type Matrix, matrix } from "./matrix.js";

/** Result of {@link symmetricEigen}. */
export interface SymmetricEigenResult {
  /** Eigenvalues in ascending order (as LAPACK `dsyevd` / numpy `eigh`), length d. */
  readonly values: Float64Array;
  /** d×d; column j is the unit eigenvector for `values[j]` (columns are mutually orthonormal). */
  readonly vectors: Matrix;
}

/** QL sweeps allowed per eigenvalue before giving up (convergence is typically 1–3 sweeps). */
const MAX_SWEEPS = 60;

/**
 * Eigenvalues (ascending) and orthonormal eigenvectors of the symmetric matrix `a`. Only the lower triangle
 * is read; `a` is not modified. d = 0 and d = 1 are handled; a zero matrix gives zero eigenvalues and the
 * identity as eigenvectors.
 * @throws INTERNAL when `a` is not square, holds a non-finite value, or QL fails to converge.
 * @example
 * const { values, vectors } = symmetricEigen(fromRows([[2, 1], [1, 2]])); // values [1, 3]
 */
export function symmetricEigen(a: Matrix): SymmetricEigenResult {
  const n = a.rows;
  if (a.cols !== n)
    throw new StrataError("INTERNAL", `symmetricEigen needs a square matrix; got ${n}x${a.cols}.`);
  for (let k = 0; k < a.data.length; k++) {
    if (!Number.isFinite(a.data[k]!)) {
      throw new StrataError(
        "INTERNAL",
        `symmetricEigen: entry ${k} is ${a.data[k]}; expected a finite number.`,
      );
    }
  }
  const v = Float64Array.from(a.data);
  const d = new Float64Array(n);
  const e = new Float64Array(n);
  if (n > 0) {
    tred2(n, v, d, e);
    tql2(n, v, d, e);
  }
  return { values: d, vectors: matrix(n, n, v) };
}

/** Householder tridiagonalisation (EISPACK tred2). On exit d = diagonal, e = subdiagonal, V = transform. */
function tred2(n: number, V: Float64Array, d: Float64Array, e: Float64Array): void {
  for (let j = 0; j < n; j++) d[j] = V[(n - 1) * n + j]!;
  for (let i = n - 1; i > 0; i--) {
    let scale = 0;
    let h = 0;
    for (let k = 0; k < i; k++) scale += Math.abs(d[k]!);
    if (scale === 0) {
      e[i] = d[i - 1]!;
      for (let j = 0; j < i; j++) {
        d[j] = V[(i - 1) * n + j]!;
        V[i * n + j] = 0;
        V[j * n + i] = 0;
      }
    } else {
      for (let k = 0; k < i; k++) {
        d[k] = d[k]! / scale;
        h += d[k]! * d[k]!;
      }
      let f = d[i - 1]!;
      let g = Math.sqrt(h);
      if (f > 0) g = -g;
      e[i] = scale * g;
      h -= f * g;
      d[i - 1] = f - g;
      for (let j = 0; j < i; j++) e[j] = 0;
      for (let j = 0; j < i; j++) {
        f = d[j]!;
        V[j * n + i] = f;
        e[j] = productColumn(V, n, j, i, d, e, f, e[j]! + V[j * n + j]! * f);
      }
      f = 0;
      for (let j = 0; j < i; j++) {
        e[j] = e[j]! / h;
        f += e[j]! * d[j]!;
      }
      const hh = f / (h + h);
      for (let j = 0; j < i; j++) e[j] = e[j]! - hh * d[j]!;
      for (let j = 0; j < i; j++) {
        f = d[j]!;
        g = e[j]!;
        reduceColumn(V, n, j, i, d, e, f, g);
        d[j] = V[(i - 1) * n + j]!;
        V[i * n + j] = 0;
      }
    }
    d[i] = h;
  }
  // Accumulate the transformations.
  for (let i = 0; i < n - 1; i++) {
    V[(n - 1) * n + i] = V[i * n + i]!;
    V[i * n + i] = 1;
    const h = d[i + 1]!;
    if (h !== 0) {
      for (let k = 0; k <= i; k++) d[k] = V[k * n + i + 1]! / h;
      for (let j = 0; j <= i; j++) accumulateColumn(V, n, i, j, d);
    }
    for (let k = 0; k <= i; k++) V[k * n + i + 1] = 0;
  }
  for (let j = 0; j < n; j++) {
    d[j] = V[(n - 1) * n + j]!;
    V[(n - 1) * n + j] = 0;
  }
  V[(n - 1) * n + (n - 1)] = 1;
  e[0] = 0;
}

/** Implicit QL on the tridiagonal (d, e), accumulating rotations into V (EISPACK tql2), then sorting. */
function tql2(n: number, V: Float64Array, d: Float64Array, e: Float64Array): void {
  for (let i = 1; i < n; i++) e[i - 1] = e[i]!;
  e[n - 1] = 0;
  let f = 0;
  let tst1 = 0;
  const eps = 2 ** -52;
  for (let l = 0; l < n; l++) {
    tst1 = Math.max(tst1, Math.abs(d[l]!) + Math.abs(e[l]!));
    let m = l;
    while (m < n - 1 && Math.abs(e[m]!) > eps * tst1) m++;
    if (m > l) {
      let sweeps = 0;
      do {
        if (++sweeps > MAX_SWEEPS) {
          throw new StrataError(
            "INTERNAL",
            `symmetricEigen: QL did not converge for eigenvalue ${l} of ${n}.`,
          );
        }
        let g = d[l]!;
        let p = (d[l + 1]! - g) / (2 * e[l]!);
        let r = Math.hypot(p, 1);
        if (p < 0) r = -r;
        d[l] = e[l]! / (p + r);
        d[l + 1] = e[l]! * (p + r);
        const dl1 = d[l + 1]!;
        let h = g - d[l]!;
        for (let i = l + 2; i < n; i++) d[i] = d[i]! - h;
        f += h;
        p = d[m]!;
        let c = 1;
        let c2 = c;
        let c3 = c;
        const el1 = e[l + 1]!;
        let s = 0;
        let s2 = 0;
        for (let i = m - 1; i >= l; i--) {
          c3 = c2;
          c2 = c;
          s2 = s;
          g = c * e[i]!;
          h = c * p;
          r = Math.hypot(p, e[i]!);
          e[i + 1] = s * r;
          s = e[i]! / r;
          c = p / r;
          p = c * d[i]! - s * g;
          d[i + 1] = h + s * (c * g + s * d[i]!);
          rotateColumns(V, n, i, c, s);
        }
        p = (-s * s2 * c3 * el1 * e[l]!) / dl1;
        e[l] = s * p;
        d[l] = c * p;
      } while (Math.abs(e[l]!) > eps * tst1);
    }
    d[l] = d[l]! + f;
    e[l] = 0;
  }
  sortAscending(n, V, d);
}

// The innermost loops of tred2 and tql2 are functions of their own, each called O(n²) times: V8 optimises a
// function after its first calls, where the loops inside tred2 and tql2, which run once, stayed interpreted and
// boxed a double per operation (7.8 MB of garbage for the census' 34 × 34). Same operations, same order.

/** tred2's column j of A·u: returns g + Σ V[k][j]·d[k] for k in (j, i), and adds V[k][j]·f to e[k] there. */
function productColumn(
  V: Float64Array,
  n: number,
  j: number,
  i: number,
  d: Float64Array,
  e: Float64Array,
  f: number,
  g: number,
): number {
  for (let k = j + 1; k <= i - 1; k++) {
    g += V[k * n + j]! * d[k]!;
    e[k] = e[k]! + V[k * n + j]! * f;
  }
  return g;
}

/** tred2's rank-two update of column j: V[k][j] -= f·e[k] + g·d[k] for k in [j, i). */
function reduceColumn(
  V: Float64Array,
  n: number,
  j: number,
  i: number,
  d: Float64Array,
  e: Float64Array,
  f: number,
  g: number,
): void {
  for (let k = j; k <= i - 1; k++) V[k * n + j] = V[k * n + j]! - (f * e[k]! + g * d[k]!);
}

/** tred2's accumulation into column j: V[k][j] -= (Σ V[k][i+1]·V[k][j]) · d[k] for k in [0, i]. */
function accumulateColumn(V: Float64Array, n: number, i: number, j: number, d: Float64Array): void {
  let g = 0;
  for (let k = 0; k <= i; k++) g += V[k * n + i + 1]! * V[k * n + j]!;
  for (let k = 0; k <= i; k++) V[k * n + j] = V[k * n + j]! - g * d[k]!;
}

/** tql2's plane rotation (c, s) of columns i and i + 1 of V. */
function rotateColumns(V: Float64Array, n: number, i: number, c: number, s: number): void {
  for (let k = 0; k < n; k++) {
    const row = k * n;
    const h = V[row + i + 1]!;
    V[row + i + 1] = s * V[row + i]! + c * h;
    V[row + i] = c * V[row + i]! - s * h;
  }
}

/** Selection sort of the eigenvalues into ascending order, swapping eigenvector columns along (as JAMA). */
function sortAscending(n: number, V: Float64Array, d: Float64Array): void {
  for (let i = 0; i < n - 1; i++) {
    let k = i;
    let p = d[i]!;
    for (let j = i + 1; j < n; j++) {
      if (d[j]! < p) {
        k = j;
        p = d[j]!;
      }
    }
    if (k !== i) {
      d[k] = d[i]!;
      d[i] = p;
      for (let j = 0; j < n; j++) {
        const t = V[j * n + i]!;
        V[j * n + i] = V[j * n + k]!;
        V[j * n + k] = t;
      }
    }
  }
}
