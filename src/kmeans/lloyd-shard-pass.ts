/**
 * One shard's part of a Lloyd round when the executor keeps the shard's memo between rounds (contract.ts
 * `ShardMemo`): the engine's own shard kernels (hamerly.ts, and the WebAssembly ones from engine.ts's
 * `WASM_MIN_ROWS` rows) over arrays the memo holds for the shard's rows — labels, Hamerly's bounds, the cached
 * sums, and for WebAssembly a copy of the rows in the kernels' memory. A round whose shard lost its memo (a
 * worker restarted) starts with a full pass; the labels and sums are the same either way, so only the time
 * differs. This is how the contract's rounds keep the in-memory engine's speed, on any executor.
 * @module
 */
import { type RowShard, rowView, type ShardMemo } from "../contract/contract.js";
import type { Matrix } from "../linalg/matrix.js";
import { boundsFit } from "./bounds.js";
import { centreMoves } from "./centre-moves.js";
import {
  farthestShard,
  passArgs,
  readStepSlot,
  type StepRowArgs,
  stepRowArgs,
  stepShard,
} from "./hamerly.js";
import type { LloydPartial } from "./lloyd-step.js";
import { WASM_MIN_ROWS, WasmWorkspace } from "./wasm-workspace.js";

/** What a shard keeps between rounds. */
interface LloydShardMemo {
  readonly k: number;
  readonly d: number;
  readonly start: number;
  readonly end: number;
  readonly bounds: boolean;
  readonly weighted: boolean;
  readonly args: StepRowArgs;
  readonly workspace: WasmWorkspace | undefined;
  /** The centres of the shard's last pass. */
  previous: Matrix | undefined;
}

function newMemo(shard: RowShard, k: number, boxDiagonal: number | undefined): LloydShardMemo {
  const rows = rowView(shard.data, shard.start, shard.end);
  const weights = shard.weights?.subarray(shard.start, shard.end);
  const workspace = shard.data.rows >= WASM_MIN_ROWS ? WasmWorkspace.create(rows, k, 1) : undefined;
  return {
    k,
    d: rows.cols,
    start: shard.start,
    end: shard.end,
    bounds: boxDiagonal !== undefined && boundsFit(boxDiagonal),
    weighted: weights !== undefined,
    // The whole shard is one shard of the kernels, numbered from 0.
    args: stepRowArgs(rows, k, Math.max(1, rows.rows), workspace, false, weights),
    workspace,
    previous: undefined,
  };
}

/**
 * The shard's memo for these centres, made afresh when it has none or it was made for another shape. A
 * restart's first pass (`restart`) keeps the memo's arrays — the rows' copy is the costly part — and forgets
 * the last restart's labels, bounds and sums.
 */
function memoFor(
  memo: ShardMemo,
  shard: RowShard,
  k: number,
  boxDiagonal: number | undefined,
  restart: boolean,
): LloydShardMemo {
  const m = memo.value as LloydShardMemo | undefined;
  const same =
    m !== undefined &&
    m.k === k &&
    m.d === shard.data.cols &&
    m.start === shard.start &&
    m.end === shard.end &&
    m.weighted === (shard.weights !== undefined) &&
    m.bounds === (boxDiagonal !== undefined && boundsFit(boxDiagonal));
  if (!same) {
    const made = newMemo(shard, k, boxDiagonal);
    memo.value = made;
    return made;
  }
  if (restart) {
    m.args.labels.fill(-1);
    m.args.cache.fill(0);
    m.previous = undefined;
  }
  return m;
}

/** A shard's Lloyd partial, and how many of its rows changed cluster since its last pass (all, on the first). */
export interface ShardPassResult {
  readonly partial: LloydPartial;
  readonly moved: number;
}

/**
 * Assigns the shard's rows to `centres` and sums them, skipping by Hamerly's bounds the rows that cannot move.
 * `exact`: every row's distance is computed, so the partial's inertia is exact (a bounded pass leaves it NaN);
 * `restart`: the first pass of a restart (the memo's labels and bounds are of another one); `farthest`: also
 * gather the shard's rows farthest from their centres (for relocating an empty cluster: a second pass over
 * the same centres, asked for only when a cluster came out empty, as the in-memory engine does).
 * @param boxDiagonal the bound on every distance (centre-moves.ts `boxDiagonal`); undefined: keep no bounds
 */
export function lloydShardPass(
  shard: RowShard,
  centres: Matrix,
  pass: { readonly exact: boolean; readonly restart: boolean; readonly farthest: boolean },
  memo: ShardMemo,
  boxDiagonal: number | undefined,
): ShardPassResult {
  const { exact } = pass;
  const k = centres.rows;
  const d = centres.cols;
  const m = memoFor(memo, shard, k, boxDiagonal, pass.restart);
  const previous = m.bounds ? m.previous : undefined;
  const kind = previous === undefined ? "full" : exact ? "exact" : "bounded";
  const args = passArgs(m.args, centres.data, centreMoves(previous, centres), kind, m.workspace?.views);
  stepShard(args, 0);
  m.previous = centres;
  if (pass.farthest) farthestShard(args, 0);
  const slot = readStepSlot(args.out, 0, k, d);
  // The kernels number the shard's rows from 0; the data numbers them from the shard's start.
  const rows = slot.farthest.rows;
  for (let e = 0; e < slot.farthest.count; e++) rows[e]! += shard.start;
  const partial: LloydPartial = {
    k,
    d,
    sums: slot.sums,
    counts: slot.counts,
    inertia: exact ? slot.inertia : Number.NaN,
    farthest: slot.farthest,
  };
  return { partial, moved: slot.changed };
}
