/**
 * The arithmetic of describe() (describe.ts) in WebAssembly, one column at a time: dropping NaN with the
 * column's min and max, the compensated (Neumaier) sums of the values and of their squared deviations, and
 * numpy's "linear" quantiles from order statistics found by quickselect (Hoare's FIND) instead of a sort.
 * Why: a run describes 68 columns once each (the census' raw and scaled features), so JavaScript loops ran
 * before V8 had optimised them, and Float64Array's sort took 0.2 ms a column; together 20–27 ms of a census
 * run in a fresh process. WebAssembly is compiled before it runs.
 *
 * The sums add the same values in the same order as describe.ts' reference loops, so the mean and the standard
 * deviation are the same bits. The min and max are IEEE minimum and maximum (-0 below +0, as a sort puts them),
 * and the quantiles are the sorted array's (test/data/describe.test.ts); only the sign of a zero quantile can
 * differ, where a sort orders -0 before +0 and a partition treats them as one value.
 * @module
 */
import { Code, F64, I32, moduleBytes } from "../wasm/assembler.js";

/** Byte offset of the values; the min and max are written at 0 and 8. */
const VALUES = 16;
const PAGE = 65_536;

/** compact(n) -> count: the non-NaN values moved to the front, in order; their min and max at 0 and 8. */
function compactCode(): Code {
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
  c.get(i).i32Const(8).i32Mul().f64Load(VALUES).tee(v);
  // v === v: not NaN
  c.get(v).f64Eq().if();
  c.get(m).i32Const(8).i32Mul().get(v).f64Store(VALUES);
  c.get(min).get(v).f64Min().set(min);
  c.get(max).get(v).f64Max().set(max);
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
 * sum(m[, centre]) -> Σ of the first m values (or of their squared deviations from `centre`), with Neumaier's
 * compensation, as describe.ts' `compensatedSum`.
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
  c.get(i).i32Const(8).i32Mul().f64Load(VALUES);
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

/**
 * quantile(m, q) -> numpy's linear q-quantile of the first m values (m ≥ 1), which it reorders: virtual index
 * h = (m − 1) q, a = the ⌊h⌋-th smallest by quickselect, b = the next (the smallest value after it), then
 * `_lerp(a, b, h − ⌊h⌋)`, from b's side when that is at least 0.5 (describe.ts' reference).
 */
function quantileCode(): Code {
  const [M, Q] = [0, 1];
  const c = new Code(2);
  const [lo, hi, i, j, k] = [c.local(I32), c.local(I32), c.local(I32), c.local(I32), c.local(I32)];
  const f64 = () => c.local(F64);
  const [h, pivot, a, b, t, diff, v, result] = [f64(), f64(), f64(), f64(), f64(), f64(), f64(), f64()];
  const load = (index: number) => c.get(index).i32Const(8).i32Mul().f64Load(VALUES);
  c.get(M).i32Const(1).i32Sub().f64ConvertI32S().get(Q).f64Mul().set(h);
  c.get(h).i32TruncF64S().set(k);
  // Hoare's FIND for the k-th smallest (util/median.ts' select).
  c.i32Const(0).set(lo);
  c.get(M).i32Const(1).i32Sub().set(hi);
  c.block().loop(); // $found, $narrow
  c.get(lo).get(hi).i32GeS().brIf(1);
  c.get(lo).get(hi).i32Add().i32Const(1).i32ShrU().i32Const(8).i32Mul().f64Load(VALUES).set(pivot);
  c.get(lo).set(i);
  c.get(hi).set(j);
  c.block().loop(); // $partitioned, $partition
  c.get(i).get(j).i32GtS().brIf(1);
  // while (a[i] < pivot) i++
  c.block().loop();
  load(i).get(pivot).f64Lt().i32Eqz().brIf(1);
  c.get(i).i32Const(1).i32Add().set(i);
  c.br(0).end().end();
  // while (a[j] > pivot) j--
  c.block().loop();
  load(j).get(pivot).f64Gt().i32Eqz().brIf(1);
  c.get(j).i32Const(1).i32Sub().set(j);
  c.br(0).end().end();
  c.get(i).get(j).i32LeS().if();
  load(i).set(v);
  c.get(i).i32Const(8).i32Mul();
  load(j).f64Store(VALUES);
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
  load(k).set(a);
  c.get(a).set(result);
  // when k + 1 < m: b, the smallest value after index k, and the interpolation
  c.get(k).i32Const(1).i32Add().get(M).i32LtS().if();
  c.f64Const(Number.POSITIVE_INFINITY).set(b);
  c.get(k).i32Const(1).i32Add().set(i);
  c.block().loop();
  c.get(i).get(M).i32GeS().brIf(1);
  load(i).tee(v).get(b).f64Lt().if().get(v).set(b).end();
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

let module: WebAssembly.Module | undefined;

function describeModule(): WebAssembly.Module {
  module ??= new WebAssembly.Module(
    moduleBytes(
      [
        { name: "compact", params: [I32], results: [I32], code: compactCode() },
        { name: "sum", params: [I32], results: [F64], code: sumCode(false) },
        { name: "centredSum", params: [I32, F64], results: [F64], code: sumCode(true) },
        { name: "quantile", params: [I32, F64], results: [F64], code: quantileCode() },
      ],
      { shared: false, maxPages: 65536 },
    ),
  );
  return module;
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

/** The kernels and their memory, grown to the longest column described so far. */
class Describer {
  readonly #memory = new WebAssembly.Memory({ initial: 1, maximum: 65536 });
  readonly #exports = new WebAssembly.Instance(describeModule(), { env: { memory: this.#memory } })
    .exports as Record<string, (...args: number[]) => number>;

  column(values: Float64Array): ColumnStats {
    const bytes = VALUES + values.length * 8;
    const have = this.#memory.buffer.byteLength;
    if (bytes > have) this.#memory.grow(Math.ceil((bytes - have) / PAGE));
    const heap = this.#memory.buffer;
    new Float64Array(heap, VALUES, values.length).set(values);
    const { compact, sum, centredSum, quantile } = this.#exports as Record<
      string,
      (...a: number[]) => number
    >;
    const n = compact!(values.length);
    const [min, max] = new Float64Array(heap, 0, 2);
    const mean = n === 0 ? Number.NaN : sum!(n) / n;
    const std = n < 2 ? Number.NaN : Math.sqrt(centredSum!(n, mean) / (n - 1));
    const q = (p: number) => (n === 0 ? Number.NaN : quantile!(n, p));
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
}

let describer: Describer | undefined;

/**
 * count, mean, sample standard deviation, min, quartiles and max of `values`, NaN skipped (not mutated).
 * @example wasmDescribeColumn(Float64Array.of(4, NaN, 1, 3, 2)).q25 // 1.75
 */
export function wasmDescribeColumn(values: Float64Array): ColumnStats {
  describer ??= new Describer();
  return describer.column(values);
}
