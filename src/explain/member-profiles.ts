/**
 * Segment profiles from the segment's members, as geodemographic "pen portraits" read them (the UK's Output
 * Area Classification, Esri Tapestry): per feature, in original units, the members' mean and median, and an
 * index against the whole table — member mean ÷ overall mean × 100, so 100 is typical and 200 twice the
 * table's average. Names and descriptions are made from these (segment-names.ts), not from the centroid's
 * reconstruction through the kept components, which can lie far from the members (a county segment whose
 * reconstructed population was 267 has a members' median of 4,195).
 *
 * With row weights (`strata run --weight TotalPop`) each row counts its weight: the means and medians are
 * weighted (a segment's median person, not its median county), and the index is against the weighted mean.
 * @module
 */
import { weightedMedianInPlace } from "../linalg/median.js";
import { wasmSegmentSumsAndMedians } from "../linalg/wasm-columns.js";

/** One segment's profile, feature order. */
export interface MemberProfile {
  readonly mean: number[];
  readonly median: number[];
  /** Member mean ÷ overall mean × 100; null where the overall mean is 0 (no ratio to take). */
  readonly index: (number | null)[];
}

/**
 * Every segment's profile: the members (rows whose cluster is the segment) of each feature column.
 * @param columns the features' values in original units, one array per feature, rows in order
 * @param clusters each row's segment, 0..k-1
 * @param overallMean each feature's mean over the whole table (weighted, when there are weights)
 * @param weights each row's positive weight, or undefined: every row counts once
 * @example memberProfiles([income, poverty], clusters, 7, [53000, 16.7])[3].index[0] // 142: 42% above average
 */
export function memberProfiles(
  columns: readonly ArrayLike<number>[],
  clusters: ArrayLike<number>,
  k: number,
  overallMean: readonly number[],
  weights?: ArrayLike<number>,
): MemberProfile[] {
  const n = clusters.length;
  const sizes = new Int32Array(k);
  for (let i = 0; i < n; i++) sizes[clusters[i]!]!++;
  // Rows of each segment, contiguous: offsets[c]..offsets[c + 1] in `order`.
  const offsets = new Int32Array(k + 1);
  for (let c = 0; c < k; c++) offsets[c + 1] = offsets[c]! + sizes[c]!;
  const order = new Int32Array(n);
  const fill = offsets.slice(0, k);
  for (let i = 0; i < n; i++) order[fill[clusters[i]!]!++] = i;
  const profiles = Array.from({ length: k }, () => ({
    mean: [] as number[],
    median: [] as number[],
    index: [] as (number | null)[],
  }));
  const push = (c: number, j: number, mean: number, median: number) => {
    const p = profiles[c]!;
    p.mean.push(mean);
    p.median.push(median);
    p.index.push(overallMean[j] === 0 || !Number.isFinite(mean) ? null : (mean / overallMean[j]!) * 100);
  };
  const scratch = new Float64Array(n);
  const weightScratch = new Float64Array(n);
  columns.forEach((column, j) => {
    if (weights === undefined) {
      // Unweighted, each segment's sum (from 0, in row order) and median come from WebAssembly: the census'
      // 238 ran as cold JavaScript loops.
      const values = column instanceof Float64Array ? column : Float64Array.from(column);
      const { sums, medians } = wasmSegmentSumsAndMedians(values, order, offsets);
      for (let c = 0; c < k; c++) {
        const count = offsets[c + 1]! - offsets[c]!;
        push(c, j, count > 0 ? sums[c]! / count : Number.NaN, medians[c]!);
      }
      return;
    }
    for (let c = 0; c < k; c++) {
      const from = offsets[c]!;
      const to = offsets[c + 1]!;
      const values = scratch.subarray(0, to - from);
      const rowWeights = weightScratch.subarray(0, to - from);
      let sum = 0;
      let total = 0;
      for (let r = from; r < to; r++) {
        const row = order[r]!;
        const w = weights[row]!;
        values[r - from] = column[row]!;
        rowWeights[r - from] = w;
        sum += w * column[row]!;
        total += w;
      }
      push(c, j, to > from ? sum / total : Number.NaN, weightedMedianInPlace(values, rowWeights));
    }
  });
  return profiles;
}
