/**
 * The data pass of k-means++ seeding (plus-plus-shards.ts' `seedLoop`) in WebAssembly, generated per
 * (d, first, weighted) with src/wasm/assembler.ts: every row's D(x)² becomes min(D(x)², ‖x − x_c‖²), and the
 * pass returns the shard's potential Σ (w·)D(x)², with the same IEEE operations in the same order, so the
 * seeding draws the same rows (test/kmeans/wasm-kernels.test.ts). Why: a fit seeds each of its restarts once
 * (the census' 18 restarts: 342 passes over 3,218 rows), so the JavaScript pass ran mostly before V8 had
 * optimised it (about 20 ms in a fresh process, 11 warm); WebAssembly is compiled before it runs.
 *
 * It serves a fit on the calling thread; the worker pool's passes (65,536 rows and more, on several threads)
 * stay JavaScript, in shared memory.
 * @module
 */
import type { Matrix } from "../../linalg/matrix.js";
import { Code, emitAddress, F64, I32, moduleBytes, type WasmFunction } from "../../wasm/assembler.js";
import { kernelMemory, type Placed, placeRegions } from "../../wasm/memory.js";
import { emitSquaredDistance } from "../wasm-emit.js";

/** Above this many columns the candidate's coordinates would not sit in locals: the JavaScript pass runs. */
export const WASM_SEED_MAX_D = 64;

const modules = new Map<string, WebAssembly.Module>();
const reused = new WeakMap<Float64Array, WasmSeedPasses>();

/**
 * seed(start, end, x, candidate, closest, scratch, w) -> potential: rows [start, end) against the candidate
 * row. Parameters after the row range are byte offsets (the candidate's is its row's).
 */
function seedCode(d: number, first: boolean, weighted: boolean): Code {
  const [START, END, X, CANDIDATE, CLOSEST, SCRATCH, W] = [0, 1, 2, 3, 4, 5, 6];
  const c = new Code(7);
  const [i, off] = [c.local(I32), c.local(I32)];
  const [pot, diff, s, was] = [c.local(F64), c.local(F64), c.local(F64), c.local(F64)];
  const candidate = Array.from({ length: d }, () => c.local(F64));
  candidate.forEach((local, t) => {
    c.get(CANDIDATE)
      .f64Load(t * 8)
      .set(local);
  });
  c.f64Const(0).set(pot);
  c.get(START).set(i);
  c.block().loop();
  c.get(i).get(END).i32GeS().brIf(1);
  emitAddress(c, X, i, d * 8).set(off);
  // s = Σ (c_t − x_t)², the JavaScript pass's Σ (x_t − c_t)² to the bit: a difference and its negation square alike.
  emitSquaredDistance(c, candidate, off, 0, diff, s);
  if (!first) {
    // if (was < s) s = was
    emitAddress(c, CLOSEST, i, 8).f64Load().set(was);
    c.get(was).get(s).get(was).get(s).f64Lt().select().set(s);
  }
  emitAddress(c, SCRATCH, i, 8).get(s).f64Store();
  c.get(pot);
  if (weighted) emitAddress(c, W, i, 8).f64Load().get(s).f64Mul();
  else c.get(s);
  c.f64Add().set(pot);
  c.get(i).i32Const(1).i32Add().set(i);
  c.br(0).end().end();
  c.get(pot);
  return c;
}

function seedModule(d: number, weighted: boolean): WebAssembly.Module {
  const key = `${d}${weighted ? "w" : ""}`;
  let module = modules.get(key);
  if (module === undefined) {
    const pass = (first: boolean): WasmFunction => ({
      name: first ? "first" : "next",
      params: Array(7).fill(I32),
      results: [F64],
      code: seedCode(d, first, weighted),
    });
    module = new WebAssembly.Module(
      moduleBytes([pass(true), pass(false)], { shared: false, maxPages: 65536 }),
    );
    modules.set(key, module);
  }
  return module;
}

/**
 * One seeding's passes and memory: the rows and weights (copied once) and the three n-long arrays of D(x)²
 * that initKMeansPlusPlus swaps between (`rows`), which live in the module's memory so the passes write them.
 */
export class WasmSeedPasses {
  /** Three arrays of n values, in the module's memory: the seeding's closest, best and scratch. */
  readonly rows: readonly [Float64Array, Float64Array, Float64Array];
  readonly #n: number;
  readonly #d: number;
  readonly #x: number;
  readonly #w: number;
  readonly #weights: Float64Array | undefined;
  readonly #first: (...args: number[]) => number;
  readonly #next: (...args: number[]) => number;

  private constructor(
    x: Matrix,
    weights: Float64Array | undefined,
    memory: WebAssembly.Memory,
    placed: Placed<readonly [number, number, number, number, number]>,
  ) {
    const { rows: n, cols: d } = x;
    const { buffer: heap, at } = placed;
    const [xAt, w, ...arrays] = at;
    new Float64Array(heap, xAt, n * d).set(x.data.subarray(0, n * d));
    if (weights !== undefined) new Float64Array(heap, w, n).set(weights);
    this.rows = arrays.map((a) => new Float64Array(heap, a, n)) as unknown as [
      Float64Array,
      Float64Array,
      Float64Array,
    ];
    const exports = new WebAssembly.Instance(seedModule(d, weights !== undefined), { env: { memory } })
      .exports as Record<string, (...args: number[]) => number>;
    this.#first = exports["first"]!;
    this.#next = exports["next"]!;
    this.#n = n;
    this.#d = d;
    this.#x = xAt;
    this.#w = w;
    this.#weights = weights;
  }

  /**
   * The passes for `x` (n × d), or undefined when d is above {@link WASM_SEED_MAX_D}. The restarts of a fit
   * seed from the same rows one after the other, so the last passes are kept per data matrix and reused:
   * an instance and its memory cost more than a restart's passes (the census: 8 of 16 ms over 18 restarts).
   * Seeding is synchronous, so no two seedings share them at once.
   */
  static create(x: Matrix, weights: Float64Array | undefined): WasmSeedPasses | undefined {
    if (typeof WebAssembly !== "object" || x.cols > WASM_SEED_MAX_D) return undefined;
    const last = reused.get(x.data);
    if (last?.fits(x, weights)) return last;
    const { rows: n, cols: d } = x;
    const memory = kernelMemory();
    // The rows, the weights, then the three arrays of D(x)².
    const placed = placeRegions(memory, [n * d * 8, weights === undefined ? 0 : n * 8, n * 8, n * 8, n * 8]);
    if (placed === undefined) return undefined; // the JavaScript pass needs no memory of its own
    const made = new WasmSeedPasses(x, weights, memory, placed);
    reused.set(x.data, made);
    return made;
  }

  /** Laid out for these rows (inputs are never mutated) and these weights. */
  private fits(x: Matrix, weights: Float64Array | undefined): boolean {
    return this.#n === x.rows && this.#d === x.cols && this.#weights === weights;
  }

  /**
   * plus-plus-shards.ts' `seedShard` for every shard of `shardRows` rows, in order: `scratch` receives
   * min(`closest`, ‖x − x_candidate‖²) (just the latter when `first`), `potentials[s]` each shard's Σ.
   * `closest` and `scratch` are two of {@link rows}.
   */
  pass(
    candidate: number,
    first: boolean,
    closest: Float64Array,
    scratch: Float64Array,
    potentials: Float64Array,
    shardRows: number,
  ): void {
    const run = first ? this.#first : this.#next;
    const at = this.#x + candidate * this.#d * 8;
    for (let s = 0; s < potentials.length; s++) {
      const start = s * shardRows;
      const end = Math.min(this.#n, start + shardRows);
      potentials[s] = run(start, end, this.#x, at, closest.byteOffset, scratch.byteOffset, this.#w);
    }
  }
}
