/**
 * The instructions the WebAssembly Lloyd kernels (wasm-kernels.ts) share, written with src/wasm/assembler.ts:
 * parameters by name, the branch-free search of two rows in f64x2 lanes, and the per-row updates (label,
 * float32 bounds rounded as bounds.ts rounds them, inertia, sums and counts in row order) — each the same IEEE
 * operations, in the same order, as the JavaScript loops of js-row-loops.ts.
 * @module
 */
import { Code, F64, I32, V128, type WasmFunction } from "../wasm/assembler.js";
import { F32_TINY, F32_UP, F32_WIDEN } from "./bounds.js";

/** Names of the kernels' parameters, all i32 (byte offsets into the memory, or row indices). */
export type Param =
  | "x"
  | "centres"
  | "half"
  | "drift"
  | "move"
  | "labels"
  | "lower"
  | "upper"
  | "work"
  | "sums"
  | "counts"
  | "start"
  | "end"
  | "result";

/** Builds one kernel: parameters by name, and the search and per-row updates shared by the passes. */
export class KernelWriter {
  readonly code: Code;
  private readonly index: Map<Param, number>;
  private readonly c: number[];
  private readonly xv: number[];
  private readonly acc: number;
  private readonly diff: number;
  private readonly best: number;
  private readonly second: number;
  private readonly which: number;
  private readonly lt: number;
  private readonly label: number;
  private readonly bestDist: number;
  private readonly s: number;
  private readonly so: number;
  readonly rowA: number;
  readonly rowB: number;
  private readonly indexA: number;
  private readonly indexB: number;
  readonly changed: number;
  readonly inertia: number;

  constructor(
    private readonly d: number,
    private readonly k: number,
    readonly params: readonly Param[],
  ) {
    this.code = new Code(params.length);
    this.index = new Map(params.map((n, i) => [n, i]));
    const code = this.code;
    this.rowA = code.local(I32);
    this.rowB = code.local(I32);
    this.indexA = code.local(I32);
    this.indexB = code.local(I32);
    this.changed = code.local(I32);
    this.inertia = code.local(F64);
    this.c = Array.from({ length: k * d }, () => code.local(V128));
    this.xv = Array.from({ length: d }, () => code.local(V128));
    this.acc = code.local(V128);
    this.diff = code.local(V128);
    this.best = code.local(V128);
    this.second = code.local(V128);
    this.which = code.local(V128);
    this.lt = code.local(V128);
    this.label = code.local(I32);
    this.bestDist = code.local(F64);
    this.s = code.local(F64);
    this.so = code.local(I32);
  }

  /** Pushes parameter `name`. */
  p(name: Param): Code {
    const i = this.index.get(name);
    if (i === undefined) throw new Error(`kernel has no parameter ${name}`);
    return this.code.get(i);
  }

  /** Pushes the byte address of element `row` (a local) of the array `name` with `bytes`-byte elements. */
  at(name: Param, row: number, bytes: number): Code {
    return this.p(name).get(row).i32Const(bytes).i32Mul().i32Add();
  }

  /** Loads every centre coordinate, splatted to both lanes, into locals (once per call). */
  loadCentres(): void {
    for (let q = 0; q < this.k * this.d; q++)
      this.p("centres")
        .v128Load64Splat(q * 8)
        .set(this.c[q]!);
  }

  /** Searches every centre for rows at byte offsets `rowA` and `rowB` (lanes 0 and 1), branch-free. */
  search(): void {
    const { code, d, k, xv, c, acc, diff, best, second, which, lt } = this;
    for (let t = 0; t < d; t++) {
      code
        .get(this.rowB)
        .get(this.rowA)
        .v128Load64Splat(t * 8)
        .v128Load64Lane(1, t * 8)
        .set(xv[t]!);
    }
    for (let j = 0; j < k; j++) {
      // acc = Σ_t (x_t − c_jt)², t = 0..d-1 in order (JavaScript starts from 0 + the first term: the same).
      for (let t = 0; t < d; t++) {
        code
          .get(xv[t]!)
          .get(c[j * d + t]!)
          .f64x2Sub()
          .tee(diff)
          .get(diff)
          .f64x2Mul();
        if (t > 0) code.get(acc).f64x2Add();
        code.set(acc);
      }
      if (j === 0) {
        code.get(acc).set(best);
        code.v128Const([Number.POSITIVE_INFINITY, Number.POSITIVE_INFINITY]).set(second);
        code.v128Const([0, 0]).set(which);
        continue;
      }
      // v < best: second = best, best = v, which = j; else second = v < second ? v : second.
      code.get(acc).get(best).f64x2Lt().set(lt);
      code.get(best).get(second).get(acc).f64x2Pmin().get(lt).v128Bitselect().set(second);
      code.get(acc).get(best).get(lt).v128Bitselect().set(best);
      code.v128Const([j, j]).get(which).get(lt).v128Bitselect().set(which);
    }
  }

  /**
   * Searches slots [slot, end) two at a time — an odd last one in both lanes — and applies each lane to its
   * row (`apply`, with `fused`). `slot` and `end` are locals; `slot` is advanced. `rowOf(slot, lane, target)`
   * sets local `target` to the row index of slot `slot` + `lane`: the slot itself, or a listed row.
   */
  searchPairs(
    slot: number,
    end: number,
    rowOf: (slot: number, lane: 0 | 1, target: number) => void,
    fused: boolean,
  ): void {
    const { code, d, indexA: a, indexB: b } = this;
    code.block().loop();
    code.get(slot).i32Const(1).i32Add().get(end).i32GeS().brIf(1);
    rowOf(slot, 0, a);
    rowOf(slot, 1, b);
    this.at("x", a, d * 8).set(this.rowA);
    this.at("x", b, d * 8).set(this.rowB);
    this.search();
    this.apply(0, a, fused);
    this.apply(1, b, fused);
    code.get(slot).i32Const(2).i32Add().set(slot);
    code.br(0).end().end();
    code.get(slot).get(end).i32LtS().if();
    rowOf(slot, 0, a);
    this.at("x", a, d * 8)
      .tee(this.rowA)
      .set(this.rowB);
    this.search();
    this.apply(0, a, fused);
    code.end();
  }

  /** upper[row] = v · UP + TINY as float32 (bounds.ts's `roundUp`), v pushed by `value()`. */
  storeUpper(row: number, value: () => void): void {
    const { code } = this;
    this.at("upper", row, 4);
    value();
    code.f64Const(F32_UP).f64Mul().f64Const(F32_TINY).f64Add().f32DemoteF64().f32Store();
  }

  /** lower[row] = v − |v| · WIDEN − TINY as float32 (bounds.ts's `roundDown`). */
  storeLower(row: number, value: () => void): void {
    const { code, s } = this;
    this.at("lower", row, 4);
    value();
    code.tee(s).get(s).f64Abs().f64Const(F32_WIDEN).f64Mul().f64Sub().f64Const(F32_TINY).f64Sub();
    code.f32DemoteF64().f32Store();
  }

  /**
   * Applies lane `lane` of the search to row `row` (a local): label and `changed`, bounds, and with
   * `fused` the inertia, count and sums.
   */
  apply(lane: number, row: number, fused: boolean): void {
    const { code, label, bestDist } = this;
    code.get(this.which).f64x2ExtractLane(lane).i32TruncF64S().set(label);
    code.get(this.best).f64x2ExtractLane(lane).set(bestDist);
    this.at("labels", row, 4).i32Load().get(label).i32Ne().get(this.changed).i32Add().set(this.changed);
    this.at("labels", row, 4).get(label).i32Store();
    this.storeUpper(row, () => code.get(bestDist).f64Sqrt());
    this.storeLower(row, () => code.get(this.second).f64x2ExtractLane(lane).f64Sqrt());
    if (!fused) return;
    code.get(this.inertia).get(bestDist).f64Add().set(this.inertia);
    this.accumulate(row, label);
  }

  /**
   * `target` ← ‖x[row] − centres[centre]‖² (row and centre are locals), summed over t = 0..d-1 in order as
   * the search sums it. Uses `rowA` and `so` as scratch.
   */
  squaredDistance(row: number, centre: number, target: number): void {
    const { code, d, so, s } = this;
    this.at("x", row, d * 8).set(this.rowA);
    this.at("centres", centre, d * 8).set(so);
    for (let t = 0; t < d; t++) {
      code
        .get(this.rowA)
        .f64Load(t * 8)
        .get(so)
        .f64Load(t * 8)
        .f64Sub()
        .tee(s)
        .get(s)
        .f64Mul();
      if (t > 0) code.get(target).f64Add();
      code.set(target);
    }
  }

  /** counts[label] += 1; sums[label·d + t] += x[row·d + t] for t in order. */
  accumulate(row: number, label: number): void {
    const { code, d, so } = this;
    this.at("counts", label, 8).tee(so).get(so).f64Load().f64Const(1).f64Add().f64Store();
    this.at("sums", label, d * 8).set(so);
    for (let t = 0; t < d; t++) {
      code
        .get(so)
        .get(so)
        .f64Load(t * 8);
      this.at("x", row, d * 8).f64Load(t * 8);
      code.f64Add().f64Store(t * 8);
    }
  }

  /**
   * result[0] = inertia (or NaN), result[1] = changed; with `searched` and `tested`, result[2] and [3] = those
   * locals.
   */
  writeResult(withInertia: boolean, searched?: number, tested?: number): void {
    const { code } = this;
    this.p("result");
    if (withInertia) code.get(this.inertia);
    else code.f64Const(Number.NaN);
    code.f64Store();
    this.p("result").get(this.changed).f64ConvertI32S().f64Store(8);
    if (searched !== undefined) this.p("result").get(searched).f64ConvertI32S().f64Store(16);
    if (tested !== undefined) this.p("result").get(tested).f64ConvertI32S().f64Store(24);
  }

  done(name: string): WasmFunction {
    return { name, params: this.params.map(() => I32), results: [], code: this.code };
  }
}
