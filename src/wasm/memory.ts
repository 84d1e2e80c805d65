/**
 * The memory of the generated kernels: one WebAssembly memory per kernel module and thread, laid out as regions
 * of given byte sizes from byte 0 and grown on demand. Every kernel module lays its arrays out this way (the
 * offsets are the kernels' parameters), and JavaScript reads and writes them through typed-array views of the
 * returned buffer, which growing detaches: views are made after `placeRegions`, never kept across it.
 * @module
 */
import { StrataError } from "../errors.js";

/** Bytes per WebAssembly page. */
export const PAGE = 65_536;

/** wasm32's 4 GiB, in pages. */
const MAX_PAGES = 65_536;

/** A growable memory for a kernel module (`maxPages` must match the module's import: moduleBytes' `maxPages`). */
export function kernelMemory(maxPages = MAX_PAGES): WebAssembly.Memory {
  return new WebAssembly.Memory({ initial: 1, maximum: maxPages });
}

/**
 * Lays out `memory` as regions of the given byte sizes (each 16-byte aligned) from byte 0, growing it as
 * needed; returns the buffer and the regions' byte offsets, or undefined when it cannot grow so far.
 */
export function placeRegions(
  memory: WebAssembly.Memory,
  regions: readonly number[],
  maxPages = MAX_PAGES,
): { buffer: ArrayBuffer | SharedArrayBuffer; at: number[] } | undefined {
  let bytes = 0;
  const at = regions.map((size) => {
    const offset = bytes;
    bytes += Math.ceil(size / 16) * 16;
    return offset;
  });
  const have = memory.buffer.byteLength;
  if (bytes > have) {
    const pages = Math.ceil((bytes - have) / PAGE);
    if (have / PAGE + pages > maxPages) return undefined;
    try {
      memory.grow(pages);
    } catch {
      return undefined; // the machine would not give it
    }
  }
  return { buffer: memory.buffer, at };
}

/**
 * {@link placeRegions} for a kernel without a JavaScript fallback.
 * @throws StrataError INPUT_TOO_LARGE naming `what` and the bytes asked for, when the memory cannot grow so far
 */
export function mustPlaceRegions(
  memory: WebAssembly.Memory,
  regions: readonly number[],
  what: string,
): { buffer: ArrayBuffer | SharedArrayBuffer; at: number[] } {
  const placed = placeRegions(memory, regions);
  if (placed !== undefined) return placed;
  const bytes = regions.reduce((a, b) => a + b, 0);
  throw new StrataError(
    "INPUT_TOO_LARGE",
    `${what} needs ${bytes} bytes of WebAssembly memory, more than this process can have (at most 4 GiB).`,
    { details: { bytes } },
  );
}
