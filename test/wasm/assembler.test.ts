/**
 * The WebAssembly encoder (src/wasm/assembler.ts) through the engine itself: modules it writes validate,
 * and constants, parameters and memory operations come back as written (fast-check over LEB128 edges).
 * @module
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import fc from "fast-check";
import { Code, F64, I32, moduleBytes } from "../../src/wasm/assembler.js";

function instantiate(bytes: Uint8Array, pages = 1): Record<string, (...a: number[]) => number> {
  assert.ok(WebAssembly.validate(bytes), "the module validates");
  const memory = new WebAssembly.Memory({ initial: pages, maximum: pages, shared: true });
  const inst = new WebAssembly.Instance(new WebAssembly.Module(bytes), { env: { memory } });
  return inst.exports as Record<string, (...a: number[]) => number>;
}

const memory = { shared: true, maxPages: 65536 };

describe("WebAssembly encoder", () => {
  test("i32 and f64 constants survive encoding, LEB128 edges included (fast-check)", () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }),
          fc.constantFrom(0, -1, 63, 64, -64, -65, 127, 128, 8191, 8192, -(2 ** 31), 2 ** 31 - 1),
        ),
        fc.double(),
        (i, f) => {
          const ci = new Code(0).i32Const(i);
          const cf = new Code(0).f64Const(f);
          const e = instantiate(
            moduleBytes(
              [
                { name: "i", params: [], results: [I32], code: ci },
                { name: "f", params: [], results: [F64], code: cf },
              ],
              memory,
            ),
          );
          assert.equal(e["i"]!(), i);
          assert.ok(Object.is(e["f"]!(), f));
        },
      ),
      { numRuns: 60 },
    );
  });

  test("locals, loops and memory: a sum of f64 values at a byte offset, with more than 127 locals", () => {
    // sum(ptr, n): Σ f64 at ptr + 8i; 130 unused locals push the local count past one LEB128 byte.
    const code = new Code(2);
    for (let i = 0; i < 130; i++) code.local(F64);
    const acc = code.local(F64);
    const i = code.local(I32);
    code.block().loop();
    code.get(i).get(1).i32GeS().brIf(1);
    code.get(acc).get(0).get(i).i32Const(8).i32Mul().i32Add().f64Load().f64Add().set(acc);
    code.get(i).i32Const(1).i32Add().set(i);
    code.br(0).end().end();
    code.get(acc);
    const bytes = moduleBytes([{ name: "sum", params: [I32, I32], results: [F64], code }], memory);
    assert.ok(WebAssembly.validate(bytes));
    const mem = new WebAssembly.Memory({ initial: 1, maximum: 1, shared: true });
    const inst = new WebAssembly.Instance(new WebAssembly.Module(bytes), { env: { memory: mem } });
    const view = new Float64Array(mem.buffer, 64, 10);
    for (let j = 0; j < 10; j++) view[j] = j + 0.5;
    assert.equal((inst.exports["sum"] as (p: number, n: number) => number)(64, 10), 50);
  });
});
