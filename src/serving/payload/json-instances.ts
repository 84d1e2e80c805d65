/**
 * `application/json` and `application/jsonlines` invocation bodies (spec §4.3, §4.5a). JSON:
 * `{"instances": [...]}` where each instance is `{"features": [..]}`, `{"data": {"features": {"values": [..]}}}`
 * or the sparse `{"data": {"features": {"keys": [..], "shape": [D], "values": [..]}}}`; Strata also takes a
 * bare array of rows (`[[1, 2], [3, 4]]`, spec §8 item 5: unconfirmed on SageMaker). JSON Lines: one instance
 * (or one bare row array) per line. Every value must be a finite number; each row must have the model's width.
 * @module
 */
import { StrataError } from "../../errors.js";
import { type RowBuffer, widthError } from "./csv-scanner.js";

function invalid(message: string, details: Record<string, unknown> = {}): StrataError {
  return new StrataError("INVALID_PAYLOAD", `unable to evaluate payload provided: ${message}`, { details });
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/**
 * V8's own message quotes the text around the error, which in a batch transform is a file's contents: only
 * the position it names (when it names one) is kept.
 */
function parse(text: string, what: string): unknown {
  try {
    return JSON.parse(text);
  } catch (cause) {
    const position = /at position (\d+)/.exec((cause as Error).message)?.[1];
    throw new StrataError(
      "INVALID_PAYLOAD",
      `unable to evaluate payload provided: ${what} is not valid JSON${position === undefined ? "" : ` (at character ${Number(position) + 1})`}.`,
      { cause },
    );
  }
}

/** Writes one instance's values into `data` at row `row`; returns the (possibly grown) array. */
function writeInstance(instance: unknown, row: number, width: number, out: RowBuffer): void {
  const where = `instance ${row}`;
  let values: unknown;
  let keys: unknown;
  let shape: unknown;
  if (Array.isArray(instance)) values = instance;
  else if (isRecord(instance) && Array.isArray(instance["features"])) values = instance["features"];
  else if (isRecord(instance) && isRecord(instance["data"]) && isRecord(instance["data"]["features"])) {
    const tensor = instance["data"]["features"];
    values = tensor["values"];
    keys = tensor["keys"];
    shape = tensor["shape"];
  } else {
    throw invalid(
      `${where} has neither "features" nor "data": {"features": {"values": [...]}}; expected {"features": [${width} numbers]}.`,
      { instance: row },
    );
  }
  if (!Array.isArray(values)) throw invalid(`${where}: "values" is not an array.`, { instance: row });
  if (out.data.length < (row + 1) * width) {
    const grown = new Float64Array(Math.max(out.data.length * 2, (row + 1) * width));
    grown.set(out.data);
    out.data = grown;
  }
  const data = out.data;
  const base = row * width;
  if (keys === undefined) {
    if (values.length !== width) throw widthError(row + 1, width, values.length);
    for (let j = 0; j < width; j++) {
      const v = values[j];
      if (typeof v !== "number" || !Number.isFinite(v)) throw notFinite(where, j, v);
      data[base + j] = v;
    }
    return;
  }
  if (!Array.isArray(keys) || keys.length !== values.length)
    throw invalid(`${where}: sparse "keys" must be an array as long as "values".`, { instance: row });
  const dim = Array.isArray(shape) && shape.length === 1 ? shape[0] : undefined;
  if (dim === undefined) throw invalid(`${where}: sparse features need "shape": [${width}].`);
  if (dim !== width) throw widthError(row + 1, width, Number(dim));
  data.fill(0, base, base + width);
  for (let j = 0; j < keys.length; j++) {
    const k = keys[j];
    const v = values[j];
    if (typeof k !== "number" || !Number.isInteger(k) || k < 0 || k >= width)
      throw invalid(`${where}: key ${JSON.stringify(k)} is outside 0..${width - 1}.`, { value: k });
    if (typeof v !== "number" || !Number.isFinite(v)) throw notFinite(where, j, v);
    data[base + k] = v;
  }
}

/** JSON has no NaN or Infinity, but 1e400 parses to Infinity: a value that is not finite is refused. */
function notFinite(where: string, j: number, v: unknown): StrataError {
  // The value goes in details too, so a batch transform's FailureReason can leave it out (transform-object.ts).
  return invalid(
    `${where}, value ${j} is ${typeof v === "number" ? "beyond the range of a double" : `${JSON.stringify(v)}, not a number`}.`,
    typeof v === "number" ? {} : { value: v },
  );
}

/**
 * Decodes an `application/json` body into `out`; returns the row count.
 * @throws StrataError INVALID_PAYLOAD (not JSON, no `instances`, a non-number), WIDTH_MISMATCH
 * @example
 * decodeJsonInstances('{"instances": [{"features": [1, 2]}]}', 2, buffer); // 1
 */
export function decodeJsonInstances(text: string, width: number, out: RowBuffer): number {
  const doc = parse(text, "the body");
  const instances = Array.isArray(doc)
    ? doc.length > 0 && typeof doc[0] === "number"
      ? [doc]
      : doc
    : isRecord(doc)
      ? doc["instances"]
      : undefined;
  if (!Array.isArray(instances))
    throw invalid('expected {"instances": [{"features": [...]}, ...]}.', { kind: typeof doc });
  if (instances.length === 0) throw invalid('"instances" is empty.');
  for (let i = 0; i < instances.length; i++) writeInstance(instances[i], i, width, out);
  return instances.length;
}

/**
 * Decodes an `application/jsonlines` body (one instance per non-blank line) into `out`; returns the row count.
 * @throws StrataError INVALID_PAYLOAD, WIDTH_MISMATCH
 * @example
 * decodeJsonLines('{"features": [1, 2]}\n{"features": [3, 4]}', 2, buffer); // 2
 */
export function decodeJsonLines(text: string, width: number, out: RowBuffer): number {
  let rows = 0;
  let start = 0;
  let line = 0;
  while (start <= text.length) {
    let end = text.indexOf("\n", start);
    if (end < 0) end = text.length;
    line++;
    const content = text.slice(start, end).trim();
    if (content !== "") {
      writeInstance(parse(content, `line ${line}`), rows, width, out);
      rows++;
    }
    start = end + 1;
  }
  if (rows === 0) throw invalid("the JSON Lines body has no rows.");
  return rows;
}
