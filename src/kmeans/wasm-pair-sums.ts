/**
 * The silhouette (metrics.ts' `silhouetteTotal`: the rows put in cluster order, the pair loop `pairSums`, the
 * rows' scores) in WebAssembly, generated per d with src/wasm/assembler.ts.
 * Why: the silhouette runs once per run (5.2 million pairs for the census), so the JavaScript loop ran cold:
 * its first pass allocated 13 MB of boxed doubles before V8 had optimised it (34–43 ms in a fresh process,
 * 16 warm, even compiled per d); this kernel, compiled before it runs and called in short pieces, takes 16
 * (13 warm). The same IEEE operations in the same order as the JavaScript loop (first term assigned, the rest
 * added in t order; sqrt; the running sums), so the sums are bit-identical (test/kmeans/metrics.test.ts).
 * @module
 */
import { Code, emitAddress, F64, I32, moduleBytes, V128 } from "../wasm/assembler.js";
import { kernelMemory, mustPlaceRegions } from "../wasm/memory.js";
import { emitSquaredDistance } from "./wasm-emit.js";

/** Rows wider than this keep the JavaScript loop (the kernel holds a row's values in locals). */
export const WASM_PAIR_SUMS_MAX_D = 64;

/**
 * Parameters: byte offsets of Y (n × d f64), Yᵀ (d × n f64: the same values by column, so two rows' values of a
 * column are adjacent), starts ((m + 1) i32), sums (n × m f64), col (n f64); n; m; then cluster a, the rows
 * [iFrom, iTo) of it whose pairs this call visits, and whether the call ends cluster a (then col is added into
 * sums and cleared). The caller walks the clusters and their rows in order.
 */
const [Y, YT, STARTS, SUMS, COL, N, M, A, I_FROM, I_TO, ENDS_A] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10];

/** Rows of a cluster per call of the pair loop (see wasmSilhouetteTotal). */
const CALL_ROWS = 64;

const modules = new Map<number, WebAssembly.Module>();

/**
 * The kernel's code for rows of width d, mirroring the JavaScript loop statement by statement. Its pairs go two
 * at a time in 128-bit lanes (rows j and j + 1 against row i): each lane does the scalar operations in the
 * scalar order, so every distance has the same bits, and the lanes keep the loop's two running sums.
 */
function pairSumsCode(d: number): Code {
  const c = new Code(11);
  const i32 = () => c.local(I32);
  const f64 = () => c.local(F64);
  const v128 = () => c.local(V128);
  const a = A;
  const [i, j, b, end, oi, oj, si, addr, j8] = [
    i32(),
    i32(),
    i32(),
    i32(),
    i32(),
    i32(),
    i32(),
    i32(),
    i32(),
  ];
  const [acc, s, diff, dist] = [f64(), f64(), f64(), f64()];
  const [acc2, s2, diff2, dist2] = [v128(), v128(), v128(), v128()];
  const x = Array.from({ length: d }, f64);
  const x2 = Array.from({ length: d }, v128);
  // column t of Yᵀ starts at YT + t·n·8
  const column = Array.from({ length: d }, i32);
  const startAt = (index: number, plus: number) => emitAddress(c, STARTS, index, 4).i32Load(plus * 4);
  column.forEach((at, t) => {
    c.get(YT)
      .get(N)
      .i32Const(t * 8)
      .i32Mul()
      .i32Add()
      .set(at);
  });
  // for (let i = iFrom; i < iTo; i++), the rows of cluster a
  c.get(I_FROM).set(i);
  c.block().loop();
  c.get(i).get(I_TO).i32GeS().brIf(1);
  emitAddress(c, Y, i, d * 8).set(oi);
  for (let t = 0; t < d; t++) {
    c.get(oi)
      .f64Load(t * 8)
      .set(x[t]!);
    c.get(x[t]!).f64x2Splat().set(x2[t]!);
  }
  c.get(SUMS).get(i).get(M).i32Mul().i32Const(8).i32Mul().i32Add().set(si);
  c.get(i).i32Const(1).i32Add().set(j);
  // for (let b = a; b < m; b++)
  c.get(a).set(b);
  c.block().loop();
  c.get(b).get(M).i32GeS().brIf(1);
  startAt(b, 1).set(end);
  c.v128Const([0, 0]).set(acc2);
  // for (; j + 1 < end; j += 2): rows j and j + 1
  c.block().loop();
  c.get(j).i32Const(1).i32Add().get(end).i32GeS().brIf(1);
  c.get(j).i32Const(8).i32Mul().set(j8);
  column.forEach((at, t) => {
    c.get(x2[t]!).get(at).get(j8).i32Add().v128Load().f64x2Sub().set(diff2);
    if (t === 0) c.get(diff2).get(diff2).f64x2Mul().set(s2);
    else c.get(s2).get(diff2).get(diff2).f64x2Mul().f64x2Add().set(s2);
  });
  c.get(s2).f64x2Sqrt().set(dist2);
  c.get(acc2).get(dist2).f64x2Add().set(acc2);
  c.get(COL).get(j8).i32Add().tee(addr);
  c.get(addr).v128Load().get(dist2).f64x2Add().v128Store();
  c.get(j).i32Const(2).i32Add().set(j);
  c.br(0).end().end();
  // acc = lane 0 + lane 1, then the odd row left, if any
  c.get(acc2).f64x2ExtractLane(0).get(acc2).f64x2ExtractLane(1).f64Add().set(acc);
  c.get(j).get(end).i32LtS().if();
  emitAddress(c, Y, j, d * 8).set(oj);
  emitSquaredDistance(c, x, oj, 0, diff, s);
  c.get(s).f64Sqrt().set(dist);
  c.get(acc).get(dist).f64Add().set(acc);
  emitAddress(c, COL, j, 8).tee(addr);
  c.get(addr).f64Load().get(dist).f64Add().f64Store();
  c.get(j).i32Const(1).i32Add().set(j);
  c.end();
  // sums[si + b] += acc
  emitAddress(c, si, b, 8).tee(addr);
  c.get(addr).f64Load().get(acc).f64Add().f64Store();
  c.get(b).i32Const(1).i32Add().set(b);
  c.br(0).end().end();
  c.get(i).i32Const(1).i32Add().set(i);
  c.br(0).end().end();
  // At the end of cluster a: for (let j = starts[a]; j < n; j++) { sums[j * m + a] += col[j]; col[j] = 0; }
  c.get(ENDS_A).if();
  startAt(a, 0).set(j);
  c.block().loop();
  c.get(j).get(N).i32GeS().brIf(1);
  c.get(SUMS).get(j).get(M).i32Mul().get(a).i32Add().i32Const(8).i32Mul().i32Add().tee(addr);
  c.get(addr).f64Load();
  emitAddress(c, COL, j, 8).f64Load();
  c.f64Add().f64Store();
  emitAddress(c, COL, j, 8).f64Const(0).f64Store();
  c.get(j).i32Const(1).i32Add().set(j);
  c.br(0).end().end();
  c.end();
  return c;
}

/**
 * arrange(x, order, y, yt, n): row order[r] of x (n × d) to row r of y, and to column r of yᵀ (d × n): the rows
 * in cluster order, row-major and column-major.
 */
function arrangeCode(d: number): Code {
  const [X, ORDER, Y_, YT_, N_] = [0, 1, 2, 3, 4];
  const c = new Code(5);
  const [r, from, to, at] = [c.local(I32), c.local(I32), c.local(I32), c.local(I32)];
  const v = c.local(F64);
  c.i32Const(0).set(r);
  c.block().loop();
  c.get(r).get(N_).i32GeS().brIf(1);
  emitAddress(c, ORDER, r, 4).i32Load().set(from);
  emitAddress(c, X, from, d * 8).set(from);
  emitAddress(c, Y_, r, d * 8).set(to);
  emitAddress(c, YT_, r, 8).set(at);
  for (let t = 0; t < d; t++) {
    c.get(from)
      .f64Load(t * 8)
      .set(v);
    c.get(to)
      .get(v)
      .f64Store(t * 8);
    // yᵀ[t][r], at yt + (t·n + r)·8
    c.get(at).get(v).f64Store();
    if (t + 1 < d) c.get(at).get(N_).i32Const(8).i32Mul().i32Add().set(at);
  }
  c.get(r).i32Const(1).i32Add().set(r);
  c.br(0).end().end();
  return c;
}

/**
 * score(sums, starts, m) -> Σ over the rows of clusters with more than one row of (b − a) / max(a, b), a the
 * row's mean distance within its cluster and b the lowest mean to another, in cluster then row order (a row
 * with max(a, b) = 0 adds nothing): metrics.ts' `silhouetteTotal`, statement by statement.
 */
function scoreCode(): Code {
  const [SUMS_, STARTS_, M_] = [0, 1, 2];
  const c = new Code(3);
  const [cl, r, o, size, end, row] = [
    c.local(I32),
    c.local(I32),
    c.local(I32),
    c.local(I32),
    c.local(I32),
    c.local(I32),
  ];
  const [total, a, b, v, denom] = [c.local(F64), c.local(F64), c.local(F64), c.local(F64), c.local(F64)];
  const start = (index: number, plus: number) => emitAddress(c, STARTS_, index, 4).i32Load(plus * 4);
  c.f64Const(0).set(total);
  c.i32Const(0).set(cl);
  c.block().loop();
  c.get(cl).get(M_).i32GeS().brIf(1);
  start(cl, 1).set(end);
  c.get(end);
  start(cl, 0);
  c.i32Sub().set(size);
  // clusters of one row add nothing (s = 0)
  c.get(size).i32Const(1).i32GtS().if();
  start(cl, 0).set(r);
  c.block().loop();
  c.get(r).get(end).i32GeS().brIf(1);
  // row = (r·m)·8 + sums: the row's m sums
  c.get(r).get(M_).i32Mul().i32Const(8).i32Mul().get(SUMS_).i32Add().set(row);
  emitAddress(c, row, cl, 8).f64Load().get(size).i32Const(1).i32Sub().f64ConvertI32S().f64Div().set(a);
  c.f64Const(Number.POSITIVE_INFINITY).set(b);
  c.i32Const(0).set(o);
  c.block().loop();
  c.get(o).get(M_).i32GeS().brIf(1);
  c.get(o).get(cl).i32Ne().if();
  emitAddress(c, row, o, 8).f64Load();
  start(o, 1);
  start(o, 0);
  c.i32Sub().f64ConvertI32S().f64Div().set(v);
  c.get(b).get(v).f64Min().set(b);
  c.end();
  c.get(o).i32Const(1).i32Add().set(o);
  c.br(0).end().end();
  c.get(a).get(b).f64Max().set(denom);
  c.get(denom).f64Const(0).f64Gt().if();
  c.get(total).get(b).get(a).f64Sub().get(denom).f64Div().f64Add().set(total);
  c.end();
  c.get(r).i32Const(1).i32Add().set(r);
  c.br(0).end().end();
  c.end();
  c.get(cl).i32Const(1).i32Add().set(cl);
  c.br(0).end().end();
  c.get(total);
  return c;
}

function pairSumsModule(d: number): WebAssembly.Module {
  let module = modules.get(d);
  if (module === undefined) {
    const code = pairSumsCode(d);
    const bytes = moduleBytes(
      [
        { name: "pairSums", params: Array(11).fill(I32), results: [], code },
        { name: "arrange", params: Array(5).fill(I32), results: [], code: arrangeCode(d) },
        { name: "score", params: Array(3).fill(I32), results: [F64], code: scoreCode() },
      ],
      {
        shared: false,
        maxPages: 65536,
      },
    );
    module = new WebAssembly.Module(bytes);
    modules.set(d, module);
  }
  return module;
}

/**
 * metrics.ts' `silhouetteTotal` in WebAssembly: the rows of x (n × d) put in cluster order (`order`: the row at
 * each position; cluster c is positions starts[c]..starts[c + 1]), every pair's distance summed per row and
 * cluster, and the rows' scores added, the same operations in the same order. No cluster is empty (the
 * silhouette numbers its clusters by the labels present). d ≤ WASM_PAIR_SUMS_MAX_D.
 */
export function wasmSilhouetteTotal(
  X: Float64Array,
  order: Int32Array,
  n: number,
  d: number,
  starts: Int32Array,
  m: number,
): number {
  const memory = kernelMemory();
  const { buffer: heap, at } = mustPlaceRegions(
    memory,
    [n * d * 8, n * 4, n * d * 8, n * d * 8, n * m * 8, n * 8, (m + 1) * 4],
    `The silhouette of ${n} rows`,
  );
  const [xAt, orderAt, yAt, ytAt, sumsAt, colAt, startsAt] = at;
  new Float64Array(heap, xAt, n * d).set(X.subarray(0, n * d));
  new Int32Array(heap, orderAt, n).set(order.subarray(0, n));
  new Int32Array(heap, startsAt, m + 1).set(starts.subarray(0, m + 1));
  const exports = new WebAssembly.Instance(pairSumsModule(d), { env: { memory } }).exports as Record<
    "pairSums" | "arrange" | "score",
    (...args: number[]) => number
  >;
  exports.arrange(xAt, orderAt, yAt, ytAt, n);
  // Many short calls, not one: V8 runs a WebAssembly function first as Liftoff's quick code and swaps in its
  // optimised code only between calls, so one call for everything ran unoptimised (the census' pair sums: 38 ms
  // in the run, 26 in a fresh process, against 14 warm; 18 in a fresh process by cluster).
  for (let a = 0; a < m; a++) {
    const aEnd = starts[a + 1]!;
    for (let i = starts[a]!; i < aEnd; i += CALL_ROWS) {
      const iTo = Math.min(aEnd, i + CALL_ROWS);
      exports.pairSums(yAt, ytAt, startsAt, sumsAt, colAt, n, m, a, i, iTo, iTo === aEnd ? 1 : 0);
    }
  }
  return exports.score(sumsAt, startsAt, m);
}
