/**
 * IEEE 754 binary16 (float16) and bfloat16 conversions for the NDArray codec. JavaScript has no 16-bit float
 * array on Node 20, so these arrays are widened to Float32Array on read (exact: every half and bfloat16 value
 * is a float32) and narrowed with round-to-nearest-even on write, the rounding numpy and MXNet use.
 * @module
 */

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

/** Widens float16 bit patterns to float32 values (exact, NaN payloads kept in the top bits). */
export function halfToFloat32(bits: Uint16Array): Float32Array {
  const out = new Float32Array(bits.length);
  for (let i = 0; i < bits.length; i++) {
    const h = bits[i]!;
    const sign = (h & 0x8000) << 16;
    const exp = (h >>> 10) & 0x1f;
    let mant = h & 0x3ff;
    let word: number;
    if (exp === 0x1f) {
      word = sign | 0x7f800000 | (mant << 13);
    } else if (exp !== 0) {
      word = sign | ((exp + 112) << 23) | (mant << 13);
    } else if (mant === 0) {
      word = sign;
    } else {
      // Subnormal half: normalise the mantissa into a float32 normal number.
      let e = 113;
      while ((mant & 0x400) === 0) {
        mant <<= 1;
        e--;
      }
      word = sign | (e << 23) | ((mant & 0x3ff) << 13);
    }
    u32[0] = word >>> 0;
    out[i] = f32[0]!;
  }
  return out;
}

/** Narrows numbers to float16 bit patterns, rounding to nearest even; overflow becomes ±Infinity. */
export function float32ToHalf(values: ArrayLike<number>): Uint16Array {
  const out = new Uint16Array(values.length);
  for (let i = 0; i < values.length; i++) {
    f32[0] = values[i]!;
    const x = u32[0]!;
    const sign = (x >>> 16) & 0x8000;
    const exp = (x >>> 23) & 0xff;
    const mant = x & 0x7fffff;
    if (exp === 0xff) {
      out[i] = sign | 0x7c00 | (mant !== 0 ? 0x200 | (mant >>> 13) : 0);
      continue;
    }
    const e = exp - 112; // rebias 127 -> 15
    if (e >= 0x1f) {
      out[i] = sign | 0x7c00;
    } else if (e <= 0) {
      if (e < -10) {
        out[i] = sign;
        continue;
      }
      // Subnormal half: shift the implicit-one mantissa right, rounding to nearest even.
      const m = mant | 0x800000;
      const shift = 14 - e;
      const half = 1 << (shift - 1);
      const rest = m & ((1 << shift) - 1);
      let r = m >>> shift;
      if (rest > half || (rest === half && (r & 1) === 1)) r++;
      out[i] = sign | r;
    } else {
      const rest = mant & 0x1fff;
      let r = (e << 10) | (mant >>> 13);
      if (rest > 0x1000 || (rest === 0x1000 && (r & 1) === 1)) r++; // may carry into the exponent: correct
      out[i] = sign | r;
    }
  }
  return out;
}

/** Widens bfloat16 bit patterns (the top half of a float32) to float32 values. */
export function bfloat16ToFloat32(bits: Uint16Array): Float32Array {
  const out = new Float32Array(bits.length);
  const words = new Uint32Array(out.buffer);
  for (let i = 0; i < bits.length; i++) words[i] = bits[i]! << 16;
  return out;
}

/** Narrows numbers to bfloat16 bit patterns, rounding to nearest even; NaN stays NaN. */
export function float32ToBfloat16(values: ArrayLike<number>): Uint16Array {
  const out = new Uint16Array(values.length);
  for (let i = 0; i < values.length; i++) {
    f32[0] = values[i]!;
    const x = u32[0]!;
    if ((x & 0x7f800000) === 0x7f800000 && (x & 0x7fffff) !== 0) {
      out[i] = (x >>> 16) | 0x40;
      continue;
    }
    out[i] = (x + 0x7fff + ((x >>> 16) & 1)) >>> 16;
  }
  return out;
}
