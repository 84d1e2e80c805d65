/**
 * The kernels' memory layout (src/wasm/memory.ts): regions 16-byte aligned from byte 0, the memory grown to
 * hold them, and a clear error, not a RangeError, when it cannot grow so far.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { isStrataError } from "../../src/errors.js";
import { kernelMemory, mustPlaceRegions, PAGE, placeRegions } from "../../src/wasm/memory.js";

test("regions are laid out 16-byte aligned from 0, and the memory grows to hold them", () => {
  const memory = kernelMemory();
  const placed = placeRegions(memory, [16, 8, 0, 24, 3 * PAGE]);
  assert.deepEqual(placed?.at, [0, 16, 32, 32, 64]);
  assert.ok(memory.buffer.byteLength >= 64 + 3 * PAGE);
  assert.equal(placed?.buffer, memory.buffer);
});

test("past the memory's maximum: undefined from placeRegions, INPUT_TOO_LARGE naming the work from mustPlaceRegions", () => {
  assert.equal(placeRegions(kernelMemory(), [PAGE + 1], 1), undefined);
  const small = kernelMemory(2);
  assert.equal(placeRegions(small, [3 * PAGE]), undefined);
  assert.throws(
    () => mustPlaceRegions(small, [PAGE, 2 * PAGE], "A column of 24576 values"),
    (e: unknown) =>
      isStrataError(e, "INPUT_TOO_LARGE") &&
      e.message ===
        `A column of 24576 values needs ${3 * PAGE} bytes of WebAssembly memory, more than this process can have (at most 4 GiB).`,
  );
});
