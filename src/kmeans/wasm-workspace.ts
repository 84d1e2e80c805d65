/**
 * The memory of a fit whose Lloyd passes run in WebAssembly (wasm-kernels.ts): one shared
 * WebAssembly.Memory holding the rows (copied once per data matrix), the centres and their separations, the
 * per-row labels and bounds, the list of rows to search, and per-shard sums. JavaScript reads and writes the
 * same bytes through typed-array views, so the JavaScript kernels (the exact last pass, the farthest rows)
 * work on them unchanged, and pool workers (src/parallel) get the memory and views in their task message.
 * Each thread instantiates the compiled module on a memory once (cached by the workspace's token).
 * @module
 */
import type { Matrix } from "../linalg/matrix.js";
import { kernelModuleBytes } from "./wasm-kernels.js";

/** Byte offsets of the workspace's arrays, as the kernels take them. */
export interface WasmOffsets {
  readonly x: number;
  readonly centres: number;
  readonly half: number;
  readonly drift: number;
  readonly move: number;
  readonly labels: number;
  readonly lower: number;
  readonly upper: number;
  readonly work: number;
  /** numShards × {@link scratchStride}(k, d) f64: each shard's sums, counts, then [inertia, changed, searched, tested]. */
  readonly scratch: number;
}

/** What a shard kernel needs to run a pass in WebAssembly (structured-cloned to pool workers). */
export interface WasmStepArgs {
  readonly memory: WebAssembly.Memory;
  readonly module: WebAssembly.Module;
  /** Identifies the memory among the ones this thread has instantiated the module on. */
  readonly token: number;
  readonly offsets: WasmOffsets;
  /** View of the scratch region. */
  readonly scratch: Float64Array;
}

/** Views of the workspace's arrays (the JavaScript side of the same memory). */
export interface WasmViews {
  readonly data: Float64Array;
  readonly centres: Float64Array;
  readonly half: Float64Array;
  readonly drift: Float64Array;
  readonly move: Float64Array;
  readonly labels: Int32Array;
  readonly lower: Float32Array;
  readonly upper: Float32Array;
}

/**
 * Inputs from this many rows on run the WebAssembly kernels by default (when their shape is supported). Below
 * it, compiling them (a few milliseconds, once per process and shape) and copying the rows cost more than the
 * passes save. Measured on the census' projections (d = 5, k = 7, the default auto restarts, one process,
 * JavaScript against WebAssembly): 256 rows 43 → 25 ms for the first fit and 6.5–8.8 → 3.0–3.6 for the next;
 * 1,024 rows 70 → 43 and 22 → 16.5; all 3,218 rows 122–125 → 75–127 and 58–61 → 43–50. Both give the same bits.
 */
export const WASM_MIN_ROWS = 256;

/** f64 slots of one shard's scratch: k·d sums, k counts, inertia, changed, rows searched, rows tested. */
export function scratchStride(k: number, d: number): number {
  return k * d + k + 4;
}

/** The (d, k) shapes the kernels are generated for: every centre coordinate is held in a register-sized local. */
export function wasmSupports(d: number, k: number): boolean {
  return typeof WebAssembly === "object" && k >= 1 && d >= 1 && k * d <= 128;
}

const PAGE = 65_536;
/** Kept below wasm32's 4 GiB, and well below what a machine is likely to grant as one reservation. */
const MAX_BYTES = 2 ** 31;

const modules = new Map<string, WebAssembly.Module | null>();

/**
 * The compiled kernels for (d, k), compiled once per thread that asks; null where this engine cannot
 * compile them (no 128-bit SIMD or no shared memory), and the JavaScript kernels run instead.
 */
function kernelModule(d: number, k: number): WebAssembly.Module | null {
  const key = `${d}x${k}`;
  let m = modules.get(key);
  if (m === undefined) {
    try {
      m = new WebAssembly.Module(kernelModuleBytes(d, k));
    } catch {
      m = null;
    }
    modules.set(key, m);
  }
  return m;
}

let nextToken = 1;

/** A fit's workspace: the memory, its layout, and views of it. */
export class WasmWorkspace {
  readonly args: WasmStepArgs;
  readonly views: WasmViews;

  private constructor(
    args: WasmStepArgs,
    views: WasmViews,
    private readonly shape: { n: number; d: number; k: number; numShards: number },
  ) {
    this.args = args;
    this.views = views;
  }

  /** Whether this workspace was laid out for `x` (same rows, unchanged: inputs are never mutated), k and shards. */
  fits(x: Matrix, k: number, numShards: number): boolean {
    const s = this.shape;
    return s.n === x.rows && s.d === x.cols && s.k === k && s.numShards === numShards;
  }

  /**
   * A workspace for `x` with k centres and `numShards` shards, the rows copied in; undefined when the
   * shape is not supported or the arrays would not fit in one memory (the JavaScript kernels run then).
   */
  static create(x: Matrix, k: number, numShards: number): WasmWorkspace | undefined {
    const { rows: n, cols: d } = x;
    if (!wasmSupports(d, k)) return undefined;
    const module = kernelModule(d, k);
    if (module === null) return undefined;
    let bytes = 16;
    const take = (count: number, size: number) => {
      const at = bytes;
      bytes += Math.ceil((count * size) / 16) * 16;
      return at;
    };
    const offsets: WasmOffsets = {
      x: take(n * d, 8),
      centres: take(k * d, 8),
      half: take(k, 8),
      drift: take(k, 8),
      move: take(k, 8),
      labels: take(n, 4),
      lower: take(n, 4),
      upper: take(n, 4),
      work: take(n + 1, 4),
      scratch: take(numShards * scratchStride(k, d), 8),
    };
    if (bytes > MAX_BYTES) return undefined;
    const pages = Math.ceil(bytes / PAGE);
    let memory: WebAssembly.Memory;
    try {
      memory = new WebAssembly.Memory({ initial: pages, maximum: pages, shared: true });
    } catch {
      return undefined; // no reservation that large here: the JavaScript kernels need none
    }
    const buffer = memory.buffer;
    const token = nextToken++;
    new Int32Array(buffer, 0, 1)[0] = token;
    const views: WasmViews = {
      data: new Float64Array(buffer, offsets.x, n * d),
      centres: new Float64Array(buffer, offsets.centres, k * d),
      half: new Float64Array(buffer, offsets.half, k),
      drift: new Float64Array(buffer, offsets.drift, k),
      move: new Float64Array(buffer, offsets.move, k),
      labels: new Int32Array(buffer, offsets.labels, n),
      lower: new Float32Array(buffer, offsets.lower, n),
      upper: new Float32Array(buffer, offsets.upper, n),
    };
    views.data.set(x.data);
    const scratch = new Float64Array(buffer, offsets.scratch, numShards * scratchStride(k, d));
    return new WasmWorkspace({ memory, module, token, offsets, scratch }, views, {
      n,
      d,
      k,
      numShards,
    });
  }
}

/** The kernels of wasm-kernels.ts, bound to one memory. */
export interface WasmKernels {
  full(...args: number[]): void;
  bounded(...args: number[]): void;
  sums(...args: number[]): void;
  settle(...args: number[]): void;
}

let instanceToken = 0;
let instance: WasmKernels | undefined;
/** Instances by memory, for threads that keep several workspaces at once (lloyd-shard-pass.ts's memos). */
const byMemory = new WeakMap<WebAssembly.Memory, WasmKernels>();

/**
 * This thread's instance of the kernels on `args.memory`. A pool worker receives a new Memory object with
 * every task, so its instance is found by the workspace's token (one fit at a time: the last memory seen);
 * a thread that holds its workspaces finds theirs by the Memory object itself.
 */
export function wasmKernels(args: WasmStepArgs): WasmKernels {
  const kept = byMemory.get(args.memory);
  if (kept !== undefined) return kept;
  if (instance === undefined || instanceToken !== args.token) {
    const inst = new WebAssembly.Instance(args.module, { env: { memory: args.memory } });
    instance = inst.exports as unknown as WasmKernels;
    instanceToken = args.token;
  }
  byMemory.set(args.memory, instance);
  return instance;
}
