/**
 * WebAssembly versions of the Lloyd row loops of hamerly.ts, generated per (d, k) with src/wasm/assembler.ts.
 * They compute exactly what the JavaScript loops compute — the same IEEE operations in the same order, the
 * same strict `<` with ties to the lowest index, the same float32 bound rounding, sums added in row order —
 * so a pass gives the same bits in either language (test/kmeans/wasm-kernels.test.ts checks it).
 *
 * The search of every centre takes two rows at once in f64x2 lanes and keeps (best, second, index) with
 * lane-wise compares and `v128.bitselect`: no branch per centre. In JavaScript, V8 turns each comparison into
 * a branch that mispredicts about every other time on overlapping clusters; measured on 1M × 5, k = 7, one
 * thread: the arithmetic alone 14 ns per row, the JavaScript search 34–37 ns per row.
 *
 * Memory: every array lives in one WebAssembly memory (see wasm-workspace.ts); the kernels take byte
 * offsets. The instructions shared by the passes (the search, the per-row updates) are wasm-kernel-writer.ts's.
 * @module
 */
import { F64, I32, moduleBytes, type WasmFunction } from "../wasm/assembler.js";
import { MARGIN } from "./bounds.js";
import { KernelWriter } from "./wasm-kernel-writer.js";

/**
 * `full(x, centres, labels, lower, upper, sums, counts, start, end, result)`: hamerly.ts's "full" pass with
 * fused sums over rows [start, end): nearest centre, labels, float32 bounds, each row added to its
 * cluster's sums and count in row order; [inertia, changed] as f64 at `result`.
 */
function fullPass(d: number, k: number): WasmFunction {
  const w = new KernelWriter(d, k, [
    "x",
    "centres",
    "labels",
    "lower",
    "upper",
    "sums",
    "counts",
    "start",
    "end",
    "result",
  ]);
  const { code } = w;
  const i = code.local(I32);
  const end = code.local(I32);
  w.loadCentres();
  w.p("start").set(i);
  w.p("end").set(end);
  const rowOf = (slot: number, lane: 0 | 1, target: number) => {
    code.get(slot);
    if (lane === 1) code.i32Const(1).i32Add();
    code.set(target);
  };
  w.searchPairs(i, end, rowOf, true);
  w.writeResult(true);
  return w.done("full");
}

/**
 * `bounded(x, centres, half, drift, move, labels, lower, upper, work, start, end, result)`: hamerly.ts's
 * "bounded" pass without sums over rows [start, end). First every row's bound tests (on its upper bound
 * moved with its centre, then on its exact distance); the rows that fail them are listed at `work` (i32
 * from element `start` on) and then searched two at a time. The search and the updates are the full pass's,
 * so each row gets the same label and bounds as in JavaScript. [NaN, changed, rows searched, rows whose exact
 * distance was computed] at `result`.
 */
function boundedPass(d: number, k: number): WasmFunction {
  const w = new KernelWriter(d, k, [
    "x",
    "centres",
    "half",
    "drift",
    "move",
    "labels",
    "lower",
    "upper",
    "work",
    "start",
    "end",
    "result",
  ]);
  const { code } = w;
  const r = code.local(I32);
  const listed = code.local(I32);
  const previous = code.local(I32);
  const bound = code.local(F64);
  const m = code.local(F64);
  const u = code.local(F64);
  const own = code.local(F64);
  const q = code.local(I32);
  const listEnd = code.local(I32);
  const tested = code.local(I32);
  // Lists row `r` for the search.
  const list = () => {
    w.p("work").get(listed).i32Const(4).i32Mul().i32Add().get(r).i32Store();
    code.get(listed).i32Const(1).i32Add().set(listed);
  };
  const skipTest = (value: number, scale: number, squared: boolean) => {
    // m > 0 && value · scale < m (or < m·m for a squared value)
    code.get(m).f64Const(0).f64Gt();
    code.get(value).f64Const(scale).f64Mul().get(m);
    if (squared) code.get(m).f64Mul();
    code.f64Lt().i32And();
  };
  w.p("start").tee(r).set(listed);
  code.block().loop();
  code.get(r);
  w.p("end").i32GeS().brIf(1);
  code.block();
  w.at("labels", r, 4).i32Load().tee(previous).i32Const(0).i32LtS().if();
  list();
  code.br(1).end();
  // bound = lower − drift[previous]; m = bound > half[previous] ? bound : half[previous]
  w.at("lower", r, 4).f32Load().f64PromoteF32();
  w.at("drift", previous, 8).f64Load().f64Sub().set(bound);
  code.get(bound);
  w.at("half", previous, 8).f64Load();
  code.get(bound);
  w.at("half", previous, 8).f64Load().f64Gt().select().set(m);
  // Skip on the upper bound moved with its centre, without reading the row.
  w.at("upper", r, 4).f32Load().f64PromoteF32();
  w.at("move", previous, 8).f64Load().f64Add().set(u);
  skipTest(u, MARGIN, false);
  code.if();
  w.storeUpper(r, () => code.get(u));
  w.storeLower(r, () => code.get(bound));
  code.br(1).end();
  // Skip on the exact distance to the own centre.
  code.get(tested).i32Const(1).i32Add().set(tested);
  w.squaredDistance(r, previous, own);
  skipTest(own, MARGIN * MARGIN, true);
  code.if();
  w.storeUpper(r, () => code.get(own).f64Sqrt());
  w.storeLower(r, () => code.get(bound));
  code.br(1).end();
  list();
  code.end();
  code.get(r).i32Const(1).i32Add().set(r);
  code.br(0).end().end();

  // The listed rows, two at a time (an odd last one in both lanes).
  w.loadCentres();
  w.p("start").set(q);
  code.get(listed).set(listEnd);
  const listedRow = (slot: number, lane: 0 | 1, target: number) =>
    w
      .p("work")
      .get(slot)
      .i32Const(4)
      .i32Mul()
      .i32Add()
      .i32Load(lane * 4)
      .set(target);
  w.searchPairs(q, listEnd, listedRow, false);
  code.get(listEnd);
  w.p("start").i32Sub().set(listEnd);
  w.writeResult(false, listEnd, tested);
  return w.done("bounded");
}

/** `sums(x, labels, sums, counts, start, end)`: adds rows [start, end) to their labels' sums, in row order. */
function sumsPass(d: number, k: number): WasmFunction {
  const w = new KernelWriter(d, k, ["x", "labels", "sums", "counts", "start", "end"]);
  const { code } = w;
  const r = code.local(I32);
  const label = code.local(I32);
  w.p("start").set(r);
  code.block().loop();
  code.get(r);
  w.p("end").i32GeS().brIf(1);
  w.at("labels", r, 4).i32Load().set(label);
  w.accumulate(r, label);
  code.get(r).i32Const(1).i32Add().set(r);
  code.br(0).end().end();
  return w.done("sums");
}

/**
 * `settle(x, centres, labels, sums, counts, start, end, result)`: the sums and counts of rows [start, end)
 * as `sums` adds them, and their inertia: each row's squared distance to its labelled centre, computed as
 * the search computes it and added in row order — what hamerly.ts's "exact" pass sums. result[0] = inertia.
 */
function settlePass(d: number, k: number): WasmFunction {
  const w = new KernelWriter(d, k, ["x", "centres", "labels", "sums", "counts", "start", "end", "result"]);
  const { code } = w;
  const r = code.local(I32);
  const label = code.local(I32);
  const own = code.local(F64);
  w.p("start").set(r);
  code.block().loop();
  code.get(r);
  w.p("end").i32GeS().brIf(1);
  w.at("labels", r, 4).i32Load().set(label);
  w.accumulate(r, label);
  w.squaredDistance(r, label, own);
  code.get(w.inertia).get(own).f64Add().set(w.inertia);
  code.get(r).i32Const(1).i32Add().set(r);
  code.br(0).end().end();
  w.p("result").get(w.inertia).f64Store();
  return w.done("settle");
}

/** The module of kernels for (d, k): `full`, `bounded`, `sums` and `settle`, importing a shared memory. */
export function kernelModuleBytes(d: number, k: number): Uint8Array<ArrayBuffer> {
  // Shared, so worker threads run the same instance code over one memory; 65536 pages = wasm32's 4 GiB.
  return moduleBytes([fullPass(d, k), boundedPass(d, k), sumsPass(d, k), settlePass(d, k)], {
    shared: true,
    maxPages: 65536,
  });
}
