/**
 * The data pass of k-means++ seeding (Arthur & Vassilvitskii 2007) as a shard kernel for the worker pool:
 * for one candidate row c, every row's D(x)² becomes min(D(x)², ‖x − x_c‖²) into a scratch array, and each
 * shard reports its share of the potential Σ D(x)². Shards are fixed row blocks and their potentials are added
 * in shard order, so the seeding draws the same rows for every thread count. Sampling walks the shard
 * potentials, then the rows of one shard, instead of keeping an n-long cumulative sum.
 * @module
 */

/** This module's URL: the pool's workers import its kernel from it (shard-kernels.ts). */
export const PLUS_PLUS_SHARDS_MODULE = import.meta.url;

/** Arguments of the "kmeans.pp" kernel; `closest`, `scratch` and `potentials` are shared across threads. */
export interface SeedShardArgs {
  /** n × d row-major data. */
  readonly data: Float64Array;
  readonly rows: number;
  readonly cols: number;
  readonly shardRows: number;
  /** The candidate row. */
  readonly candidate: number;
  /** n: D(x)² so far; ignored (treated as +∞) when `first`. */
  readonly closest: Float64Array;
  /** True for the first centre: D(x)² is just the distance to the candidate. */
  readonly first: boolean;
  /** n: receives min(D(x)², ‖x − x_c‖²). */
  readonly scratch: Float64Array;
  /** numShards: receives each shard's Σ of `scratch` (times the rows' weights, if any), summed in row order. */
  readonly potentials: Float64Array;
  /** n: the rows' sample weights, in a weighted fit: the potential is Σ w·D(x)². */
  readonly weights?: Float64Array | undefined;
}

/** Updates the rows of shard `s` against the candidate and writes the shard's potential. */
export function seedShard(args: SeedShardArgs, s: number): void {
  const { data: X, rows, cols: d, shardRows, candidate, closest, first, scratch, weights } = args;
  const start = s * shardRows;
  const end = Math.min(rows, start + shardRows);
  args.potentials[s] = seedLoop(d, first, weights !== undefined)(
    X,
    candidate * d,
    closest,
    scratch,
    weights,
    start,
    end,
  );
}

/** One shard's pass of {@link seedShard}: rows [start, end) against the candidate at offset `co`; returns the potential. */
type SeedLoop = (
  X: Float64Array,
  co: number,
  closest: Float64Array,
  scratch: Float64Array,
  weights: Float64Array | undefined,
  start: number,
  end: number,
) => number;

const seedLoops = new Map<string, SeedLoop>();

/**
 * The pass compiled per (d, first, weighted) with `new Function`, as batch-loop.ts compiles the web-scale
 * row loop: the candidate's d values sit in locals and the distance is written out term by term (measured
 * 1.6× faster than the generic loop at d = 5, where web-scale training seeds 70 centres per shard). The
 * operations and their order are the generic loop's: Σ (x_t − c_t)² for t = 0..d−1 from 0, the smaller of
 * it and D(x)² so far (the latter only when strictly smaller), the potential added in row order — the same
 * bits.
 */
function seedLoop(d: number, first: boolean, weighted: boolean): SeedLoop {
  const key = `${d}${first ? "f" : ""}${weighted ? "w" : ""}`;
  let fn = seedLoops.get(key);
  if (fn !== undefined) return fn;
  const unroll = d <= 32;
  const cs = Array.from({ length: d }, (_, t) => `c${t}`);
  const load = unroll ? cs.map((c, t) => `const ${c} = X[co + ${t}];`).join(" ") : "";
  const distance = unroll
    ? cs.map((c, t) => `diff = X[off + ${t}] - ${c}; v += diff * diff;`).join(" ")
    : `for (let t = 0; t < ${d}; t++) { diff = X[off + t] - X[co + t]; v += diff * diff; }`;
  fn = new Function(
    "X",
    "co",
    "closest",
    "scratch",
    "weights",
    "start",
    "end",
    `${load}
    let pot = 0, diff = 0;
    for (let i = start; i < end; i++) {
      const off = i * ${d};
      let v = 0;
      ${distance}
      ${first ? "" : "const was = closest[i]; if (was < v) v = was;"}
      scratch[i] = v;
      pot += ${weighted ? "weights[i] * v" : "v"};
    }
    return pot;`,
  ) as SeedLoop;
  seedLoops.set(key, fn);
  return fn;
}

/** Σ of the shard potentials, in shard order. */
export function totalPotential(potentials: Float64Array): number {
  let total = 0;
  for (let s = 0; s < potentials.length; s++) total += potentials[s]!;
  return total;
}

/**
 * The first row whose running sum of `weights` (times `rowWeights`, when given) exceeds r (summed shard by
 * shard from the shard potentials), so rows of zero weight are never drawn while the potential is positive.
 * Falls back to the last row when rounding leaves r at or above the final running sum.
 */
export function sampleRow(
  weights: Float64Array,
  potentials: Float64Array,
  shardRows: number,
  r: number,
  rowWeights?: Float64Array,
): number {
  let offset = 0;
  for (let s = 0; s < potentials.length; s++) {
    const next = offset + potentials[s]!;
    if (next > r || s === potentials.length - 1) {
      const start = s * shardRows;
      const end = Math.min(weights.length, start + shardRows);
      let acc = offset;
      for (let i = start; i < end; i++) {
        acc += rowWeights === undefined ? weights[i]! : rowWeights[i]! * weights[i]!;
        if (acc > r) return i;
      }
    }
    offset = next;
  }
  return weights.length - 1;
}
