/**
 * Channel content types (spec §3.1–3.2): `text/csv` with an optional `label_size=N` parameter (the first N
 * columns are labels, which PCA and K-Means ignore), `application/x-recordio-protobuf` (SageMaker's Record
 * messages in RecordIO framing) and `application/x-parquet` (a Strata extension read with DuckDB). A
 * missing ContentType means RecordIO-protobuf, as the built-in containers assume when the SDK's
 * `record_set()` sends none.
 * @module
 */

export type ChannelFormat = "csv" | "recordio-protobuf" | "parquet";

export interface ContentType {
  readonly format: ChannelFormat;
  /** Leading label columns to drop (CSV only; 0 when not given). */
  readonly labelSize: number;
}

export const ALLOWED_CONTENT_TYPES = [
  "text/csv",
  "text/csv;label_size=N",
  "application/x-recordio-protobuf",
  "application/x-parquet",
] as const;

const FORMATS: Readonly<Record<string, ChannelFormat>> = {
  "text/csv": "csv",
  "application/x-recordio-protobuf": "recordio-protobuf",
  "application/x-recordio": "recordio-protobuf",
  "application/x-parquet": "parquet",
  "application/vnd.apache.parquet": "parquet",
};

/**
 * Parses a ContentType; returns a message describing the problem instead of throwing, so the caller can
 * name the field it came from.
 * @example
 * parseContentType("text/csv;label_size=0"); // { format: "csv", labelSize: 0 }
 */
export function parseContentType(value: string | undefined): ContentType | string {
  if (value === undefined || value.trim() === "") return { format: "recordio-protobuf", labelSize: 0 };
  const [media, ...params] = value.split(";").map((s) => s.trim());
  const format = FORMATS[media!.toLowerCase()];
  if (format === undefined)
    return `"${value}" is not supported: expected one of ${ALLOWED_CONTENT_TYPES.join(", ")}.`;
  let labelSize = 0;
  for (const param of params) {
    const [key, raw] = param.split("=").map((s) => s.trim());
    if (key === "charset" && raw?.toLowerCase().replace(/"/g, "") === "utf-8") continue;
    if (key !== "label_size" || format !== "csv") {
      return `"${value}" has an unsupported parameter "${param}": only text/csv takes label_size=N (and charset=utf-8).`;
    }
    if (raw === undefined || !/^\d+$/.test(raw)) {
      return `"${value}" has label_size=${raw ?? ""}: expected a non-negative integer.`;
    }
    labelSize = Number(raw);
  }
  return { format, labelSize };
}
