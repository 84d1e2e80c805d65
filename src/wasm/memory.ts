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

/** One byte offset per region, as many as the regions (so they destructure without casts). */
export type Offsets<R extends readonly number[]> = { -readonly [K in keyof R]: number };

/** The laid-out memory: its buffer (views are made from it) and each region's byte offset. */
export interface Placed<R extends readonly number[]> {
  readonly buffer: ArrayBuffer | SharedArrayBuffer;
  readonly at: Offsets<R>;
}

/** A growable memory for a kernel module (`maxPages` must match the module's import: moduleBytes' `maxPages`). */
export function kernelMemory(maxPages = MAX_PAGES): WebAssembly.Memory {
  return new WebAssembly.Memory({ initial: 1, maximum: maxPages });
}

/**
 * Lays out `memory` as regions of the given byte sizes (each 16-byte aligned) from byte 0, growing it as
 * needed; returns the buffer and the regions' byte offsets, or undefined when it cannot grow so far.
 */
export function placeRegions<const R extends readonly number[]>(
  memory: WebAssembly.Memory,
  regions: R,
  maxPages = MAX_PAGES,
): Placed<R> | undefined {
  let bytes = 0;
  const at = regions.map((size) => {
    const offset = bytes;
    bytes += Math.ceil(size / 16) * 16;
    return offset;
  }) as Offsets<R>;
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
export function mustPlaceRegions<const R extends readonly number[]>(
  memory: WebAssembly.Memory,
  regions: R,
  what: string,
): Placed<R> {
  const placed = placeRegions(memory, regions);
  if (placed !== undefined) return placed;
  const bytes = regions.reduce((a, b) => a + b, 0);
  throw new StrataError(
    "INPUT_TOO_LARGE",
    `${what} needs ${bytes} bytes of WebAssembly memory, more than this process can have (at most 4 GiB).`,
    { details: { bytes } },
  );
}
