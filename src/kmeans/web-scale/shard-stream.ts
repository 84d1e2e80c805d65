/**
 * One shard's pass of web-scale k-means: its rows, in order, cut into mini-batches of `mini_batch_size` rows
 * whatever chunks they arrive in (so a result depends on the shard plan, never on how a reader chunked it).
 *
 * - First epoch: the shard's first mini-batch is its initial sample (spec §2.2; at least K rows when a
 *   mini-batch is smaller than K). K = k × extra_center_factor centres are drawn from it by `init_method` —
 *   random rows (Forgy) or k-means++ (Arthur & Vassilvitskii 2007), src/kmeans/init — with a generator seeded
 *   by the seed and the shard's first row, so each shard draws its own rows, the same ones on any executor.
 *   Each centre starts with the weight of the one row it was copied from (1 without sample weights). The
 *   sample is then streamed like every later batch: SageMaker's artifacts show weights summing to K plus the
 *   rows streamed, the sampled rows included.
 * - k-means|| (Bahmani et al. 2012) is not offered for this sample: it replaces k-means++'s K sequential passes
 *   over all n rows by a few oversampling rounds, which pays off when seeding over the whole data; here the
 *   sample is one mini-batch (5,000 rows by default), where K = 70 greedy k-means++ draws take milliseconds,
 *   and SageMaker's `init_method` takes only `random` and `kmeans++`.
 * - A shard whose first batch has fewer rows than the sample wants starts from what it has ("Effective batch
 *   size used to initialize is 740", as SageMaker logs); one of fewer than K rows keeps each row as a centre.
 * - Later epochs start from the shard's centres and weights after the previous epoch; weights keep decaying
 *   across epochs, as the stream of points simply goes on.
 * - The last, incomplete mini-batch of a pass is streamed too. SageMaker's artifacts suggest its container
 *   drops it (weights sum to K plus the rows of *full* batches only; spec §2.2, unconfirmed): Strata does not
 *   throw rows away, so data smaller than one mini-batch (the census: 3,218 rows < 5,000) still moves the
 *   centres instead of reducing K randomly drawn rows.
 * @module
 */
import { StrataError } from "../../errors.js";
import { type Matrix, matrix } from "../../linalg/matrix.js";
import { createRng, type Rng } from "../../linalg/rng.js";
import { initKMeansPlusPlus } from "../init/kmeans-plus-plus.js";
import { initRandom } from "../init/random.js";
import { type StreamingCentres, streamingCentres, streamMiniBatch } from "./mini-batch.js";
import { initSampleRows, type WebScaleSettings } from "./settings.js";

/** A shard's weighted centres after a pass: what its partial carries and what the next epoch starts from. */
export interface ShardCentres {
  /** The data's index of the shard's first row: names the shard from epoch to epoch. */
  readonly firstRow: number;
  /** count × d centres, row-major (count = K, or the shard's rows when it has fewer). */
  readonly centres: Float64Array;
  /** count: each centre's weight, the (decayed) number of points behind it. */
  readonly weights: Float64Array;
  /** Rows streamed into these centres, over every epoch so far. */
  readonly rows: number;
  /** Mini-batches streamed, over every epoch so far. */
  readonly batches: number;
  /** Rows of the initial sample the centres were drawn from. */
  readonly initRows: number;
}

/** A shard being streamed: owned by one fold (contract `update` calls), mutated in place. */
export interface OpenShard {
  readonly firstRow: number;
  readonly d: number;
  /** Undefined until the initial sample is complete (first epoch). */
  set: StreamingCentres | undefined;
  /** Rows of the unfinished mini-batch (or of the initial sample), and their weights when the rows have any. */
  pending: Float64Array;
  pendingWeights: Float64Array | undefined;
  pendingRows: number;
  rows: number;
  batches: number;
  initRows: number;
}

/**
 * Opens shard `firstRow` for an epoch: afresh in the first, else from its centres after the last one.
 * @throws StrataError INTERNAL when a later epoch does not know the shard (the plan changed between epochs)
 */
export function openShard(
  firstRow: number,
  d: number,
  previous: readonly ShardCentres[] | undefined,
): OpenShard {
  const open: OpenShard = {
    firstRow,
    d,
    set: undefined,
    pending: new Float64Array(0),
    pendingWeights: undefined,
    pendingRows: 0,
    rows: 0,
    batches: 0,
    initRows: 0,
  };
  if (previous === undefined) return open;
  const last = previous.find((s) => s.firstRow === firstRow);
  if (last === undefined)
    throw new StrataError(
      "INTERNAL",
      `Web-scale K-Means: no centres for the shard starting at row ${firstRow} from the previous epoch; the shard plan must not change between epochs.`,
      { details: { firstRow } },
    );
  open.set = streamingCentres(last.centres, last.weights, d);
  open.rows = last.rows;
  open.batches = last.batches;
  open.initRows = last.initRows;
  return open;
}

/** Streams the rows of `chunk` (rows × d; not modified) into the open shard, batch by batch. */
export function feedShard(
  open: OpenShard,
  chunk: Matrix,
  weights: Float64Array | undefined,
  settings: WebScaleSettings,
): void {
  const B = settings.miniBatchSize;
  const n = chunk.rows;
  let at = 0;
  while (at < n) {
    if (open.set === undefined) {
      const want = initSampleRows(settings);
      at += append(open, chunk, weights, at, Math.min(want - open.pendingRows, n - at));
      if (open.pendingRows === want) {
        initialise(open, settings);
        streamPending(open, settings, false);
      }
    } else if (open.pendingRows === 0 && n - at >= B) {
      // A whole batch within the chunk: streamed where it lies, without a copy.
      stream(open, chunk.data, at, B, weights, settings);
      at += B;
    } else {
      at += append(open, chunk, weights, at, Math.min(B - open.pendingRows, n - at));
      if (open.pendingRows === B) streamPending(open, settings, false);
    }
  }
}

/**
 * Ends the shard's pass: initialises from a short first sample, streams the last incomplete batch, and
 * returns the shard's centres (undefined for a shard without rows).
 */
export function closeShard(open: OpenShard, settings: WebScaleSettings): ShardCentres | undefined {
  if (open.set === undefined) {
    if (open.pendingRows === 0) return undefined;
    initialise(open, settings);
  }
  streamPending(open, settings, true);
  const set = open.set!;
  return {
    firstRow: open.firstRow,
    centres: set.centres,
    weights: set.weights,
    rows: open.rows,
    batches: open.batches,
    initRows: open.initRows,
  };
}

/** Copies rows [at, at + take) of the chunk (and their weights) after the pending rows; returns `take`. */
function append(
  open: OpenShard,
  chunk: Matrix,
  weights: Float64Array | undefined,
  at: number,
  take: number,
): number {
  const d = open.d;
  const need = open.pendingRows + take;
  if (open.pending.length < need * d) {
    // Grown by doubling, never beyond what is needed: a huge mini_batch_size costs only the rows there are.
    const grown = new Float64Array(Math.max(need, 2 * open.pendingRows) * d);
    grown.set(open.pending.subarray(0, open.pendingRows * d));
    open.pending = grown;
    if (open.pendingWeights !== undefined) {
      const w = new Float64Array(grown.length / d);
      w.set(open.pendingWeights.subarray(0, open.pendingRows));
      open.pendingWeights = w;
    }
  }
  open.pending.set(chunk.data.subarray(at * d, (at + take) * d), open.pendingRows * d);
  if (weights !== undefined) {
    if (open.pendingWeights === undefined) {
      // The first weighted rows: the rows before them (none in a plan with weights) weighed 1.
      open.pendingWeights = new Float64Array(open.pending.length / d).fill(1);
    }
    open.pendingWeights.set(weights.subarray(at, at + take), open.pendingRows);
  } else if (open.pendingWeights !== undefined) open.pendingWeights.fill(1, open.pendingRows, need);
  open.pendingRows = need;
  return take;
}

/** Draws the K initial centres from the pending rows (the shard's first sample). */
function initialise(open: OpenShard, settings: WebScaleSettings): void {
  const d = open.d;
  const rows = open.pendingRows;
  const sample = matrix(rows, d, open.pending.subarray(0, rows * d));
  const weights = open.pendingWeights?.subarray(0, rows);
  const K = Math.min(settings.centresPerShard, rows);
  let picked: Int32Array;
  if (K === rows) picked = Int32Array.from({ length: rows }, (_, i) => i);
  else {
    const rng = shardRng(settings.seed, open.firstRow);
    picked =
      settings.initMethod === "random"
        ? initRandom(sample, K, rng, weights).rows
        : initKMeansPlusPlus(sample, K, rng, { weights }).rows;
  }
  const centres = new Float64Array(K * d);
  const start = new Float64Array(K);
  for (let j = 0; j < K; j++) {
    const r = picked[j]!;
    centres.set(sample.data.subarray(r * d, (r + 1) * d), j * d);
    start[j] = weights === undefined ? 1 : weights[r]!;
  }
  open.set = streamingCentres(centres, start, d);
  open.initRows = rows;
}

/** Streams the pending rows: every full batch, and the incomplete rest too when `last`. */
function streamPending(open: OpenShard, settings: WebScaleSettings, last: boolean): void {
  const B = settings.miniBatchSize;
  let from = 0;
  while (open.pendingRows - from >= B || (last && open.pendingRows > from)) {
    const rows = Math.min(B, open.pendingRows - from);
    stream(open, open.pending, from, rows, open.pendingWeights, settings);
    from += rows;
  }
  if (from === 0) return;
  // Any rest (fewer than B rows) moves to the front, where the next batch continues it.
  const d = open.d;
  open.pending.copyWithin(0, from * d, open.pendingRows * d);
  open.pendingWeights?.copyWithin(0, from, open.pendingRows);
  open.pendingRows -= from;
}

function stream(
  open: OpenShard,
  X: Float64Array,
  from: number,
  rows: number,
  W: Float64Array | undefined,
  settings: WebScaleSettings,
): void {
  streamMiniBatch(open.set!, X, from, rows, W, settings.halfLifeTimeSize);
  open.rows += rows;
  open.batches++;
}

/**
 * The generator of the shard that starts at `firstRow`: a function of the seed and the shard alone, so a
 * shard draws the same rows wherever it runs, and shards of one fit draw independently.
 */
export function shardRng(seed: number, firstRow: number): Rng {
  const a = createRng(seed);
  const b = createRng(firstRow);
  const lo = (a.nextUint32() ^ b.nextUint32()) >>> 0;
  const hi = (a.nextUint32() ^ b.nextUint32()) & 0x1fffff;
  return createRng(hi * 2 ** 32 + lo);
}
