/**
 * The silhouette's pair loop (metrics.ts' `pairSums`) in WebAssembly, generated per d with src/wasm/assembler.ts.
 * Why: the silhouette runs once per run (5.2 million pairs for the census), so the JavaScript loop ran cold:
 * its first pass allocated 13 MB of boxed doubles before V8 had optimised it (34–43 ms in a fresh process,
 * 16 warm, even compiled per d); this kernel, compiled before it runs and called in short pieces, takes 16
 * (13 warm). The same IEEE operations in the same order as the JavaScript loop (first term assigned, the rest
 * added in t order; sqrt; the running sums), so the sums are bit-identical (test/kmeans/metrics.test.ts).
 * @module
 */
import { Code, emitAddress, F64, I32, moduleBytes, V128 } from "../wasm/assembler.js";
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

/** Rows of a cluster per call (see wasmPairSums). */
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

function pairSumsModule(d: number): WebAssembly.Module {
  let module = modules.get(d);
  if (module === undefined) {
    const code = pairSumsCode(d);
    const bytes = moduleBytes([{ name: "pairSums", params: Array(11).fill(I32), results: [], code }], {
      shared: false,
      maxPages: 65536,
    });
    module = new WebAssembly.Module(bytes);
    modules.set(d, module);
  }
  return module;
}

/**
 * Fills `sums[r * m + c]` with the sum of distances from row r to the rows of cluster c, for rows `Y` (n × d,
 * in cluster order: cluster c is rows starts[c]..starts[c + 1]). `sums` must be zeros. d ≤ WASM_PAIR_SUMS_MAX_D.
 */
export function wasmPairSums(
  Y: Float64Array,
  n: number,
  d: number,
  starts: Int32Array,
  m: number,
  sums: Float64Array,
): void {
  const yBytes = n * d * 8;
  const ytAt = yBytes;
  const sumsAt = ytAt + yBytes;
  const colAt = sumsAt + n * m * 8;
  const startsAt = colAt + n * 8;
  const bytes = startsAt + (m + 1) * 4;
  const pages = Math.max(1, Math.ceil(bytes / 65536));
  const memory = new WebAssembly.Memory({ initial: pages, maximum: pages });
  const heap = memory.buffer;
  new Float64Array(heap, 0, n * d).set(Y.subarray(0, n * d));
  const yt = new Float64Array(heap, ytAt, n * d);
  for (let r = 0; r < n; r++) for (let t = 0; t < d; t++) yt[t * n + r] = Y[r * d + t]!;
  new Int32Array(heap, startsAt, m + 1).set(starts.subarray(0, m + 1));
  const instance = new WebAssembly.Instance(pairSumsModule(d), { env: { memory } });
  const kernel = instance.exports["pairSums"] as (...args: number[]) => void;
  // Many short calls, not one: V8 runs a WebAssembly function first as Liftoff's quick code and swaps in its
  // optimised code only between calls, so one call for everything ran unoptimised (the census' pair sums: 38 ms
  // in the run, 26 in a fresh process, against 14 warm; 18 in a fresh process by cluster).
  for (let a = 0; a < m; a++) {
    const aEnd = starts[a + 1]!;
    for (let i = starts[a]!; i < aEnd; i += CALL_ROWS) {
      const iTo = Math.min(aEnd, i + CALL_ROWS);
      kernel(0, ytAt, startsAt, sumsAt, colAt, n, m, a, i, iTo, iTo === aEnd ? 1 : 0);
    }
    if (starts[a]! === aEnd) kernel(0, ytAt, startsAt, sumsAt, colAt, n, m, a, aEnd, aEnd, 1);
  }
  sums.set(new Float64Array(heap, sumsAt, n * m));
}
