/**
 * What a report is built from: summary.json and assignments.csv in an out dir, nothing else. This module reads
 * and checks them. Counties are labelled "State-County" when those columns exist (else by the id columns after
 * the first), and keyed for the map by their CensusId when there is one.
 * @module
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { StrataError } from "../errors.js";
import { STREAMED_SAMPLE_FILE, type Summary } from "../explain/summary-document.js";

/** One row of assignments.csv. */
export interface CountyRow {
  /** Values of the columns before comp_1 (CensusId, State, County by default), by column name. */
  readonly ids: Readonly<Record<string, string>>;
  /** "State-County" (the row index). */
  readonly label: string;
  readonly comps: readonly number[];
  readonly cluster: number;
  readonly distance: number;
}

/**
 * The records of CSV text as fields (RFC 4180: double quotes, `""` inside them, LF / CRLF / CR record ends,
 * which inside quotes belong to the field); empty lines are skipped. assignments.csv quotes ids that hold a
 * comma, a quote or a line break, so a name with any of them reads back as written.
 */
export function parseCsvRecords(text: string): string[][] {
  // Runs of plain characters are sliced whole and a quoted run is found with indexOf: the census'
  // assignments.csv (320 KB) took 30–40 ms to read a character at a time, appended one by one.
  const records: string[][] = [];
  let fields: string[] = [];
  let field = "";
  let started = false;
  const n = text.length;
  let i = 0;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) {
      started = true;
      let from = i + 1;
      for (;;) {
        const close = text.indexOf('"', from);
        if (close < 0) {
          field += text.slice(from);
          i = n;
          break;
        }
        field += text.slice(from, close);
        if (text.charCodeAt(close + 1) !== QUOTE) {
          i = close + 1;
          break;
        }
        field += '"';
        from = close + 2;
      }
    } else if (c === LF || c === CR) {
      if (started) {
        fields.push(field);
        records.push(fields);
      }
      fields = [];
      field = "";
      started = false;
      i += c === CR && text.charCodeAt(i + 1) === LF ? 2 : 1;
    } else if (c === COMMA) {
      started = true;
      fields.push(field);
      field = "";
      i++;
    } else {
      started = true;
      let j = i + 1;
      for (; j < n; j++) {
        const d = text.charCodeAt(j);
        if (d === COMMA || d === QUOTE || d === LF || d === CR) break;
      }
      field += text.slice(i, j);
      i = j;
    }
  }
  if (started) {
    fields.push(field);
    records.push(fields);
  }
  return records;
}

const QUOTE = 0x22;
const COMMA = 0x2c;
const LF = 0x0a;
const CR = 0x0d;

/**
 * The id columns a row's label joins: State and County when both are there, else those after the first (the
 * row's key, such as CensusId), else the only one.
 */
export function labelColumns(idNames: readonly string[]): readonly string[] {
  if (idNames.includes("State") && idNames.includes("County")) return ["State", "County"];
  return idNames.length > 1 ? idNames.slice(1) : idNames;
}

/**
 * Parses assignments.csv.
 * @throws FORMAT_ERROR when the header lacks comp_1, closest_cluster or distance_to_cluster.
 * @example parseAssignments(readFileSync("out/assignments.csv", "utf8"))[0].label // "Alabama-Autauga"
 */
export function parseAssignments(csv: string, path = "assignments.csv"): CountyRow[] {
  const [header = [], ...rows] = parseCsvRecords(csv);
  const firstComp = header.indexOf("comp_1");
  const clusterAt = header.indexOf("closest_cluster");
  const distanceAt = header.indexOf("distance_to_cluster");
  if (firstComp < 0 || clusterAt < firstComp || distanceAt < 0) {
    throw new StrataError(
      "FORMAT_ERROR",
      `${path} is not a Strata assignments.csv: its header lacks comp_1, closest_cluster or distance_to_cluster (expected id columns, comp_1..comp_n, closest_cluster, distance_to_cluster).`,
      { details: { path } },
    );
  }
  const idNames = header.slice(0, firstComp);
  const labelled = labelColumns(idNames);
  return rows.map((f) => {
    const ids = Object.fromEntries(idNames.map((n, j) => [n, f[j] ?? ""]));
    return {
      ids,
      label: labelled.map((c) => ids[c]).join("-"),
      comps: f.slice(firstComp, clusterAt).map(Number),
      cluster: Number(f[clusterAt]),
      distance: Number(f[distanceAt]),
    };
  });
}

/** A run's outputs, read back. */
export interface ReportInputs {
  readonly summary: Summary;
  readonly counties: CountyRow[];
}

/**
 * Reads summary.json and assignments.csv (a streamed run's sample of it) from an out dir.
 * @throws SOURCE_NOT_FOUND when either file is missing; FORMAT_ERROR when summary.json lacks what the report
 * needs (a summary written before reports existed: run `strata run` again).
 */
export async function readReportInputs(outDir: string): Promise<ReportInputs> {
  const read = async (name: string) => {
    const path = join(outDir, name);
    try {
      return await readFile(path, "utf8");
    } catch (cause) {
      throw new StrataError(
        "SOURCE_NOT_FOUND",
        `Could not read ${path}: ${(cause as Error).message}. Is ${outDir} the out dir of \`strata run\`?`,
        { details: { path }, cause },
      );
    }
  };
  // One after the other, so a missing out dir is always reported as a missing summary.json.
  const summaryText = await read("summary.json");
  let summary: Summary;
  try {
    summary = JSON.parse(summaryText) as Summary;
  } catch (cause) {
    throw new StrataError(
      "FORMAT_ERROR",
      `${join(outDir, "summary.json")} is not JSON: ${(cause as Error).message}.`,
      {
        cause,
      },
    );
  }
  const missing = [
    "segments",
    "histograms",
    "scaler",
    "nationalMedian",
    "overallMean",
    "report",
    "columns",
    "entity",
    "transforms",
  ].filter((k) => !(k in summary));
  if (summary.segments?.some((s) => s.profile === undefined)) missing.push("segments[].profile");
  for (const k of ["silhouetteRows", "calinskiHarabasz", "daviesBouldin"] as const)
    if (typeof summary.kmeans?.[k] !== "number") missing.push(`kmeans.${k}`);
  if (missing.length > 0 || !summary.pca?.loadings) {
    throw new StrataError(
      "FORMAT_ERROR",
      `${join(outDir, "summary.json")} lacks ${[...missing, ...(summary.pca?.loadings ? [] : ["pca.loadings"])].join(", ")}: it was written by an older strata. Run \`strata run\` again.`,
      { details: { missing } },
    );
  }
  // A streamed run's report is drawn from its sample (assignments.csv can be gigabytes).
  const rowsFile = summary.streamed ? STREAMED_SAMPLE_FILE : "assignments.csv";
  return { summary, counties: parseAssignments(await read(rowsFile), join(outDir, rowsFile)) };
}
