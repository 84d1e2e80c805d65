/**
 * Random ±1 signs addressed by (seed, row, word) rather than drawn from a stream: a counter-based generator in
 * the manner of Salmon et al.'s Philox/Threefry ("Parallel random numbers: as easy as 1, 2, 3", SC 2011), built
 * from MurmurHash3's 32-bit finaliser (`fmix32`, Appleby 2011) in the chained style of splitmix. Randomized PCA
 * needs every row's column of signs to be the same however the rows are cut into chunks, shards and
 * executors: a stream generator would give a row different signs depending on how many rows came before it
 * in its chunk, while here row 1,000,000's signs are a pure function of the seed and the number 1,000,000.
 *
 * Each call gives 32 signs (one per bit): bit b of word w is the sign of sketch component 32·w + b.
 * @module
 */

/** MurmurHash3's 32-bit finaliser: a bijection of the 32-bit integers with full avalanche. */
function fmix32(value: number): number {
  let h = value >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/**
 * The 32-bit key of a seed (any non-negative safe integer; both of its 32-bit halves count), computed once
 * per fit rather than per row.
 * @example const key = signKey(0);
 */
export function signKey(seed: number): number {
  const lo = seed >>> 0;
  const hi = Math.floor(seed / 2 ** 32) >>> 0;
  return fmix32(fmix32(lo ^ 0x2545f491) ^ Math.imul(hi + 1, 0x9e3779b9));
}

/**
 * 32 independent-looking random bits for (key, row, word): three rounds of fmix32, each folding in one more
 * 32-bit input multiplied by an odd constant (so every input bit reaches every output bit). `row` is a
 * non-negative safe integer (the row's index in the whole data), `word` a small non-negative integer.
 * @example const bits = signWord(signKey(7), 123_456, 0); // bit b set ⇒ component b's sign is −1
 */
export function signWord(key: number, row: number, word: number): number {
  const lo = row >>> 0;
  const hi = Math.floor(row / 2 ** 32) >>> 0;
  let h = fmix32(key ^ Math.imul(lo, 0x9e3779b1));
  h = fmix32(h ^ Math.imul(hi, 0x85ebca77) ^ Math.imul(word + 1, 0xc2b2ae3d));
  return fmix32(h + key);
}

/**
 * The signs of one row for `count` components into `out[offset .. offset + count)` as ±1 (bit set ⇒ −1).
 * @example rowSigns(signKey(0), 5, 15, out, 0); // out[0..15) ∈ {−1, +1}
 */
export function rowSigns(key: number, row: number, count: number, out: Float64Array, offset: number): void {
  for (let w = 0; w * 32 < count; w++) {
    const bits = signWord(key, row, w);
    const end = Math.min(32, count - w * 32);
    for (let b = 0; b < end; b++) out[offset + w * 32 + b] = (bits >>> b) & 1 ? -1 : 1;
  }
}
