/**
 * What the scalar WebAssembly kernels (wasm-hartigan.ts, wasm-pair-sums.ts, init/wasm-seed.ts) emit alike: the
 * squared distance summed as the JavaScript loops sum it (the first term assigned, the rest added in t order,
 * so the bits are the same). Element addresses are the assembler's `emitAddress`.
 * @module
 */
import type { Code } from "../wasm/assembler.js";

/**
 * Emits `s ← Σ_t (x_t − mem[base + offset + 8t])²`, with `diff` as scratch; `x` holds the row's d values in
 * f64 locals and `base` is an i32 local (a byte offset).
 */
export function emitSquaredDistance(
  c: Code,
  x: readonly number[],
  base: number,
  offset: number,
  diff: number,
  s: number,
): void {
  x.forEach((xt, t) => {
    c.get(xt)
      .get(base)
      .f64Load(offset + t * 8)
      .f64Sub()
      .set(diff);
    if (t === 0) c.get(diff).get(diff).f64Mul().set(s);
    else c.get(s).get(diff).get(diff).f64Mul().f64Add().set(s);
  });
}
