/**
 * The part of the WebAssembly JavaScript API that Strata's generated kernels use (src/wasm, src/kmeans/
 * wasm-*.ts). Node provides the global at run time; TypeScript declares it only in the DOM libraries, which
 * a Node project should not pull in.
 */
declare namespace WebAssembly {
  interface MemoryDescriptor {
    initial: number;
    maximum?: number;
    shared?: boolean;
  }
  class Memory {
    constructor(descriptor: MemoryDescriptor);
    readonly buffer: ArrayBuffer | SharedArrayBuffer;
    /** Adds `pages` pages of 64 KiB; returns the previous size in pages. Detaches the old buffer. */
    grow(pages: number): number;
  }
  class Module {
    constructor(bytes: BufferSource);
  }
  class Instance {
    constructor(module: Module, imports?: Record<string, Record<string, unknown>>);
    readonly exports: Record<string, unknown>;
  }
  function validate(bytes: BufferSource): boolean;
}
