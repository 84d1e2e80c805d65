/**
 * A bounded list of the rows farthest from their assigned centre, kept by every Lloyd partial so that empty
 * clusters can be relocated after shards are merged (see lloyd-step.ts). Order: squared distance descending,
 * then global row index ascending, so the top of a merge equals the top of one pass over all rows.
 * @module
 */

/** Up to `capacity` rows, best first. Plain typed arrays, so a partial can cross a worker boundary. */
export interface FarthestRows {
  /** How many entries are filled. */
  readonly count: number;
  /** Maximum number of entries (k). */
  readonly capacity: number;
  /** capacity: squared distance of each row to its assigned centre. */
  readonly dist2: Float64Array;
  /** capacity: global row index. */
  readonly rows: Int32Array;
  /** capacity: the row's assigned cluster. */
  readonly labels: Int32Array;
  /** capacity × d: the row's values. */
  readonly points: Float64Array;
  /** capacity: the row's sample weight (1 in an unweighted fit), which moves with it when it is relocated. */
  readonly weights: Float64Array;
}

interface MutableFarthest extends FarthestRows {
  count: number;
}

/** An empty list with room for `capacity` rows of width d. */
export function emptyFarthest(capacity: number, d: number): FarthestRows {
  return {
    count: 0,
    capacity,
    dist2: new Float64Array(capacity),
    rows: new Int32Array(capacity),
    labels: new Int32Array(capacity),
    points: new Float64Array(capacity * d),
    weights: new Float64Array(capacity),
  };
}

/** True when (dist a, row a) ranks before (dist b, row b). */
function before(distA: number, rowA: number, distB: number, rowB: number): boolean {
  return distA > distB || (distA === distB && rowA < rowB);
}

/**
 * Offers one row (values `X[off .. off + d)`); keeps it if it ranks among the top `capacity`. Mutates `list`,
 * which must be one that the caller created and still owns (lloydStep's own partial).
 */
export function offerFarthest(
  list: FarthestRows,
  dist2: number,
  row: number,
  label: number,
  X: Float64Array,
  off: number,
  weight = 1,
): void {
  const f = list as MutableFarthest;
  const d = f.capacity === 0 ? 0 : f.points.length / f.capacity;
  const full = f.count === f.capacity;
  if (full && (f.capacity === 0 || !before(dist2, row, f.dist2[f.count - 1]!, f.rows[f.count - 1]!))) return;
  let pos = full ? f.count - 1 : f.count;
  while (pos > 0 && before(dist2, row, f.dist2[pos - 1]!, f.rows[pos - 1]!)) {
    f.dist2[pos] = f.dist2[pos - 1]!;
    f.rows[pos] = f.rows[pos - 1]!;
    f.labels[pos] = f.labels[pos - 1]!;
    f.weights[pos] = f.weights[pos - 1]!;
    f.points.copyWithin(pos * d, (pos - 1) * d, pos * d);
    pos--;
  }
  f.dist2[pos] = dist2;
  f.rows[pos] = row;
  f.labels[pos] = label;
  f.weights[pos] = weight;
  f.points.set(X.subarray(off, off + d), pos * d);
  if (!full) f.count++;
}

/** The top `a.capacity` rows of both lists, as a new list (inputs untouched). */
export function mergeFarthest(a: FarthestRows, b: FarthestRows): FarthestRows {
  const d = a.capacity === 0 ? 0 : a.points.length / a.capacity;
  const out = emptyFarthest(a.capacity, d) as MutableFarthest;
  let i = 0;
  let j = 0;
  while (out.count < out.capacity && (i < a.count || j < b.count)) {
    const takeA = j >= b.count || (i < a.count && before(a.dist2[i]!, a.rows[i]!, b.dist2[j]!, b.rows[j]!));
    const src = takeA ? a : b;
    const s = takeA ? i++ : j++;
    const o = out.count++;
    out.dist2[o] = src.dist2[s]!;
    out.rows[o] = src.rows[s]!;
    out.labels[o] = src.labels[s]!;
    out.weights[o] = src.weights[s]!;
    out.points.set(src.points.subarray(s * d, (s + 1) * d), o * d);
  }
  return out;
}
