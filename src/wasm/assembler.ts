/**
 * A small WebAssembly binary writer for Strata's generated kernels (see src/kmeans/wasm-kernels.ts): one
 * module importing one memory, with functions written as opcode sequences by a {@link Code} builder. Only
 * the instructions the kernels use are named here (core MVP numeric and control instructions, and the
 * 128-bit SIMD ones); the encoding follows the WebAssembly core specification 2.0, §5 (binary format).
 *
 * Why generate WebAssembly at all: V8 compiles JavaScript comparisons of doubles to branches, never to
 * conditional moves, so a nearest-centre search in JavaScript pays a mispredicted branch for about every
 * other centre; WebAssembly's f64x2 compares and `v128.bitselect` choose without branching, on two rows at
 * once. Written here rather than taken from a toolchain because the kernels are specialised per (d, k) at
 * run time, as the JavaScript ones are, and the encoder is a few dozen lines.
 * @module
 */

/** Value types (spec §5.3.1). */
export const I32 = 0x7f;
export const I64 = 0x7e;
export const F32 = 0x7d;
export const F64 = 0x7c;
export const V128 = 0x7b;
export type ValType = typeof I32 | typeof I64 | typeof F32 | typeof F64 | typeof V128;

function uleb(out: number[], value: number): void {
  // Most immediates (local indices, small offsets, depths) are one byte.
  if (value >>> 0 < 0x80) {
    out.push(value >>> 0);
    return;
  }
  let v = value >>> 0;
  do {
    let byte = v & 0x7f;
    v >>>= 7;
    if (v !== 0) byte |= 0x80;
    out.push(byte);
  } while (v !== 0);
}

function sleb(out: number[], value: number): void {
  let v = value | 0;
  for (;;) {
    const byte = v & 0x7f;
    v >>= 7;
    const done = (v === 0 && (byte & 0x40) === 0) || (v === -1 && (byte & 0x40) !== 0);
    out.push(done ? byte : byte | 0x80);
    if (done) return;
  }
}

function name(out: number[], s: string): void {
  const bytes = Buffer.from(s, "utf8");
  uleb(out, bytes.length);
  for (const b of bytes) out.push(b);
}

/** A function body under construction: each method appends one instruction and returns the builder. */
export class Code {
  readonly bytes: number[] = [];
  private readonly localTypes: ValType[] = [];

  /** @param paramCount locals 0..paramCount-1 are the parameters */
  constructor(private readonly paramCount: number) {}

  /** Declares a new local of `type` and returns its index. */
  local(type: ValType): number {
    this.localTypes.push(type);
    return this.paramCount + this.localTypes.length - 1;
  }

  /** The locals declaration of the body (runs of equal types). */
  localsVector(): number[] {
    const runs: [number, ValType][] = [];
    for (const t of this.localTypes) {
      const last = runs[runs.length - 1];
      if (last !== undefined && last[1] === t) last[0]++;
      else runs.push([1, t]);
    }
    const out: number[] = [];
    uleb(out, runs.length);
    for (const [n, t] of runs) {
      uleb(out, n);
      out.push(t);
    }
    return out;
  }

  // One byte, or two, per call and no array of them: generating a kernel runs once per process and shape, so
  // this code runs unoptimised, where rest parameters and array literals cost an allocation each.
  private op(byte: number): this {
    this.bytes.push(byte);
    return this;
  }

  private op2(first: number, second: number): this {
    this.bytes.push(first, second);
    return this;
  }

  /** Raw bytes (constants). */
  private raw(bytes: ArrayLike<number>): this {
    for (let i = 0; i < bytes.length; i++) this.bytes.push(bytes[i]!);
    return this;
  }

  private withU32(opcode: number, value: number): this {
    this.bytes.push(opcode);
    uleb(this.bytes, value);
    return this;
  }

  private mem(opcode: number, align: number, offset: number): this {
    this.bytes.push(opcode, align);
    uleb(this.bytes, offset);
    return this;
  }

  private simd(code: number): this {
    this.bytes.push(0xfd);
    uleb(this.bytes, code);
    return this;
  }

  // Control (spec §5.4.1). Blocks and loops have no result (block type 0x40).
  block(): this {
    return this.op2(0x02, 0x40);
  }
  loop(): this {
    return this.op2(0x03, 0x40);
  }
  if(): this {
    return this.op2(0x04, 0x40);
  }
  else(): this {
    return this.op(0x05);
  }
  end(): this {
    return this.op(0x0b);
  }
  br(depth: number): this {
    return this.withU32(0x0c, depth);
  }
  brIf(depth: number): this {
    return this.withU32(0x0d, depth);
  }
  select(): this {
    return this.op(0x1b);
  }

  // Variables.
  get(index: number): this {
    return this.withU32(0x20, index);
  }
  set(index: number): this {
    return this.withU32(0x21, index);
  }
  tee(index: number): this {
    return this.withU32(0x22, index);
  }

  // Memory: natural alignment (log2 of the size), `offset` in bytes.
  i32Load(offset = 0): this {
    return this.mem(0x28, 2, offset);
  }
  f32Load(offset = 0): this {
    return this.mem(0x2a, 2, offset);
  }
  f64Load(offset = 0): this {
    return this.mem(0x2b, 3, offset);
  }
  i32Store(offset = 0): this {
    return this.mem(0x36, 2, offset);
  }
  f32Store(offset = 0): this {
    return this.mem(0x38, 2, offset);
  }
  f64Store(offset = 0): this {
    return this.mem(0x39, 3, offset);
  }

  // Constants.
  i32Const(v: number): this {
    this.op(0x41);
    sleb(this.bytes, v);
    return this;
  }
  f64Const(v: number): this {
    this.op(0x44);
    const b = Buffer.alloc(8);
    b.writeDoubleLE(v);
    return this.raw(b);
  }

  // Numeric (spec §5.4.7).
  i32Eqz(): this {
    return this.op(0x45);
  }
  i32Eq(): this {
    return this.op(0x46);
  }
  i32Ne(): this {
    return this.op(0x47);
  }
  i32LtS(): this {
    return this.op(0x48);
  }
  i32GeS(): this {
    return this.op(0x4e);
  }
  f64Eq(): this {
    return this.op(0x61);
  }
  f64Lt(): this {
    return this.op(0x63);
  }
  i32GtS(): this {
    return this.op(0x4a);
  }
  i32LeS(): this {
    return this.op(0x4c);
  }
  f64Gt(): this {
    return this.op(0x64);
  }
  f64Ge(): this {
    return this.op(0x66);
  }
  i32Add(): this {
    return this.op(0x6a);
  }
  i32Sub(): this {
    return this.op(0x6b);
  }
  i32Mul(): this {
    return this.op(0x6c);
  }
  i32And(): this {
    return this.op(0x71);
  }
  i32Or(): this {
    return this.op(0x72);
  }
  i32Shl(): this {
    return this.op(0x74);
  }
  f64Abs(): this {
    return this.op(0x99);
  }
  f64Sqrt(): this {
    return this.op(0x9f);
  }
  /** IEEE minimum: NaN if either is NaN, and -0 below +0 (as a sort orders them). */
  f64Min(): this {
    return this.op(0xa4);
  }
  f64Max(): this {
    return this.op(0xa5);
  }
  i32ShrU(): this {
    return this.op(0x76);
  }
  f64Add(): this {
    return this.op(0xa0);
  }
  f64Sub(): this {
    return this.op(0xa1);
  }
  f64Mul(): this {
    return this.op(0xa2);
  }
  f64Div(): this {
    return this.op(0xa3);
  }
  i32WrapI64(): this {
    return this.op(0xa7);
  }
  f64ConvertI32S(): this {
    return this.op(0xb7);
  }
  i32TruncF64S(): this {
    return this.op(0xaa);
  }
  f32DemoteF64(): this {
    return this.op(0xb6);
  }
  f64PromoteF32(): this {
    return this.op(0xbb);
  }

  // SIMD (spec §5.4.8, prefix 0xfd).
  v128Load(offset = 0): this {
    this.simd(0x00);
    uleb(this.bytes, 4);
    uleb(this.bytes, offset);
    return this;
  }
  v128Store(offset = 0): this {
    this.simd(0x0b);
    uleb(this.bytes, 4);
    uleb(this.bytes, offset);
    return this;
  }
  v128Load64Splat(offset = 0): this {
    this.simd(0x0a);
    uleb(this.bytes, 3);
    uleb(this.bytes, offset);
    return this;
  }
  v128Load64Lane(lane: number, offset = 0): this {
    this.simd(0x57);
    uleb(this.bytes, 3);
    uleb(this.bytes, offset);
    return this.op(lane);
  }
  v128Const(lanes: readonly [number, number]): this {
    this.simd(0x0c);
    const b = Buffer.alloc(16);
    b.writeDoubleLE(lanes[0], 0);
    b.writeDoubleLE(lanes[1], 8);
    return this.raw(b);
  }
  /** A v128 constant of two i64 lanes. */
  v128ConstI64(lanes: readonly [number, number]): this {
    this.simd(0x0c);
    const b = Buffer.alloc(16);
    b.writeBigInt64LE(BigInt(lanes[0]), 0);
    b.writeBigInt64LE(BigInt(lanes[1]), 8);
    return this.raw(b);
  }
  i64x2ExtractLane(lane: number): this {
    this.simd(0x1d);
    return this.op(lane);
  }
  i64x2Add(): this {
    return this.simd(0xce);
  }
  f64x2Splat(): this {
    return this.simd(0x14);
  }
  f64x2ExtractLane(lane: number): this {
    this.simd(0x21);
    return this.op(lane);
  }
  f64x2Lt(): this {
    return this.simd(0x49);
  }
  v128Bitselect(): this {
    return this.simd(0x52);
  }
  f64x2Add(): this {
    return this.simd(0xf0);
  }
  f64x2Sub(): this {
    return this.simd(0xf1);
  }
  f64x2Mul(): this {
    return this.simd(0xf2);
  }
  f64x2Sqrt(): this {
    return this.simd(0xef);
  }
  /** pmin(a, b) = b < a ? b : a, lane-wise (spec: "pseudo-minimum"). */
  f64x2Pmin(): this {
    return this.simd(0xf6);
  }
}

/** One exported function of a module. */
export interface WasmFunction {
  readonly name: string;
  readonly params: readonly ValType[];
  readonly results: readonly ValType[];
  readonly code: Code;
}

/**
 * The bytes of a module that imports memory `env.memory` (shared when `shared`, with `maxPages` pages of
 * 64 KiB at most) and exports `functions`.
 */
export function moduleBytes(
  functions: readonly WasmFunction[],
  memory: { readonly shared: boolean; readonly maxPages: number },
): Uint8Array<ArrayBuffer> {
  const out: number[] = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];
  const append = (to: number[], bytes: readonly number[]) => {
    for (let i = 0; i < bytes.length; i++) to.push(bytes[i]!);
  };
  const section = (id: number, body: number[]) => {
    out.push(id);
    uleb(out, body.length);
    append(out, body);
  };
  const types: number[] = [];
  uleb(types, functions.length);
  for (const f of functions) {
    types.push(0x60);
    uleb(types, f.params.length);
    types.push(...f.params);
    uleb(types, f.results.length);
    types.push(...f.results);
  }
  section(1, types);
  const imports: number[] = [1];
  name(imports, "env");
  name(imports, "memory");
  imports.push(0x02, memory.shared ? 0x03 : 0x01);
  uleb(imports, 0);
  uleb(imports, memory.maxPages);
  section(2, imports);
  const funcs: number[] = [];
  uleb(funcs, functions.length);
  for (let i = 0; i < functions.length; i++) uleb(funcs, i);
  section(3, funcs);
  const exports: number[] = [];
  uleb(exports, functions.length);
  functions.forEach((f, i) => {
    name(exports, f.name);
    exports.push(0x00);
    uleb(exports, i);
  });
  section(7, exports);
  const code: number[] = [];
  uleb(code, functions.length);
  for (const f of functions) {
    const locals = f.code.localsVector();
    uleb(code, locals.length + f.code.bytes.length + 1);
    append(code, locals);
    append(code, f.code.bytes);
    code.push(0x0b);
  }
  section(10, code);
  return Uint8Array.from(out);
}

/** Pushes `base + index · bytes` (base and index are i32 locals): the address of element `index`. */
export function emitAddress(c: Code, base: number, index: number, bytes: number): Code {
  return c.get(base).get(index).i32Const(bytes).i32Mul().i32Add();
}
