/**
 * Thin QR factorisation by Householder reflections (Golub & Van Loan, "Matrix Computations", 4th ed., §5.2),
 * for a few long vectors: k vectors of length d (k ≤ d) given as the rows of a k×d matrix, as randomized PCA
 * keeps its sketch and its subspace bases (each row a direction in feature space). Reflections keep Q
 * orthonormal to working precision even when the vectors are nearly or exactly dependent — where Gram–Schmidt
 * loses orthogonality or divides by zero — because Q is a product of reflections, never a quotient by a norm;
 * a dependent vector gets R's diagonal entry 0 and Q still an orthonormal direction that completes the basis.
 * O(k²·d) time, O(k·d) memory; row-major storage keeps every reflection a contiguous loop.
 * @module
 */
import { StrataError } from "../errors.js";
import { type Matrix, matrix } from "./matrix.js";

/** Result of {@link householderQR}, for A = the input's transpose (d×k): A = Q·R. */
export interface ThinQR {
  /** k×d: row i is the i-th orthonormal column of Q (rows mutually orthonormal). */
  readonly q: Matrix;
  /** k×k upper triangular: vector j = Σ_{i ≤ j} r[i][j] · q row i. */
  readonly r: Matrix;
}

/**
 * Factorises the k vectors in the rows of `vectors` (k×d, k ≤ d): their span's orthonormal basis `q` (rows)
 * and the triangular coefficients `r`. The input is not modified.
 * @throws INTERNAL when k > d or a value is not finite (callers pass sums of finite data).
 * @example
 * const { q, r } = householderQR(fromRows([[3, 4, 0], [1, 0, 0]])); // q rows orthonormal, r 2×2
 */
export function householderQR(vectors: Matrix): ThinQR {
  const { rows: k, cols: d } = vectors;
  if (k > d) throw new StrataError("INTERNAL", `householderQR needs k ≤ d; got ${k} vectors of length ${d}.`);
  if (!vectors.data.every(Number.isFinite))
    throw new StrataError("INTERNAL", "householderQR: the vectors hold a non-finite value.");
  const a = Float64Array.from(vectors.data); // reflected in place: row c is column c of A
  const reflectors = new Float64Array(k * d); // row j holds v_j in entries j..d−1
  const betas = new Float64Array(k);
  const r = matrix(k, k);
  for (let j = 0; j < k; j++) {
    const base = j * d;
    let norm = 0;
    for (let t = j; t < d; t++) norm += a[base + t]! ** 2;
    norm = Math.sqrt(norm);
    if (norm > 0) {
      // Reflect x onto ∓‖x‖·e_j with the sign that avoids cancellation in v = x − alpha·e_j.
      const alpha = a[base + j]! >= 0 ? -norm : norm;
      let vv = 0;
      for (let t = j; t < d; t++) {
        const v = t === j ? a[base + t]! - alpha : a[base + t]!;
        reflectors[base + t] = v;
        vv += v * v;
      }
      betas[j] = vv > 0 ? 2 / vv : 0;
      for (let c = j; c < k; c++) reflect(a, c * d, reflectors, base, j, d, betas[j]!);
    }
    for (let c = j; c < k; c++) r.data[j * k + c] = a[c * d + j]!;
  }
  // Q's column c = H_0 H_1 … H_{k−1} e_c: apply the reflections to e_c in reverse order.
  const q = matrix(k, d);
  for (let c = 0; c < k; c++) {
    q.data[c * d + c] = 1;
    for (let j = k - 1; j >= 0; j--)
      if (betas[j]! > 0) reflect(q.data, c * d, reflectors, j * d, j, d, betas[j]!);
  }
  return { q, r };
}

/** y[from..d) ← y − beta·(v·y)·v over entries from..d−1 (y at `yAt`, v at `vAt`). */
function reflect(
  y: Float64Array,
  yAt: number,
  v: Float64Array,
  vAt: number,
  from: number,
  d: number,
  beta: number,
): void {
  let s = 0;
  for (let t = from; t < d; t++) s += v[vAt + t]! * y[yAt + t]!;
  s *= beta;
  if (s === 0) return;
  for (let t = from; t < d; t++) y[yAt + t] = y[yAt + t]! - s * v[vAt + t]!;
}
