/**
 * A channel's CSV object streamed in chunks: blocks of bytes decoded as UTF-8 and cut into lines, each line
 * read by the channel's CSV rules (numeric-csv.ts), the rows handed out in chunks of `chunkRows`. The CSV is
 * Strata's own reader rather than DuckDB's because a channel's rules are SageMaker's (a header only when a
 * field is not a number, `label_size` columns, an error naming the line and column of a bad cell), which
 * numeric-csv.ts already implements for whole objects: one set of rules for both.
 * @module
 */
import { fileBlocks } from "./byte-stream.js";
import { type DataChunk, Rechunker, type StreamSource } from "./chunks.js";
import { NumericCsvLines } from "./numeric-csv.js";

/** The header's feature names (or null) and the chunks of a CSV object. */
export async function* csvChunks(
  source: StreamSource,
  chunkRows: number,
  onHeader?: (featureNames: readonly string[] | null, cols: number) => void,
): AsyncGenerator<DataChunk> {
  const csv = new NumericCsvLines({ labelSize: source.labelSize, source: source.name });
  const decoder = new TextDecoder();
  let rechunker: Rechunker | undefined;
  let carry = "";
  let lineNo = 1;
  // Lines parsed since the rechunker last took them: taken every few thousand lines, so the parser holds
  // little and the rechunker cuts exact chunks.
  const drain = function* (): Generator<DataChunk> {
    if (csv.rows === 0) return;
    if (rechunker === undefined) {
      onHeader?.(csv.featureNames, csv.cols);
      rechunker = new Rechunker(csv.cols, chunkRows, source.labelSize > 0);
    }
    const rows = csv.take();
    yield* rechunker.push(rows.matrix.data, rows.matrix.rows, rows.labels);
  };
  const take = (text: string): void => {
    let start = 0;
    for (let end = text.indexOf("\n"); end >= 0; end = text.indexOf("\n", start)) {
      const line = text.charCodeAt(end - 1) === 13 ? text.slice(start, end - 1) : text.slice(start, end);
      csv.line(line, lineNo++);
      start = end + 1;
    }
    carry = text.slice(start);
  };
  for await (const block of fileBlocks(source.path)) {
    take(carry + decoder.decode(block, { stream: true }));
    yield* drain();
  }
  const rest = carry + decoder.decode();
  if (rest !== "") csv.line(rest.endsWith("\r") ? rest.slice(0, -1) : rest, lineNo);
  csv.end();
  yield* drain();
  if (rechunker === undefined) onHeader?.(csv.featureNames, csv.cols);
  const last = rechunker?.end();
  if (last) yield last;
}
