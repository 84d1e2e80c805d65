/**
 * A channel object read in bounded chunks: rows of `chunkRows` at most, whatever the format, so memory is
 * bounded by the chunk size and not by the object. Each format's reader (CSV lines, RecordIO records,
 * Parquet record batches through DuckDB) hands rows to a {@link Rechunker}, which cuts them into chunks of
 * exactly `chunkRows` rows (the last one shorter): the chunks of an object are then the same whatever the
 * reader's own block sizes, so a streamed fit follows one plan.
 * @module
 */
import { StrataError } from "../../errors.js";
import { type Matrix, matrix } from "../../linalg/matrix.js";

/** Rows of one chunk, with the data's index of its first row, and each row's label when the records have one. */
export interface DataChunk {
  readonly matrix: Matrix;
  readonly labels: Float64Array | null;
  /** Index of the chunk's first row in its object (0-based). */
  readonly firstRow: number;
}

/** The record formats a channel object can have (its ContentType). */
export type RecordFormat = "csv" | "recordio-protobuf" | "parquet";

/** One object to stream: a local file (remote objects are fetched to the cache first). */
export interface StreamSource {
  readonly path: string;
  readonly format: RecordFormat;
  /** CSV only: how many leading columns are labels. */
  readonly labelSize: number;
  /** How the object is named in messages (its URI). */
  readonly name: string;
}

/** Collects rows from any reader and hands them out in chunks of exactly `chunkRows` rows. */
export class Rechunker {
  private data: Float64Array;
  private labels: Float64Array | null = null;
  private held = 0;
  private emitted = 0;

  constructor(
    readonly cols: number,
    readonly chunkRows: number,
    readonly withLabels: boolean,
  ) {
    this.data = new Float64Array(chunkRows * cols);
    if (withLabels) this.labels = new Float64Array(chunkRows);
  }

  /**
   * Adds `rows` rows (row-major, `cols` wide) and their labels; returns the chunks they complete.
   * @throws Error when labels come and go between calls (the readers check that first)
   */
  push(values: Float64Array, rows: number, labels: Float64Array | null): DataChunk[] {
    const out: DataChunk[] = [];
    const { cols, chunkRows } = this;
    let from = 0;
    while (from < rows) {
      const take = Math.min(rows - from, chunkRows - this.held);
      this.data.set(values.subarray(from * cols, (from + take) * cols), this.held * cols);
      if (this.labels !== null) this.labels.set(labels!.subarray(from, from + take), this.held);
      this.held += take;
      from += take;
      if (this.held === chunkRows) out.push(this.flush());
    }
    return out;
  }

  /** The rows held, as a last (shorter) chunk; null when none. */
  end(): DataChunk | null {
    return this.held === 0 ? null : this.flush();
  }

  private flush(): DataChunk {
    const rows = this.held;
    const chunk: DataChunk = {
      matrix: matrix(rows, this.cols, this.data.slice(0, rows * this.cols)),
      labels: this.labels === null ? null : this.labels.slice(0, rows),
      firstRow: this.emitted,
    };
    this.emitted += rows;
    this.held = 0;
    return chunk;
  }
}

/** The error of a channel object with no data rows (a header alone, or nothing). */
export function noRows(name: string): StrataError {
  return new StrataError("EMPTY_DATA", `${name} has no rows: a training channel needs at least one.`, {
    details: { source: name },
  });
}
