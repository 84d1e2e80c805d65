/**
 * Cluster-quality metrics. SageMaker's own: msd and ssd (mean and sum of squared distances to the closest
 * centroid, spec §2.3). For choosing k: the silhouette coefficient (Rousseeuw 1987) and the Davies–Bouldin
 * index (Davies & Bouldin 1979), defined as scikit-learn's `silhouette_score` and `davies_bouldin_score`
 * (labels are compacted, singleton clusters score 0, a zero centroid distance counts as infinite). Distances
 * are exact Euclidean from direct differences. The silhouette is exact O(n²·d) with one pass over each pair
 * of rows; 3,218 rows take a few tens of milliseconds. Pass `sampleSize` for larger n.
 * @module
 */
import { StrataError } from "../errors.js";
import { squaredDistance } from "../linalg/kernels.js";
import { type Matrix, matrix } from "../linalg/matrix.js";
import { createRng } from "../linalg/rng.js";
import { WASM_PAIR_SUMS_MAX_D, wasmSilhouetteTotal } from "./wasm-pair-sums.js";

/** Cluster labels, one per row (any integers; only equality matters). */
export type Labels = Int32Array | readonly number[];

/** Options of {@link silhouetteScore}. */
export interface SilhouetteOptions {
  /** Score a random subset of this many rows (distances among them only), like scikit-learn's `sample_size`. */
  readonly sampleSize?: number;
  /** Seed of the subset (default 0). */
  readonly seed?: number;
  /**
   * Make the subset hold a row of every label (a small cluster the draw missed would leave the score
   * undefined, or worse one label): the workflow's choice; scikit-learn's sample is plain.
   */
  readonly everyLabel?: boolean;
}

/** Maps labels to 0..m-1 in order of first appearance; checks the count against the rows. */
function compact(x: Matrix, labels: Labels, what: string): { ids: Int32Array; m: number } {
  if (labels.length !== x.rows) {
    throw new StrataError("INVALID_ARGUMENT", `${what} got ${labels.length} labels for ${x.rows} rows.`, {
      details: { labels: labels.length, rows: x.rows },
    });
  }
  const map = new Map<number, number>();
  const ids = new Int32Array(labels.length);
  for (let i = 0; i < labels.length; i++) {
    const l = labels[i]!;
    let id = map.get(l);
    if (id === undefined) {
      id = map.size;
      map.set(l, id);
    }
    ids[i] = id;
  }
  const m = map.size;
  if (m < 2 || m > x.rows - 1) {
    throw new StrataError(
      "INVALID_ARGUMENT",
      `${what} needs from 2 to ${x.rows - 1} distinct labels (n − 1); got ${m}.`,
      { details: { distinctLabels: m, rows: x.rows } },
    );
  }
  return { ids, m };
}

/**
 * The mean silhouette coefficient s = (b − a) / max(a, b) over rows, where a is the mean distance to the
 * other rows of the same cluster and b the lowest mean distance to the rows of another cluster.
 *
 * @param x n × d rows
 * @param labels n cluster labels (2 to n − 1 distinct values)
 * @throws StrataError INVALID_ARGUMENT (label count, or sampleSize outside 2..n)
 * @example
 * const s = silhouetteScore(x, model.predict(x).closestCluster);
 */
export function silhouetteScore(x: Matrix, labels: Labels, options: SilhouetteOptions = {}): number {
  if (options.sampleSize === undefined) return silhouetteExact(x, labels);
  const { sampleSize, seed = 0 } = options;
  if (!Number.isInteger(sampleSize) || sampleSize < 2 || sampleSize > x.rows) {
    throw new StrataError(
      "INVALID_ARGUMENT",
      `sampleSize=${sampleSize} is invalid: expected an integer from 2 to ${x.rows}.`,
      {
        details: { sampleSize, rows: x.rows },
      },
    );
  }
  const rng = createRng(seed);
  const perm = Int32Array.from({ length: x.rows }, (_, i) => i);
  for (let i = 0; i < sampleSize; i++) {
    const j = i + rng.nextInt(x.rows - i);
    [perm[i], perm[j]] = [perm[j]!, perm[i]!];
  }
  if (options.everyLabel === true) coverLabels(perm, sampleSize, labels);
  const picked = perm.slice(0, sampleSize).sort();
  const d = x.cols;
  const sub = matrix(sampleSize, d);
  const subLabels = new Int32Array(sampleSize);
  picked.forEach((r, i) => {
    sub.data.set(x.data.subarray(r * d, (r + 1) * d), i * d);
    subLabels[i] = labels[r]!;
  });
  return silhouetteExact(sub, subLabels);
}

/**
 * Makes the first `size` rows of `perm` hold at least one row of every label: a label the seeded draw missed
 * takes the place of the last drawn row of the most drawn label (deterministic, so the sample still repeats).
 */
function coverLabels(perm: Int32Array, size: number, labels: Labels): void {
  const drawn = new Map<number, number[]>();
  for (let i = 0; i < size; i++) {
    const l = labels[perm[i]!]!;
    drawn.set(l, [...(drawn.get(l) ?? []), i]);
  }
  for (let i = size; i < perm.length; i++) {
    const l = labels[perm[i]!]!;
    if (drawn.has(l)) continue;
    let most: number[] | undefined;
    for (const slots of drawn.values()) if (most === undefined || slots.length > most.length) most = slots;
    if (most === undefined || most.length < 2) return;
    const slot = most.pop()!;
    [perm[slot], perm[i]] = [perm[i]!, perm[slot]!];
    drawn.set(l, [slot]);
  }
}

function silhouetteExact(x: Matrix, labels: Labels): number {
  const { ids, m } = compact(x, labels, "silhouetteScore");
  const { rows: n, cols: d, data: X } = x;
  // The rows in cluster order (a counting sort), so each row's distances to one cluster are a contiguous run.
  const starts = new Int32Array(m + 1);
  for (let i = 0; i < n; i++) starts[ids[i]! + 1]!++;
  for (let c = 0; c < m; c++) starts[c + 1]! += starts[c]!;
  const order = new Int32Array(n);
  const next = starts.slice(0, m);
  for (let i = 0; i < n; i++) order[next[ids[i]!]!++] = i;
  const total = (d <= WASM_PAIR_SUMS_MAX_D ? wasmSilhouetteTotal : silhouetteTotal)(
    X,
    order,
    n,
    d,
    starts,
    m,
  );
  return total / n;
}

/**
 * Σ over the rows of their silhouette coefficients, for rows `X` (n × d) whose cluster order is `order` (the row
 * at each position; cluster c is positions starts[c]..starts[c + 1]): the rows arranged, `pairSums`, then per
 * row (b − a) / max(a, b), clusters and rows in order. This runs for rows wider than WASM_PAIR_SUMS_MAX_D and is
 * the reference wasm-pair-sums.ts' `wasmSilhouetteTotal` is held to, bit for bit.
 */
export function silhouetteTotal(
  X: Float64Array,
  order: Int32Array,
  n: number,
  d: number,
  starts: Int32Array,
  m: number,
): number {
  const Y = new Float64Array(n * d);
  for (let r = 0; r < n; r++) Y.set(X.subarray(order[r]! * d, (order[r]! + 1) * d), r * d);
  // sums[r * m + c] = Σ distance from row r (in cluster order) to the rows of cluster c.
  const sums = new Float64Array(n * m);
  pairSums(Y, n, d, starts, m, sums);
  let total = 0;
  for (let c = 0; c < m; c++) {
    const size = starts[c + 1]! - starts[c]!;
    if (size <= 1) continue; // singleton: s = 0
    for (let r = starts[c]!; r < starts[c + 1]!; r++) {
      const a = sums[r * m + c]! / (size - 1);
      let b = Number.POSITIVE_INFINITY;
      for (let o = 0; o < m; o++) {
        if (o !== c) b = Math.min(b, sums[r * m + o]! / (starts[o + 1]! - starts[o]!));
      }
      const denom = Math.max(a, b);
      if (denom > 0) total += (b - a) / denom;
    }
  }
  return total;
}

/**
 * Fills `sums` (zeros, n × m) with each row's sum of distances to the rows of each cluster, for rows `Y` (n × d)
 * in cluster order (cluster c is rows starts[c]..starts[c + 1]). Each pair (i, j > i) is visited once: its
 * distance goes to a running sum for (i, cluster of j), over the contiguous run of j's cluster, and to col[j],
 * the sum for (j, cluster of i), added in once per cluster of i. A run's distances are summed in two
 * interleaved running sums, added at its end: the order of wasm-pair-sums.ts' lanes.
 */
export function pairSums(
  Y: Float64Array,
  n: number,
  d: number,
  starts: Int32Array,
  m: number,
  sums: Float64Array,
): void {
  const col = new Float64Array(n);
  for (let a = 0; a < m; a++) {
    const aEnd = starts[a + 1]!;
    for (let i = starts[a]!; i < aEnd; i++) {
      const si = i * m;
      let j = i + 1;
      for (let b = a; b < m; b++) {
        const end = starts[b + 1]!;
        // Two running sums, of rows j, j + 2, … and j + 1, j + 3, …, then the odd row left: the order of
        // wasm-pair-sums.ts' 128-bit lanes.
        let even = 0;
        let odd = 0;
        for (; j + 1 < end; j += 2) {
          const d0 = Math.sqrt(squaredDistance(Y, i * d, Y, j * d, d));
          const d1 = Math.sqrt(squaredDistance(Y, i * d, Y, (j + 1) * d, d));
          even += d0;
          odd += d1;
          col[j]! += d0;
          col[j + 1]! += d1;
        }
        let acc = even + odd;
        if (j < end) {
          const dist = Math.sqrt(squaredDistance(Y, i * d, Y, j * d, d));
          acc += dist;
          col[j]! += dist;
          j++;
        }
        sums[si + b]! += acc;
      }
    }
    for (let j = starts[a]!; j < n; j++) {
      sums[j * m + a]! += col[j]!;
      col[j] = 0;
    }
  }
}

/**
 * The Davies–Bouldin index: the mean over clusters of max_{j≠i} (S_i + S_j) / ‖c_i − c_j‖, where c is a
 * cluster's mean and S its mean distance to it. Lower is better; 0 when all S or all centroid distances are 0.
 *
 * @throws StrataError INVALID_ARGUMENT (label count)
 * @example
 * const db = daviesBouldinScore(x, labels);
 */
export function daviesBouldinScore(x: Matrix, labels: Labels): number {
  const { ids, m } = compact(x, labels, "daviesBouldinScore");
  const { rows: n, cols: d, data: X } = x;
  const centroids = new Float64Array(m * d);
  const sizes = new Float64Array(m);
  for (let i = 0; i < n; i++) {
    const c = ids[i]!;
    sizes[c]!++;
    for (let t = 0; t < d; t++) centroids[c * d + t]! += X[i * d + t]!;
  }
  for (let c = 0; c < m; c++) for (let t = 0; t < d; t++) centroids[c * d + t]! /= sizes[c]!;
  const scatter = new Float64Array(m);
  for (let i = 0; i < n; i++)
    scatter[ids[i]!]! += Math.sqrt(squaredDistance(X, i * d, centroids, ids[i]! * d, d));
  for (let c = 0; c < m; c++) scatter[c]! /= sizes[c]!;
  const between = new Float64Array(m * m);
  for (let a = 0; a < m; a++)
    for (let b = 0; b < m; b++)
      between[a * m + b] = Math.sqrt(squaredDistance(centroids, a * d, centroids, b * d, d));
  if (scatter.every((s) => Math.abs(s) <= 1e-8) || between.every((v) => Math.abs(v) <= 1e-8)) return 0;
  let total = 0;
  for (let a = 0; a < m; a++) {
    let worst = 0;
    for (let b = 0; b < m; b++) {
      if (b === a) continue;
      const dist = between[a * m + b]!;
      const r = dist === 0 ? 0 : (scatter[a]! + scatter[b]!) / dist;
      if (r > worst) worst = r;
    }
    total += worst;
  }
  return total / m;
}
