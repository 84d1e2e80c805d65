/**
 * Column kernels in WebAssembly. Statistics, one column at a time: for describe() (data/describe.ts), dropping NaN with
 * the column's min and max, the compensated (Neumaier) sums of the values and of their squared deviations, and
 * numpy's "linear" quantiles from order statistics found by quickselect (Hoare's FIND) instead of a sort; and
 * the median (linalg/median.ts) by the same quickselect. Why: a run describes 68 columns once each (the census'
 * raw and scaled features) and takes a median per segment and feature (238), so JavaScript loops ran before V8
 * had optimised them, and Float64Array's sort took 0.2 ms a column; 20–27 ms of a census run in a fresh
 * process for describe() alone. WebAssembly is compiled before it runs. Also the histograms' bin counts and
 * the transpose between a table's columns and a row-major matrix.
 *
 * The sums add the same values in the same order as the JavaScript they replaced (test/data/describe.test.ts'
 * `plainDescribe` writes that rule out), so the mean and the standard deviation are the same bits. The min and max are IEEE minimum and maximum (-0 below +0, as a sort puts them),
 * and the quantiles are the sorted array's (test/data/describe.test.ts); only the sign of a zero quantile can
 * differ, where a sort orders -0 before +0 and a partition treats them as one value.
 * @module
 */
import { Code, emitAddress, F64, I32, moduleBytes } from "../wasm/assembler.js";
import { kernelMemory, mustPlaceRegions, type Offsets, type Placed } from "../wasm/memory.js";

/** Byte offset of the values; the min and max are written at 0 and 8. */
const VALUES = 16;

/**
 * sum(m[, centre]) -> Σ of the first m values (or of their squared deviations from `centre`), in order, with
 * Neumaier's compensation.
 */
function sumCode(centred: boolean): Code {
  const [M, CENTRE] = [0, 1];
  const c = new Code(centred ? 2 : 1);
  const i = c.local(I32);
  const [sum, comp, v, t, d] = [c.local(F64), c.local(F64), c.local(F64), c.local(F64), c.local(F64)];
  c.f64Const(0).set(sum);
  c.f64Const(0).set(comp);
  c.i32Const(0).set(i);
  c.block().loop();
  c.get(i).get(M).i32GeS().brIf(1);
  load(c, i);
  if (centred) c.get(CENTRE).f64Sub().tee(d).get(d).f64Mul();
  c.set(v);
  c.get(sum).get(v).f64Add().set(t);
  // comp += |sum| >= |v| ? (sum - t) + v : (v - t) + sum
  c.get(comp);
  c.get(sum).get(t).f64Sub().get(v).f64Add();
  c.get(v).get(t).f64Sub().get(sum).f64Add();
  c.get(sum).f64Abs().get(v).f64Abs().f64Ge().select();
  c.f64Add().set(comp);
  c.get(t).set(sum);
  c.get(i).i32Const(1).i32Add().set(i);
  c.br(0).end().end();
  c.get(sum).get(comp).f64Add();
  return c;
}

/** Pushes the address-loaded value a[index] (index an i32 local). */
function load(c: Code, index: number): Code {
  return c.get(index).i32Const(8).i32Mul().f64Load(VALUES);
}

/**
 * Emits Hoare's FIND over the first m values (m an i32 local or parameter): afterwards a[k] is the k-th
 * smallest, no value before it is larger and none after it smaller. The same pivots and swaps as
 * the JavaScript quickselect it replaced (Hoare's, middle pivot).
 */
function emitSelect(c: Code, m: number, k: number): void {
  const [lo, hi, i, j] = [c.local(I32), c.local(I32), c.local(I32), c.local(I32)];
  const [pivot, v] = [c.local(F64), c.local(F64)];
  c.i32Const(0).set(lo);
  c.get(m).i32Const(1).i32Sub().set(hi);
  c.block().loop(); // $found, $narrow
  c.get(lo).get(hi).i32GeS().brIf(1);
  c.get(lo).get(hi).i32Add().i32Const(1).i32ShrU().i32Const(8).i32Mul().f64Load(VALUES).set(pivot);
  c.get(lo).set(i);
  c.get(hi).set(j);
  c.block().loop(); // $partitioned, $partition
  c.get(i).get(j).i32GtS().brIf(1);
  // while (a[i] < pivot) i++
  c.block().loop();
  load(c, i).get(pivot).f64Lt().i32Eqz().brIf(1);
  c.get(i).i32Const(1).i32Add().set(i);
  c.br(0).end().end();
  // while (a[j] > pivot) j--
  c.block().loop();
  load(c, j).get(pivot).f64Gt().i32Eqz().brIf(1);
  c.get(j).i32Const(1).i32Sub().set(j);
  c.br(0).end().end();
  c.get(i).get(j).i32LeS().if();
  load(c, i).set(v);
  c.get(i).i32Const(8).i32Mul();
  load(c, j).f64Store(VALUES);
  c.get(j).i32Const(8).i32Mul().get(v).f64Store(VALUES);
  c.get(i).i32Const(1).i32Add().set(i);
  c.get(j).i32Const(1).i32Sub().set(j);
  c.end();
  c.br(0).end().end();
  // if (k <= j) hi = j; else if (k >= i) lo = i; else found
  c.get(k).get(j).i32LeS().if().get(j).set(hi).br(1).end();
  c.get(k).get(i).i32GeS().if().get(i).set(lo).br(1).end();
  c.br(1);
  c.end().end();
}

/**
 * quantile(m, q) -> numpy's linear q-quantile of the first m values (m ≥ 1), which it reorders: virtual index
 * h = (m − 1) q, a = the ⌊h⌋-th smallest by quickselect, b = the next (the smallest value after it), then
 * `_lerp(a, b, h − ⌊h⌋)`, from b's side when that is at least 0.5 (numpy's rounding).
 */
function quantileCode(): Code {
  const [M, Q] = [0, 1];
  const c = new Code(2);
  const [i, k] = [c.local(I32), c.local(I32)];
  const f64 = () => c.local(F64);
  const [h, a, b, t, diff, v, result] = [f64(), f64(), f64(), f64(), f64(), f64(), f64()];
  c.get(M).i32Const(1).i32Sub().f64ConvertI32S().get(Q).f64Mul().set(h);
  c.get(h).i32TruncF64S().set(k);
  emitSelect(c, M, k);
  load(c, k).set(a);
  c.get(a).set(result);
  // when k + 1 < m: b, the smallest value after index k, and the interpolation
  c.get(k).i32Const(1).i32Add().get(M).i32LtS().if();
  c.f64Const(Number.POSITIVE_INFINITY).set(b);
  c.get(k).i32Const(1).i32Add().set(i);
  c.block().loop();
  c.get(i).get(M).i32GeS().brIf(1);
  load(c, i).tee(v).get(b).f64Lt().if().get(v).set(b).end();
  c.get(i).i32Const(1).i32Add().set(i);
  c.br(0).end().end();
  c.get(h).get(k).f64ConvertI32S().f64Sub().set(t);
  c.get(b).get(a).f64Sub().set(diff);
  // t >= 0.5 ? b - diff * (1 - t) : a + diff * t
  c.get(b).get(diff).f64Const(1).get(t).f64Sub().f64Mul().f64Sub();
  c.get(a).get(diff).get(t).f64Mul().f64Add();
  c.get(t).f64Const(0.5).f64Ge().select().set(result);
  c.end();
  c.get(result);
  return c;
}

/**
 * median(m) -> the median of the first m values (m ≥ 1), which it reorders: the upper middle by quickselect;
 * for an even m, the mean of it and the largest value before it (pandas' mean of the two middle values).
 */
function medianCode(): Code {
  const M = 0;
  const c = new Code(1);
  const [i, k] = [c.local(I32), c.local(I32)];
  const [upper, lower, v] = [c.local(F64), c.local(F64), c.local(F64)];
  c.get(M).i32Const(1).i32ShrU().set(k);
  emitSelect(c, M, k);
  load(c, k).set(upper);
  // m even: (lower + upper) / 2, lower the largest of a[0..k)
  c.get(M).i32Const(1).i32And().i32Eqz().if();
  c.f64Const(Number.NEGATIVE_INFINITY).set(lower);
  c.i32Const(0).set(i);
  c.block().loop();
  c.get(i).get(k).i32GeS().brIf(1);
  load(c, i).tee(v).get(lower).f64Gt().if().get(v).set(lower).end();
  c.get(i).i32Const(1).i32Add().set(i);
  c.br(0).end().end();
  c.get(lower).get(upper).f64Add().f64Const(2).f64Div().set(upper);
  c.end();
  c.get(upper);
  return c;
}

/**
 * gather(column, order, from, to) -> Σ: the values column[order[r]] for r in [from, to) copied, in that order,
 * to the front of the values (for `median`), and summed from 0 in that order (member-profiles.ts).
 */
function gatherCode(): Code {
  const [COLUMN, ORDER, FROM, TO] = [0, 1, 2, 3];
  const c = new Code(4);
  const [r, out, row] = [c.local(I32), c.local(I32), c.local(I32)];
  const [sum, v] = [c.local(F64), c.local(F64)];
  c.f64Const(0).set(sum);
  c.i32Const(0).set(out);
  c.get(FROM).set(r);
  c.block().loop();
  c.get(r).get(TO).i32GeS().brIf(1);
  emitAddress(c, ORDER, r, 4).i32Load().set(row);
  emitAddress(c, COLUMN, row, 8).f64Load().set(v);
  c.get(out).i32Const(8).i32Mul().get(v).f64Store(VALUES);
  c.get(sum).get(v).f64Add().set(sum);
  c.get(out).i32Const(1).i32Add().set(out);
  c.get(r).i32Const(1).i32Add().set(r);
  c.br(0).end().end();
  c.get(sum);
  return c;
}

/**
 * A scan of the n values for the ones kept, counted, with their min and max at 0 and 8:
 * - compact(n) (describe.ts): keeps the non-NaN values, moved to the front in order; IEEE min and max (-0
 *   below +0, as a sort orders them);
 * - finiteRange(n) (histogram.ts): keeps the finite values where they are; min and max by strict comparison,
 *   the first of equal values kept.
 */
function rangeCode(kind: "compact" | "finiteRange"): Code {
  const N = 0;
  const c = new Code(1);
  const [i, m] = [c.local(I32), c.local(I32)];
  const [v, min, max] = [c.local(F64), c.local(F64), c.local(F64)];
  c.f64Const(Number.POSITIVE_INFINITY).set(min);
  c.f64Const(Number.NEGATIVE_INFINITY).set(max);
  c.i32Const(0).set(m);
  c.i32Const(0).set(i);
  c.block().loop();
  c.get(i).get(N).i32GeS().brIf(1);
  load(c, i).set(v);
  if (kind === "compact") {
    // v === v: not NaN
    c.get(v).get(v).f64Eq().if();
    c.get(m).i32Const(8).i32Mul().get(v).f64Store(VALUES);
    c.get(min).get(v).f64Min().set(min);
    c.get(max).get(v).f64Max().set(max);
  } else {
    // finite: v - v is 0 (NaN for NaN and ±Infinity)
    c.get(v).get(v).f64Sub().f64Const(0).f64Eq().if();
    c.get(v).get(min).f64Lt().if().get(v).set(min).end();
    c.get(v).get(max).f64Gt().if().get(v).set(max).end();
  }
  c.get(m).i32Const(1).i32Add().set(m);
  c.end();
  c.get(i).i32Const(1).i32Add().set(i);
  c.br(0).end().end();
  c.i32Const(0).get(min).f64Store(0);
  c.i32Const(0).get(max).f64Store(8);
  c.get(m);
  return c;
}

/**
 * countBins(n, counts, start, step, units, wide, bins): each finite value's bin, min(bins − 1, ⌊offset⌋) with
 * offset (v − start) / step, or v / step − units when `wide` (histogram.ts), counted into the i32s at `counts`
 * (zeroed by the caller).
 */
function countBinsCode(): Code {
  const [N, COUNTS, START, STEP, UNITS, WIDE, BINS] = [0, 1, 2, 3, 4, 5, 6];
  const c = new Code(7);
  const [i, bin, addr] = [c.local(I32), c.local(I32), c.local(I32)];
  const v = c.local(F64);
  c.i32Const(0).set(i);
  c.block().loop();
  c.get(i).get(N).i32GeS().brIf(1);
  load(c, i).set(v);
  c.get(v).get(v).f64Sub().f64Const(0).f64Eq().if();
  c.get(v).get(STEP).f64Div().get(UNITS).f64Sub();
  c.get(v).get(START).f64Sub().get(STEP).f64Div();
  // Truncation is the floor here: no offset is below 0 (every finite value is at least min, and start ≤ min).
  c.get(WIDE).select().i32TruncF64S().set(bin);
  // bin = min(bins - 1, bin)
  c.get(bin).get(BINS).i32Const(1).i32Sub().tee(addr).get(bin).get(addr).i32LtS().select().set(bin);
  emitAddress(c, COUNTS, bin, 4).tee(addr);
  c.get(addr).i32Load().i32Const(1).i32Add().i32Store();
  c.end();
  c.get(i).i32Const(1).i32Add().set(i);
  c.br(0).end().end();
  return c;
}

/**
 * transpose(rows, cols, out): the rows × cols row-major values (at VALUES) into `out` as cols × rows, that is
 * column j of the input becomes row j of the output. A table's columns and a row-major matrix are each
 * other's transpose (data/frame.ts `toMatrix` and `fromMatrix`).
 */
function transposeCode(): Code {
  const [ROWS, COLS, OUT] = [0, 1, 2];
  const c = new Code(3);
  const [i, j, from, to] = [c.local(I32), c.local(I32), c.local(I32), c.local(I32)];
  c.i32Const(0).set(i);
  c.block().loop();
  c.get(i).get(ROWS).i32GeS().brIf(1);
  c.get(i).get(COLS).i32Mul().i32Const(8).i32Mul().i32Const(VALUES).i32Add().set(from);
  c.get(i).i32Const(8).i32Mul().get(OUT).i32Add().set(to);
  c.i32Const(0).set(j);
  c.block().loop();
  c.get(j).get(COLS).i32GeS().brIf(1);
  // out[j·rows + i] = in[i·cols + j]
  c.get(to).get(from).f64Load().f64Store();
  c.get(from).i32Const(8).i32Add().set(from);
  c.get(to).get(ROWS).i32Const(8).i32Mul().i32Add().set(to);
  c.get(j).i32Const(1).i32Add().set(j);
  c.br(0).end().end();
  c.get(i).i32Const(1).i32Add().set(i);
  c.br(0).end().end();
  return c;
}

let module: WebAssembly.Module | undefined;

function columnStatsModule(): WebAssembly.Module {
  module ??= new WebAssembly.Module(
    moduleBytes(
      [
        { name: "compact", params: [I32], results: [I32], code: rangeCode("compact") },
        { name: "sum", params: [I32], results: [F64], code: sumCode(false) },
        { name: "centredSum", params: [I32, F64], results: [F64], code: sumCode(true) },
        { name: "quantile", params: [I32, F64], results: [F64], code: quantileCode() },
        { name: "median", params: [I32], results: [F64], code: medianCode() },
        { name: "finiteRange", params: [I32], results: [I32], code: rangeCode("finiteRange") },
        { name: "gather", params: Array(4).fill(I32), results: [F64], code: gatherCode() },
        { name: "transpose", params: Array(3).fill(I32), results: [], code: transposeCode() },
        {
          name: "countBins",
          params: [I32, I32, F64, F64, F64, I32, I32],
          results: [],
          code: countBinsCode(),
        },
      ],
      { shared: false, maxPages: 65536 },
    ),
  );
  return module;
}

/** How histogram.ts bins a column whose finite values span [min, max]: see `countBins`. */
export interface BinPlan {
  readonly start: number;
  readonly step: number;
  readonly units: number;
  readonly wide: boolean;
  readonly bins: number;
}

/** One column's statistics, as describe.ts' `describeColumn` returns them. */
export interface ColumnStats {
  readonly count: number;
  readonly mean: number;
  readonly std: number;
  readonly min: number;
  readonly q25: number;
  readonly q50: number;
  readonly q75: number;
  readonly max: number;
}

/** The kernels and their memory, grown to the longest column seen so far. */
class ColumnKernels {
  readonly #memory = kernelMemory();
  readonly #exports = new WebAssembly.Instance(columnStatsModule(), { env: { memory: this.#memory } })
    .exports as Record<
    | "compact"
    | "sum"
    | "centredSum"
    | "quantile"
    | "median"
    | "finiteRange"
    | "countBins"
    | "gather"
    | "transpose",
    (...args: number[]) => number
  >;

  /**
   * The memory laid out as the min and max (16 bytes), `values` values, then `after` (regions' byte sizes), and
   * their offsets.
   */
  #place<const A extends readonly number[]>(values: number, after: A): Placed<A> {
    const placed = mustPlaceRegions(
      this.#memory,
      [VALUES, values * 8, ...after],
      `A column of ${values} values`,
    );
    return { buffer: placed.buffer, at: placed.at.slice(2) as Offsets<A> };
  }

  /** Copies `values` into the memory; returns the memory's buffer. */
  #load(values: Float64Array): ArrayBufferLike {
    const heap = this.#place(values.length, []).buffer;
    new Float64Array(heap, VALUES, values.length).set(values);
    return heap;
  }

  stats(values: Float64Array): ColumnStats {
    const heap = this.#load(values);
    const { compact, sum, centredSum, quantile } = this.#exports;
    const n = compact(values.length);
    const [min, max] = new Float64Array(heap, 0, 2);
    const mean = n === 0 ? Number.NaN : sum(n) / n;
    const std = n < 2 ? Number.NaN : Math.sqrt(centredSum(n, mean) / (n - 1));
    const q = (p: number) => (n === 0 ? Number.NaN : quantile(n, p));
    return {
      count: n,
      mean,
      std,
      min: n === 0 ? Number.NaN : min!,
      q25: q(0.25),
      q50: q(0.5),
      q75: q(0.75),
      max: n === 0 ? Number.NaN : max!,
    };
  }

  binCounts(
    values: Float64Array,
    plan: (min: number, max: number) => BinPlan | undefined,
  ): number[] | undefined {
    const heap = this.#load(values);
    const { finiteRange, countBins } = this.#exports;
    const n = values.length;
    const present = finiteRange(n);
    const [min, max] = new Float64Array(heap, 0, 2);
    const bins = present === 0 ? undefined : plan(min!, max!);
    if (bins === undefined) return undefined;
    const { buffer, at } = this.#place(n, [bins.bins * 4]);
    const [countsAt] = at;
    const counts = new Int32Array(buffer, countsAt, bins.bins);
    counts.fill(0);
    countBins(n, countsAt, bins.start, bins.step, bins.units, bins.wide ? 1 : 0, bins.bins);
    return Array.from(counts);
  }

  segments(
    column: Float64Array,
    order: Int32Array,
    offsets: Int32Array,
  ): { sums: number[]; medians: number[] } {
    const n = column.length;
    const { buffer: heap, at } = this.#place(n, [n * 8, order.length * 4]);
    const [columnAt, orderAt] = at;
    new Float64Array(heap, columnAt, n).set(column);
    new Int32Array(heap, orderAt, order.length).set(order);
    const sums: number[] = [];
    const medians: number[] = [];
    for (let c = 0; c + 1 < offsets.length; c++) {
      const [from, to] = [offsets[c]!, offsets[c + 1]!];
      sums.push(this.#exports.gather(columnAt, orderAt, from, to));
      medians.push(to > from ? this.#exports.median(to - from) : Number.NaN);
    }
    return { sums, medians };
  }

  /**
   * `rows` rows of `cols` values (row-major, at VALUES) transposed to `cols` rows of `rows` values, returned as a
   * view of the memory (valid until the next call).
   */
  #transposeBlock(rows: number, cols: number): Float64Array {
    const n = rows * cols;
    const [outAt] = this.#place(n, [n * 8]).at;
    this.#exports.transpose(rows, cols, outAt);
    return new Float64Array(this.#memory.buffer, outAt, n);
  }

  /** Room for a block of `values` values and its transpose. */
  #reserveBlock(values: number): ArrayBufferLike {
    return this.#place(values, [values * 8]).buffer;
  }

  /** The d columns of n values each into `out`, n × d row-major: column j of row i at i·d + j. */
  columnsToRows(columns: readonly Float64Array[], n: number, out: Float64Array): void {
    const d = columns.length;
    const block = blockRows(d);
    const heap = this.#reserveBlock(block * d);
    for (let r0 = 0; r0 < n; r0 += block) {
      const b = Math.min(block, n - r0);
      // The block's d column pieces, one after another, are a d × b matrix; its transpose is b rows of d.
      columns.forEach((column, j) => {
        new Float64Array(heap, VALUES + j * b * 8, b).set(column.subarray(r0, r0 + b));
      });
      out.set(this.#transposeBlock(d, b), r0 * d);
    }
  }

  /** `data`, n × d row-major, into the d `columns` of n values each. */
  rowsToColumns(data: Float64Array, n: number, d: number, columns: readonly Float64Array[]): void {
    const block = blockRows(d);
    const heap = this.#reserveBlock(block * d);
    for (let r0 = 0; r0 < n; r0 += block) {
      const b = Math.min(block, n - r0);
      new Float64Array(heap, VALUES, b * d).set(data.subarray(r0 * d, (r0 + b) * d));
      const byColumn = this.#transposeBlock(b, d);
      columns.forEach((column, j) => {
        column.set(byColumn.subarray(j * b, (j + 1) * b), r0);
      });
    }
  }

  median(values: Float64Array): number {
    if (values.length === 0) return Number.NaN;
    this.#load(values);
    return this.#exports.median(values.length);
  }
}

let kernels: ColumnKernels | undefined;

/**
 * count, mean, sample standard deviation, min, quartiles and max of `values`, NaN skipped (not mutated).
 * @example wasmColumnStats(Float64Array.of(4, NaN, 1, 3, 2)).q25 // 1.75
 */
export function wasmColumnStats(values: Float64Array): ColumnStats {
  kernels ??= new ColumnKernels();
  return kernels.stats(values);
}

/**
 * The median of `values` (NaN-free; not mutated): the mean of the two middle values for an even count.
 * @example wasmMedian(Float64Array.of(4, 1, 3, 2)) // 2.5
 */
export function wasmMedian(values: Float64Array): number {
  kernels ??= new ColumnKernels();
  return kernels.median(values);
}

/**
 * Counts the finite values of `values` (not mutated) into the bins `plan` lays out from their range; undefined
 * when none is finite or `plan` declines.
 */
export function wasmBinCounts(
  values: Float64Array,
  plan: (min: number, max: number) => BinPlan | undefined,
): number[] | undefined {
  kernels ??= new ColumnKernels();
  return kernels.binCounts(values, plan);
}

/**
 * Per segment (rows order[offsets[c]..offsets[c + 1]) of `column`), the sum of its values from 0 in that
 * order and their median (NaN for an empty segment); `column` and `order` are not mutated.
 */
export function wasmSegmentSumsAndMedians(
  column: Float64Array,
  order: Int32Array,
  offsets: Int32Array,
): { sums: number[]; medians: number[] } {
  kernels ??= new ColumnKernels();
  return kernels.segments(column, order, offsets);
}

/** Rows per block of a transpose: a block and its transpose in about 1 MiB of the module's memory. */
function blockRows(d: number): number {
  return Math.max(1, Math.floor(65_536 / Math.max(1, d)));
}

/**
 * A table's d columns of n values into `out`, n × d row-major (column j of row i at i·d + j), a block of rows
 * at a time, so the module's memory stays small for any table. Copying element by element in JavaScript ran
 * unoptimised and boxed every value: the census' 3,218 × 34 took 3–4 ms each way.
 * @example wasmColumnsToRows([Float64Array.of(1, 2), Float64Array.of(3, 4)], 2, out) // out: 1, 3, 2, 4
 */
export function wasmColumnsToRows(columns: readonly Float64Array[], n: number, out: Float64Array): void {
  kernels ??= new ColumnKernels();
  kernels.columnsToRows(columns, n, out);
}

/** The inverse of {@link wasmColumnsToRows}: `data`, n × d row-major, into d columns of n values. */
export function wasmRowsToColumns(
  data: Float64Array,
  n: number,
  d: number,
  columns: readonly Float64Array[],
): void {
  kernels ??= new ColumnKernels();
  kernels.rowsToColumns(data, n, d, columns);
}
