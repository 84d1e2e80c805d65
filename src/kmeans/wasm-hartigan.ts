/**
 * Hartigan's moves (hartigan.ts) in WebAssembly, generated per (d, k, weighted) with src/wasm/assembler.ts:
 * the sweep and the nearest-centre labelling of hartigan-loops.ts, statement by statement, the same IEEE
 * operations in the same order, so every move and sum is bit-identical (test/kmeans/hartigan.test.ts). Why:
 * a run refines each of its restarts once, so the JavaScript loops ran cold (71 ms for the census' 18 restarts
 * in a fresh process, 36 warm, and 10 MB of boxed doubles for the collector; 28 and 14 here); WebAssembly is
 * compiled before it runs. Shapes with k·d above WASM_HARTIGAN_MAX_KD keep the JavaScript loops.
 * @module
 */
import type { Matrix } from "../linalg/matrix.js";
import { Code, emitAddress, F64, I32, moduleBytes } from "../wasm/assembler.js";
import { kernelMemory, mustPlaceRegions } from "../wasm/memory.js";
import type { RefineLoops } from "./hartigan-loops.js";
import { emitSquaredDistance } from "./wasm-emit.js";

/** Above this k·d the kernels would hold too many values in locals: the JavaScript loops run instead. */
export const WASM_HARTIGAN_MAX_KD = 256;

const modules = new Map<string, WebAssembly.Module>();

/**
 * nearest(n, x, c, sizes, w, labels) -> Σ w·d²: every row's nearest centre (the first on ties) into `labels`,
 * its weight added to `sizes`. Parameters are byte offsets (and the row count).
 */
function nearestCode(d: number, k: number, weighted: boolean): Code {
  const [N, X, C, SIZES, W, LABELS] = [0, 1, 2, 3, 4, 5];
  const c = new Code(6);
  const i = c.local(I32);
  const off = c.local(I32);
  const best = c.local(I32);
  const addr = c.local(I32);
  const [total, diff, s, bestDist, w] = [
    c.local(F64),
    c.local(F64),
    c.local(F64),
    c.local(F64),
    c.local(F64),
  ];
  const x = Array.from({ length: d }, () => c.local(F64));
  c.f64Const(0).set(total);
  c.i32Const(0).set(i);
  c.block().loop();
  c.get(i).get(N).i32GeS().brIf(1);
  emitAddress(c, X, i, d * 8).set(off);
  for (let t = 0; t < d; t++)
    c.get(off)
      .f64Load(t * 8)
      .set(x[t]!);
  for (let j = 0; j < k; j++) {
    // s = ‖x − c_j‖², then the strict-< search from centre 0.
    emitSquaredDistance(c, x, C, j * d * 8, diff, s);
    if (j === 0) c.get(s).set(bestDist).i32Const(0).set(best);
    else c.get(s).get(bestDist).f64Lt().if().get(s).set(bestDist).i32Const(j).set(best).end();
  }
  emitAddress(c, LABELS, i, 4).get(best).i32Store();
  if (weighted) emitAddress(c, W, i, 8).f64Load().set(w);
  else c.f64Const(1).set(w);
  emitAddress(c, SIZES, best, 8).tee(addr);
  c.get(addr).f64Load().get(w).f64Add().f64Store();
  c.get(total).get(w).get(bestDist).f64Mul().f64Add().set(total);
  c.get(i).i32Const(1).i32Add().set(i);
  c.br(0).end().end();
  c.get(total);
  return c;
}

/**
 * means(n, x, c, mass, w, labels): each cluster's weighted sum of its rows into c and its weight into mass (both
 * zeroed by the caller), in row order, then each non-empty cluster's sum divided by its weight.
 */
function meansCode(d: number, k: number, weighted: boolean): Code {
  const [N, X, C, MASS, W, LABELS] = [0, 1, 2, 3, 4, 5];
  const c = new Code(6);
  const [i, off, at, addr] = [c.local(I32), c.local(I32), c.local(I32), c.local(I32)];
  const [w, m] = [c.local(F64), c.local(F64)];
  c.i32Const(0).set(i);
  c.block().loop();
  c.get(i).get(N).i32GeS().brIf(1);
  emitAddress(c, X, i, d * 8).set(off);
  if (weighted) emitAddress(c, W, i, 8).f64Load().set(w);
  else c.f64Const(1).set(w);
  // j = labels[i]; mass[j] += w; c[j·d + t] += w · x_t
  emitAddress(c, LABELS, i, 4).i32Load().set(at);
  emitAddress(c, MASS, at, 8).tee(addr);
  c.get(addr).f64Load().get(w).f64Add().f64Store();
  emitAddress(c, C, at, d * 8).set(at);
  for (let t = 0; t < d; t++) {
    c.get(at);
    c.get(at)
      .f64Load(t * 8)
      .get(w)
      .get(off)
      .f64Load(t * 8)
      .f64Mul()
      .f64Add()
      .f64Store(t * 8);
  }
  c.get(i).i32Const(1).i32Add().set(i);
  c.br(0).end().end();
  for (let j = 0; j < k; j++) {
    // if (mass[j] > 0) c[j·d + t] /= mass[j]
    c.get(MASS)
      .f64Load(j * 8)
      .tee(m)
      .f64Const(0)
      .f64Gt()
      .if();
    for (let t = 0; t < d; t++) {
      c.get(C);
      c.get(C)
        .f64Load((j * d + t) * 8)
        .get(m)
        .f64Div()
        .f64Store((j * d + t) * 8);
    }
    c.end();
  }
  return c;
}

/**
 * sweep(n, x, c, mass, w, labels, dist, relativeGain) -> rows moved: one pass of Hartigan's single-row moves,
 * as hartigan-loops.ts' `JsRefineLoops.sweep` writes it.
 */
function sweepCode(d: number, k: number, weighted: boolean): Code {
  const [N, X, C, MASS, W, LABELS, DIST, GAIN] = [0, 1, 2, 3, 4, 5, 6, 7];
  const c = new Code(8);
  const i32 = () => c.local(I32);
  const f64 = () => c.local(F64);
  const [i, off, a, best, moved, addr, aAt, bAt] = [i32(), i32(), i32(), i32(), i32(), i32(), i32(), i32()];
  const [w, wa, wb, diff, s, bestCost, cost, v] = [f64(), f64(), f64(), f64(), f64(), f64(), f64(), f64()];
  const x = Array.from({ length: d }, () => c.local(F64));
  const dist = (j: number) => c.get(DIST).f64Load(j * 8);
  c.i32Const(0).set(moved);
  c.i32Const(0).set(i);
  c.block().loop();
  c.get(i).get(N).i32GeS().brIf(1);
  // One row, inside a block that `continue` leaves.
  c.block();
  emitAddress(c, X, i, d * 8).set(off);
  emitAddress(c, LABELS, i, 4).i32Load().set(a);
  if (weighted) emitAddress(c, W, i, 8).f64Load().set(w);
  else c.f64Const(1).set(w);
  emitAddress(c, MASS, a, 8).f64Load().set(wa);
  // if (wa - w <= 0) continue;
  c.get(wa).get(w).f64Sub().f64Const(0).f64Gt().i32Eqz().brIf(0);
  for (let t = 0; t < d; t++)
    c.get(off)
      .f64Load(t * 8)
      .set(x[t]!);
  for (let j = 0; j < k; j++) {
    c.get(DIST);
    emitSquaredDistance(c, x, C, j * d * 8, diff, s);
    c.get(s).f64Store(j * 8);
  }
  // bestCost = ((wa * w) / (wa - w)) * dist[a] * (1 - relativeGain); best = -1
  c.get(wa).get(w).f64Mul().get(wa).get(w).f64Sub().f64Div();
  emitAddress(c, DIST, a, 8).f64Load().f64Mul();
  c.f64Const(1).get(GAIN).f64Sub().f64Mul().set(bestCost);
  c.i32Const(-1).set(best);
  for (let b = 0; b < k; b++) {
    // if (b !== a) { cost = wb === 0 ? 0 : ((wb * w) / (wb + w)) * dist[b]; if (cost < bestCost) … }
    c.get(a).i32Const(b).i32Ne().if();
    c.get(MASS)
      .f64Load(b * 8)
      .set(wb);
    c.f64Const(0);
    c.get(wb).get(w).f64Mul().get(wb).get(w).f64Add().f64Div();
    dist(b).f64Mul();
    c.get(wb).f64Const(0).f64Eq().select().set(cost);
    c.get(cost).get(bestCost).f64Lt().if().get(cost).set(bestCost).i32Const(b).set(best).end();
    c.end();
  }
  // if (best < 0) continue;
  c.get(best).i32Const(0).i32LtS().brIf(0);
  emitAddress(c, MASS, best, 8).f64Load().set(wb);
  emitAddress(c, C, a, d * 8).set(aAt);
  emitAddress(c, C, best, d * 8).set(bAt);
  for (let t = 0; t < d; t++) {
    c.get(off)
      .f64Load(t * 8)
      .set(v);
    // c[a·d + t] = (c[a·d + t] * wa - w * v) / (wa - w)
    c.get(aAt);
    c.get(aAt)
      .f64Load(t * 8)
      .get(wa)
      .f64Mul()
      .get(w)
      .get(v)
      .f64Mul()
      .f64Sub();
    c.get(wa)
      .get(w)
      .f64Sub()
      .f64Div()
      .f64Store(t * 8);
    // c[best·d + t] = (c[best·d + t] * wb + w * v) / (wb + w)
    c.get(bAt);
    c.get(bAt)
      .f64Load(t * 8)
      .get(wb)
      .f64Mul()
      .get(w)
      .get(v)
      .f64Mul()
      .f64Add();
    c.get(wb)
      .get(w)
      .f64Add()
      .f64Div()
      .f64Store(t * 8);
  }
  emitAddress(c, MASS, a, 8).tee(addr);
  c.get(wa).get(w).f64Sub().f64Store();
  emitAddress(c, MASS, best, 8).tee(addr);
  c.get(wb).get(w).f64Add().f64Store();
  emitAddress(c, LABELS, i, 4).get(best).i32Store();
  c.get(moved).i32Const(1).i32Add().set(moved);
  c.end(); // the row's block
  c.get(i).i32Const(1).i32Add().set(i);
  c.br(0).end().end();
  c.get(moved);
  return c;
}

function hartiganModule(d: number, k: number, weighted: boolean): WebAssembly.Module {
  const key = `${d}x${k}${weighted ? "w" : ""}`;
  let module = modules.get(key);
  if (module === undefined) {
    const bytes = moduleBytes(
      [
        { name: "nearest", params: Array(6).fill(I32), results: [F64], code: nearestCode(d, k, weighted) },
        { name: "means", params: Array(6).fill(I32), results: [], code: meansCode(d, k, weighted) },
        {
          name: "sweep",
          params: [...Array(7).fill(I32), F64],
          results: [I32],
          code: sweepCode(d, k, weighted),
        },
      ],
      { shared: false, maxPages: 65536 },
    );
    module = new WebAssembly.Module(bytes);
    modules.set(key, module);
  }
  return module;
}

/**
 * One refinement's loops and memory: the rows (copied once), the centres, the cluster weights, the labels, the
 * weights; `centres`, `mass`, `sizes` and `labels` are views into it, read and written between calls.
 */
export class WasmRefineLoops implements RefineLoops {
  readonly centres: Float64Array;
  readonly mass: Float64Array;
  readonly sizes: Float64Array;
  readonly labels: Int32Array;
  readonly #n: number;
  readonly #at: {
    x: number;
    c: number;
    mass: number;
    sizes: number;
    dist: number;
    w: number;
    labels: number;
  };
  readonly #nearest: (...args: number[]) => number;
  readonly #means: (...args: number[]) => number;
  readonly #sweep: (...args: number[]) => number;

  constructor(x: Matrix, k: number, weights: Float64Array | undefined) {
    const { rows: n, cols: d } = x;
    const memory = kernelMemory();
    const placed = mustPlaceRegions(
      memory,
      [n * d * 8, k * d * 8, k * 8, k * 8, k * 8, weights === undefined ? 0 : n * 8, n * 4],
      `Hartigan's moves over ${n} rows`,
    );
    const [xAt, c, mass, sizes, dist, w, labels] = placed.at;
    const at = { x: xAt, c, mass, sizes, dist, w, labels };
    const heap = placed.buffer;
    new Float64Array(heap, at.x, n * d).set(x.data.subarray(0, n * d));
    if (weights !== undefined) new Float64Array(heap, at.w, n).set(weights);
    this.centres = new Float64Array(heap, at.c, k * d);
    this.mass = new Float64Array(heap, at.mass, k);
    this.sizes = new Float64Array(heap, at.sizes, k);
    this.labels = new Int32Array(heap, at.labels, n);
    const exports = new WebAssembly.Instance(hartiganModule(d, k, weights !== undefined), { env: { memory } })
      .exports as Record<string, (...args: number[]) => number>;
    this.#nearest = exports["nearest"]!;
    this.#means = exports["means"]!;
    this.#sweep = exports["sweep"]!;
    this.#n = n;
    this.#at = at;
  }

  /** Labels every row with its nearest of `centres` (zeroing and filling `sizes`); returns Σ w·d². */
  nearest(): number {
    this.sizes.fill(0);
    const at = this.#at;
    return this.#nearest(this.#n, at.x, at.c, at.sizes, at.w, at.labels);
  }

  /** Each cluster's (weighted) mean under `labels` into `centres`, its weight into `mass`. */
  means(): void {
    this.centres.fill(0);
    this.mass.fill(0);
    const at = this.#at;
    this.#means(this.#n, at.x, at.c, at.mass, at.w, at.labels);
  }

  /** One sweep of single-row moves over `centres`, `mass` and `labels`; returns the rows moved. */
  sweep(relativeGain: number): number {
    const at = this.#at;
    return this.#sweep(this.#n, at.x, at.c, at.mass, at.w, at.labels, at.dist, relativeGain);
  }
}
