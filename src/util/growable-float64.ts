/**
 * A Float64Array that grows as values are appended, for readers that learn a column's length as they go
 * (DuckDB's chunks, the small-CSV reader's blocks).
 * @module
 */

/** Append-only doubles: `reserve` room, write into `data` from `length`, advance `length`; `finish` at the end. */
export class GrowableFloat64 {
  /** The storage: `length` values, then spare room. */
  data: Float64Array;
  length = 0;
  constructor(capacity: number) {
    this.data = new Float64Array(Math.max(16, capacity));
  }
  reserve(extra: number): void {
    if (this.length + extra <= this.data.length) return;
    const next = new Float64Array(Math.max(this.length + extra, this.data.length * 2));
    next.set(this.data.subarray(0, this.length));
    this.data = next;
  }
  /** The filled part: a view when at most a quarter is spare (no 100 MB copy for a close estimate). */
  finish(): Float64Array {
    if (this.length === this.data.length) return this.data;
    return this.length * 1.25 >= this.data.length
      ? this.data.subarray(0, this.length)
      : this.data.slice(0, this.length);
  }
}
