/**
 * The algorithm contract every trainable thing implements (DESIGN.md "Algorithms"; SageMaker's own shape, after
 * Liberty et al., "Elastic Machine Learning Algorithms in Amazon SageMaker", SIGMOD 2020):
 *
 *   state ─▶ per shard: empty ─▶ update(chunk) … update(chunk) ─▶ partial
 *         ─▶ merge(partials, in shard order) ─▶ finalize ─▶ model, or the next round's state
 *
 * A round broadcasts the state (nothing for a scaler's statistics; the centres for a Lloyd iteration), every
 * shard folds its chunks into a partial, the partials are merged in shard order — never arrival order — and
 * `finalize` either ends with the model or starts the next round. Partials merge as a balanced tree in shard
 * order ({@link mergeTree}). Because merging follows the shard order,
 * a result depends on the shard plan only, not on which executor ran the shards (inline, worker threads, a
 * cluster) nor on when they finished.
 *
 * Algorithms are plain objects exported by their modules, named by {@link AlgorithmRef}, so an executor in
 * another thread (or on another machine) imports the same code; states and partials are plain data
 * (structured-clone safe). `update` never modifies its chunk.
 * @module
 */
import type { AccessRules } from "../data/sources/access.js";
import type { DataChunk, StreamSource } from "../data/stream/chunks.js";
import { StrataError } from "../errors.js";
import { checkFinite } from "../linalg/checks.js";
import { type Matrix, matrix } from "../linalg/matrix.js";
import { importExport, type ModuleRef } from "../util/module-ref.js";

/** What a round ends with: the model, or the state of the next round. */
export type RoundOutcome<S, M> =
  | { readonly done: true; readonly model: M }
  | { readonly done: false; readonly state: S };

/** One trainable thing: S the broadcast state, P a partial, M the model. */
export interface ShardAlgorithm<S, P, M> {
  readonly name: string;
  /** The partial of no rows, for data `width` columns wide. */
  empty(state: S, width: number): P;
  /**
   * The partial with the rows of `chunk` (rows × width) folded in; `firstRow` is the data's index of the
   * chunk's first row (for algorithms that name rows, e.g. Lloyd's farthest rows); `weights`: the chunk's
   * rows' sample weights, when the data has them (algorithms that take none ignore them).
   * @throws WIDTH_MISMATCH
   */
  update(partial: P, chunk: Matrix, state: S, firstRow: number, weights?: Float64Array): P;
  /** The partial of two disjoint row sets, `a`'s shard before `b`'s. */
  merge(a: P, b: P, state: S): P;
  finalize(merged: P, state: S): RoundOutcome<S, M>;
  /**
   * A faster way to a whole shard's partial, given the shard's {@link ShardMemo}: e.g. Lloyd keeps each row's
   * label and Hamerly bounds there between rounds, and skips the rows that cannot move. The partial must
   * equal the chunk-by-chunk one in everything `merge` and `finalize` read, with or without a memo.
   */
  shardPartial?(shard: RowShard, state: S, memo: ShardMemo): P;
  /**
   * The partial of an {@link ObjectShard}: the algorithm reads (and may write) the object itself, where the
   * shard runs. Algorithms over objects (a batch transform) implement this instead of `update`.
   */
  objectPartial?(shard: ObjectShard, state: S): Promise<P>;
  /**
   * The round's state as a cluster worker runs it (src/cluster/worker.ts): an algorithm whose state carries
   * where it may read and write, or a stop flag (a batch transform's), takes the worker's own — a task is
   * data from the queue, and a worker obeys its operator's rules, not the coordinator's. Others leave it out.
   */
  atWorker?(state: S, worker: WorkerContext): S;
}

/** What a cluster worker gives a task's state ({@link ShardAlgorithm.atWorker}). */
export interface WorkerContext {
  /** Where the worker's operator lets it read and write. */
  readonly access: AccessRules;
  /** A flag over shared memory (util/stop-flag.ts) the worker raises when the task's job is stopped. */
  readonly stopFlag: Int32Array;
}

/**
 * A shard that is one object of a dataset (a file, an S3 object), named by reference: the executor moves the
 * reference, and whoever runs the shard reads the object (DESIGN.md: data never travels through the queue).
 */
export interface ObjectShard {
  readonly object: {
    readonly uri: string;
    /** Its key under the input prefix, as outputs are named after it. */
    readonly relativeKey: string;
  };
}

/**
 * A shard that is one object of a channel too large to hold, streamed in chunks of `chunkRows` where the shard
 * runs (src/data/stream): memory is bounded by the chunk, and only the reference travels. Its chunks are
 * folded with `update` like a row shard's, numbered from `firstRow`, the object's first row in the channel.
 */
export interface StreamShard {
  readonly stream: StreamSource;
  readonly firstRow: number;
  readonly chunkRows: number;
  /** Hand each chunk's labels to `update` as the rows' weights (K-Means' `sample_weights=label`). */
  readonly labelsAsWeights?: boolean;
  /**
   * Only these rows of the object: `take` rows after the first `skip` (a row range of a FullyReplicated
   * channel split across instances); `firstRow` is then the channel's index of row `skip`. The rows before
   * are read and dropped: every worker sees the whole object, as SageMaker's FullyReplicated gives it.
   */
  readonly rows?: { readonly skip: number; readonly take: number };
}

/** What a round runs: rows of a matrix in memory, an object the algorithm reads itself, or a streamed object. */
export type Shard = RowShard | ObjectShard | StreamShard;

/** Whether a shard is an object by reference. */
export function isObjectShard(shard: Shard): shard is ObjectShard {
  return "object" in shard;
}

/** Whether a shard is a streamed object. */
export function isStreamShard(shard: Shard): shard is StreamShard {
  return "stream" in shard;
}

/**
 * A chunk's labels as its rows' weights (positive and finite).
 * @throws StrataError NON_NUMERIC_VALUE naming the object and the record (1-based) of a missing or bad weight
 */
function labelWeights(labels: Float64Array | null, shard: StreamShard, firstRow: number): Float64Array {
  const name = shard.stream.name;
  if (labels === null)
    throw new StrataError(
      "NON_NUMERIC_VALUE",
      `${name}: its records have no labels to take as sample weights.`,
      {
        details: { source: name },
      },
    );
  const bad = labels.findIndex((w) => !(Number.isFinite(w) && w > 0));
  if (bad >= 0)
    throw new StrataError(
      "NON_NUMERIC_VALUE",
      `${name}: record ${firstRow + bad + 1} has a label of ${labels[bad]}; as a sample weight it must be a finite number above 0.`,
      { details: { source: name, record: firstRow + bad + 1 } },
    );
  return labels;
}

/** A streamed shard's chunks folded into the empty partial, in order. */
async function streamPartial<S, P>(
  algorithm: ShardAlgorithm<S, P, unknown>,
  state: S,
  shard: StreamShard,
): Promise<P> {
  let partial: P | undefined;
  // Imported here, not at the top: the readers load DuckDB's native addon, and the worker pool's threads import
  // this module for mergeTree alone — a thread holding the addon aborts the process when it is terminated.
  const { objectChunks } = await import("../data/stream/object-chunks.js");
  const chunks = objectChunks(shard.stream, shard.chunkRows, (_, cols) => {
    partial = algorithm.empty(state, cols);
  });
  for await (const chunk of shard.rows === undefined ? chunks : rowRange(chunks, shard.rows)) {
    checkFinite(chunk.matrix, undefined, shard.firstRow + chunk.firstRow);
    const weights =
      shard.labelsAsWeights === true
        ? labelWeights(chunk.labels, shard, chunk.firstRow + (shard.rows?.skip ?? 0))
        : undefined;
    partial = algorithm.update(partial!, chunk.matrix, state, shard.firstRow + chunk.firstRow, weights);
  }
  return partial!;
}

/**
 * The rows [skip, skip + take) of an object's chunks, as views, numbered from the range's first row; the
 * chunks after the range are not read.
 */
async function* rowRange(
  chunks: AsyncGenerator<DataChunk>,
  range: { readonly skip: number; readonly take: number },
): AsyncGenerator<DataChunk> {
  const end = range.skip + range.take;
  try {
    for await (const chunk of chunks) {
      const first = chunk.firstRow;
      const last = first + chunk.matrix.rows;
      if (last <= range.skip) continue;
      const from = Math.max(first, range.skip);
      const to = Math.min(last, end);
      if (to > from)
        yield {
          matrix: rowView(chunk.matrix, from - first, to - first),
          labels: chunk.labels?.subarray(from - first, to - first) ?? null,
          firstRow: from - range.skip,
        };
      if (last >= end) return;
    }
  } finally {
    await chunks.return(undefined);
  }
}

/**
 * What an executor keeps for one shard between the rounds of one fit, where the shard last ran (a worker
 * thread, a cluster worker): an algorithm's cache, never its result. An executor may lose it at any time (a
 * worker restarted, a shard moved), and the algorithm then starts it afresh.
 */
export interface ShardMemo {
  value: unknown;
}

/** Where an algorithm lives: its module (as `import.meta.url` gives it there) and its export's name. */
export type AlgorithmRef = ModuleRef;

/** A shard: rows [start, end) of an in-memory matrix, read in chunks of `chunkRows`. */
export interface RowShard {
  readonly data: Matrix;
  readonly start: number;
  readonly end: number;
  readonly chunkRows: number;
  /** data.rows: every row's sample weight, when the rows have weights (K-Means' `sample_weight`). */
  readonly weights?: Float64Array | undefined;
}

/**
 * A plan: `data` cut into consecutive shards of `shardRows` rows, each read in chunks of `chunkRows`.
 * @example rowShards(x, { shardRows: 32_768, chunkRows: 4096 })
 */
export function rowShards(
  data: Matrix,
  plan: { shardRows: number; chunkRows: number },
  weights?: Float64Array,
): RowShard[] {
  const shardRows = Math.max(1, Math.floor(plan.shardRows));
  const chunkRows = Math.max(1, Math.floor(plan.chunkRows));
  const shards: RowShard[] = [];
  for (let start = 0; start < data.rows || shards.length === 0; start += shardRows)
    shards.push({ data, start, end: Math.min(data.rows, start + shardRows), chunkRows, weights });
  return shards;
}

/** All of `data` as one shard read in one chunk (an estimator's in-memory fit). */
export function wholeShard(data: Matrix): RowShard {
  return { data, start: 0, end: data.rows, chunkRows: Math.max(1, data.rows) };
}

/** The rows [start, end) of a matrix as a view (no copy). */
export function rowView(data: Matrix, start: number, end: number): Matrix {
  const d = data.cols;
  return matrix(end - start, d, data.data.subarray(start * d, end * d));
}

/**
 * The chunks of a shard, as views of its rows (no copy), each with the data's index of its first row and,
 * when the rows have weights, a view of the chunk's.
 */
export function* chunksOf(
  shard: RowShard,
): Generator<{ chunk: Matrix; firstRow: number; weights: Float64Array | undefined }> {
  const { data, start, end, chunkRows, weights } = shard;
  for (let at = start; at < end; at += chunkRows) {
    const to = Math.min(end, at + chunkRows);
    yield { chunk: rowView(data, at, to), firstRow: at, weights: weights?.subarray(at, to) };
  }
}

/**
 * A shard's partial: the algorithm's `shardPartial` with the shard's memo when it has one (a fresh memo when
 * the executor keeps none), else its chunks folded into the empty partial, in order.
 */
export function runShard<S, P>(
  algorithm: ShardAlgorithm<S, P, unknown>,
  state: S,
  shard: RowShard,
  memo: ShardMemo = { value: undefined },
): P {
  if (algorithm.shardPartial !== undefined) return algorithm.shardPartial(shard, state, memo);
  let partial = algorithm.empty(state, shard.data.cols);
  for (const { chunk, firstRow, weights } of chunksOf(shard))
    partial = algorithm.update(partial, chunk, state, firstRow, weights);
  return partial;
}

/**
 * An algorithm's rounds over one in-memory shard, on the caller's thread and synchronously: an estimator's
 * own in-memory fit or a model's score, where there is nothing to spread and nowhere to wait.
 * @example const metrics = fitShard(CLUSTER_METRICS, { centres }, wholeShard(x));
 */
export function fitShard<S, P, M>(algorithm: ShardAlgorithm<S, P, M>, initialState: S, shard: RowShard): M {
  return fitPlan(algorithm, initialState, [shard]);
}

/**
 * An algorithm's rounds over a plan of in-memory shards, on the caller's thread and synchronously: the
 * partials of every round merged in shard order as executors merge them, so the model has the bits
 * `fitRounds` gives for the same plan on any executor. For estimators whose model depends on the plan
 * (web-scale K-Means: each shard is its own stream).
 * @param options `signal` checked before every round; `onRound` called after each with the round's state,
 *   its merged partial and the next round's state (undefined after the last)
 * @example const model = fitPlan(WEB_SCALE_ROUNDS, state, rowShards(x, { shardRows, chunkRows: shardRows }));
 */
export function fitPlan<S, P, M>(
  algorithm: ShardAlgorithm<S, P, M>,
  initialState: S,
  shards: readonly RowShard[],
  options: {
    readonly signal?: AbortSignal | undefined;
    readonly onRound?: (event: { state: S; merged: P; next: S | undefined }) => void;
  } = {},
): M {
  let state = initialState;
  for (;;) {
    options.signal?.throwIfAborted();
    const merged = mergeInOrder(
      algorithm,
      shards.map((shard) => runShard(algorithm, state, shard)),
      state,
    );
    const outcome = algorithm.finalize(merged, state);
    options.onRound?.({ state, merged, next: outcome.done ? undefined : outcome.state });
    if (outcome.done) return outcome.model;
    state = outcome.state;
  }
}

/**
 * Any shard's partial, as executors compute it: an object shard by the algorithm's `objectPartial`, a
 * streamed one by folding its chunks, a row shard by {@link runShard}.
 */
export async function shardPartial<S, P>(
  algorithm: ShardAlgorithm<S, P, unknown>,
  state: S,
  shard: Shard,
  memo?: ShardMemo,
): Promise<P> {
  if (isStreamShard(shard)) return streamPartial(algorithm, state, shard);
  if (!isObjectShard(shard)) return runShard(algorithm, state, shard, memo);
  if (algorithm.objectPartial === undefined)
    throw new Error(`${algorithm.name} reads rows, not objects: it has no objectPartial`);
  return algorithm.objectPartial(shard, state);
}

/**
 * Partials merged in shard order as a balanced tree (left half before right half). The tree depends only on
 * the number of partials, so every executor — and every fast path that merges shards itself — gets the same
 * bits, and the rounding error of many merges grows with log(shards) rather than with shards.
 */
export function mergeTree<P>(partials: readonly P[], merge: (a: P, b: P) => P): P {
  if (partials.length === 0) throw new Error("no partials to merge");
  const tree = (lo: number, hi: number): P => {
    if (hi - lo === 1) return partials[lo] as P;
    const mid = (lo + hi) >>> 1;
    return merge(tree(lo, mid), tree(mid, hi));
  };
  return tree(0, partials.length);
}

/** An algorithm's partials merged by {@link mergeTree}. */
export function mergeInOrder<S, P>(
  algorithm: ShardAlgorithm<S, P, unknown>,
  partials: readonly P[],
  state: S,
): P {
  if (partials.length === 0) throw new Error(`${algorithm.name}: no partials to merge`);
  return mergeTree(partials, (a, b) => algorithm.merge(a, b, state));
}

/** The algorithm a ref names (its module imported once per thread). */
export function loadAlgorithm<S, P, M>(ref: AlgorithmRef): Promise<ShardAlgorithm<S, P, M>> {
  return importExport(ref, (v) => typeof (v as ShardAlgorithm<S, P, M>).merge === "function", "algorithm");
}
