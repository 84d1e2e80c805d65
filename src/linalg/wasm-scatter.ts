/**
 * The scatter kernel's arithmetic (scatter.ts) in WebAssembly, a panel of rows at a time: the column sums of a
 * mean, and each panel centred into its column-major buffer and multiplied out in 4×4 tiles, with the same
 * operations in the same order as the JavaScript it replaced, so the scatter has the same bits (test/linalg/
 * scatter.test.ts holds it to the JavaScript rule). Why: an exact PCA computes its scatter once per fit, so
 * the JavaScript loops ran unoptimised (the census' 3,218 × 34 in 8.5 ms in a fresh process, 1.5 warm, and
 * megabytes of boxed doubles for the collector); WebAssembly is compiled before it runs. Rows are copied in a
 * panel at a time, so a table of any size needs no second copy of itself.
 * @module
 */
import { Code, emitAddress, F64, I32, moduleBytes } from "../wasm/assembler.js";
import { kernelMemory, mustPlaceRegions, type Placed } from "../wasm/memory.js";

const TILE = 4;

/** sums(rows, count, d, out): out[j] += row[j] for each of the `count` rows at `rows`, in row order. */
function sumsCode(): Code {
  const [ROWS, COUNT, D, OUT] = [0, 1, 2, 3];
  const c = new Code(4);
  const [r, j, src, addr] = [c.local(I32), c.local(I32), c.local(I32), c.local(I32)];
  c.i32Const(0).set(r);
  c.block().loop();
  c.get(r).get(COUNT).i32GeS().brIf(1);
  c.get(r).get(D).i32Mul().set(src);
  c.i32Const(0).set(j);
  c.block().loop();
  c.get(j).get(D).i32GeS().brIf(1);
  emitAddress(c, OUT, j, 8).tee(addr);
  c.get(addr).f64Load();
  c.get(src).get(j).i32Add().set(addr);
  emitAddress(c, ROWS, addr, 8).f64Load().f64Add().f64Store();
  c.get(j).i32Const(1).i32Add().set(j);
  c.br(0).end().end();
  c.get(r).i32Const(1).i32Add().set(r);
  c.br(0).end().end();
  return c;
}

/**
 * panel(rows, count, d, shift, panel, p, dp, acc): the `count` rows at `rows` centred on `shift` into the
 * panel's columns (column j at panel + j·p·8; columns d..dp stay 0), then for every 4×4 tile of the upper
 * triangle, acc[i][j] += Σ over the panel's rows of column i × column j, each of the 16 sums from 0 in row
 * order and added into acc once (scatter.ts' `tile`).
 */
function panelCode(): Code {
  const [ROWS, COUNT, D, SHIFT, PANEL, P, DP, ACC] = [0, 1, 2, 3, 4, 5, 6, 7];
  const c = new Code(8);
  const i32 = () => c.local(I32);
  const [r, j, i0, j0, o, addr] = [i32(), i32(), i32(), i32(), i32(), i32()];
  const a = [i32(), i32(), i32(), i32()];
  const b = [i32(), i32(), i32(), i32()];
  const s = Array.from({ length: TILE * TILE }, () => c.local(F64));
  const v = Array.from({ length: TILE }, () => c.local(F64));
  const u = c.local(F64);
  // panel[j·p + r] = rows[r·d + j] − shift[j]
  c.i32Const(0).set(r);
  c.block().loop();
  c.get(r).get(COUNT).i32GeS().brIf(1);
  c.i32Const(0).set(j);
  c.block().loop();
  c.get(j).get(D).i32GeS().brIf(1);
  c.get(j).get(P).i32Mul().get(r).i32Add().set(addr);
  emitAddress(c, PANEL, addr, 8);
  c.get(r).get(D).i32Mul().get(j).i32Add().set(addr);
  emitAddress(c, ROWS, addr, 8).f64Load();
  emitAddress(c, SHIFT, j, 8).f64Load();
  c.f64Sub().f64Store();
  c.get(j).i32Const(1).i32Add().set(j);
  c.br(0).end().end();
  c.get(r).i32Const(1).i32Add().set(r);
  c.br(0).end().end();
  // for (i0 = 0; i0 < dp; i0 += 4) for (j0 = i0; j0 < dp; j0 += 4) tile
  c.i32Const(0).set(i0);
  c.block().loop();
  c.get(i0).get(DP).i32GeS().brIf(1);
  c.get(i0).set(j0);
  c.block().loop();
  c.get(j0).get(DP).i32GeS().brIf(1);
  // a_k = column i0 + k, b_k = column j0 + k: byte addresses of their first row
  for (let k = 0; k < TILE; k++) {
    c.get(i0).i32Const(k).i32Add().get(P).i32Mul().set(addr);
    emitAddress(c, PANEL, addr, 8).set(a[k]!);
    c.get(j0).i32Const(k).i32Add().get(P).i32Mul().set(addr);
    emitAddress(c, PANEL, addr, 8).set(b[k]!);
  }
  for (const sum of s) c.f64Const(0).set(sum);
  c.i32Const(0).set(r);
  c.block().loop();
  c.get(r).get(COUNT).i32GeS().brIf(1);
  c.get(r).i32Const(8).i32Mul().set(o);
  for (let k = 0; k < TILE; k++) c.get(b[k]!).get(o).i32Add().f64Load().set(v[k]!);
  for (let row = 0; row < TILE; row++) {
    c.get(a[row]!).get(o).i32Add().f64Load().set(u);
    for (let col = 0; col < TILE; col++) {
      const sum = s[row * TILE + col]!;
      c.get(sum).get(u).get(v[col]!).f64Mul().f64Add().set(sum);
    }
  }
  c.get(r).i32Const(1).i32Add().set(r);
  c.br(0).end().end();
  // acc[(i0 + row)·dp + j0 + col] += s[row][col]
  for (let row = 0; row < TILE; row++) {
    c.get(i0).i32Const(row).i32Add().get(DP).i32Mul().get(j0).i32Add().set(addr);
    emitAddress(c, ACC, addr, 8).set(o);
    for (let col = 0; col < TILE; col++) {
      c.get(o);
      c.get(o)
        .f64Load(col * 8)
        .get(s[row * TILE + col]!)
        .f64Add()
        .f64Store(col * 8);
    }
  }
  c.get(j0).i32Const(TILE).i32Add().set(j0);
  c.br(0).end().end();
  c.get(i0).i32Const(TILE).i32Add().set(i0);
  c.br(0).end().end();
  return c;
}

let module: WebAssembly.Module | undefined;

function scatterModule(): WebAssembly.Module {
  module ??= new WebAssembly.Module(
    moduleBytes(
      [
        { name: "sums", params: Array(4).fill(I32), results: [], code: sumsCode() },
        { name: "panel", params: Array(8).fill(I32), results: [], code: panelCode() },
      ],
      { shared: false, maxPages: 65536 },
    ),
  );
  return module;
}

/** One thread's kernels and memory, grown to the largest panel asked for so far. */
class ScatterKernels {
  readonly #memory = kernelMemory();
  readonly #exports = new WebAssembly.Instance(scatterModule(), { env: { memory: this.#memory } })
    .exports as Record<"sums" | "panel", (...args: number[]) => void>;

  /** The memory laid out as `regions`, the bytes before the last one zeroed. */
  #place<const R extends readonly number[]>(regions: R): Placed<R> {
    const placed = mustPlaceRegions(this.#memory, regions, "The PCA scatter");
    new Uint8Array(placed.buffer, 0, placed.at.at(-1)).fill(0);
    return placed;
  }

  /** out ← column sums of rows start ≤ i < end of X (row-major, d columns), in row order. */
  columnSums(X: Float64Array, d: number, start: number, end: number, out: Float64Array): void {
    const chunkRows = Math.max(1, Math.floor(32_768 / Math.max(1, d)));
    const { buffer: heap, at } = this.#place([d * 8, Math.min(end - start, chunkRows) * d * 8]);
    const [sumsAt, rowsAt] = at;
    const sums = new Float64Array(heap, sumsAt, d);
    for (let s0 = start; s0 < end; s0 += chunkRows) {
      const count = Math.min(chunkRows, end - s0);
      new Float64Array(heap, rowsAt, count * d).set(X.subarray(s0 * d, (s0 + count) * d));
      this.#exports.sums(rowsAt, count, d, sumsAt);
    }
    out.set(sums);
  }

  /**
   * acc (dp × dp, row-major, returned) ← Σ over the panels of rows start ≤ i < end of their tiles, rows
   * centred on `shift`; panels of p rows, columns padded to dp.
   */
  panelTiles(
    X: Float64Array,
    d: number,
    start: number,
    end: number,
    shift: Float64Array,
    p: number,
    dp: number,
  ): Float64Array {
    const { buffer: heap, at } = this.#place([dp * dp * 8, dp * p * 8, d * 8, p * d * 8]);
    const [accAt, panelAt, shiftAt, rowsAt] = at;
    new Float64Array(heap, shiftAt, d).set(shift);
    for (let s0 = start; s0 < end; s0 += p) {
      const count = Math.min(p, end - s0);
      new Float64Array(heap, rowsAt, count * d).set(X.subarray(s0 * d, (s0 + count) * d));
      this.#exports.panel(rowsAt, count, d, shiftAt, panelAt, p, dp, accAt);
    }
    return new Float64Array(heap, accAt, dp * dp).slice();
  }
}

let kernels: ScatterKernels | undefined;

/** scatter.ts' kernels on this thread's WebAssembly memory (made on first use). */
export function scatterKernels(): ScatterKernels {
  kernels ??= new ScatterKernels();
  return kernels;
}
