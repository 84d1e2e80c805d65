/**
 * What a report is built from: summary.json and assignments.csv in an out dir, nothing else. This module reads
 * and checks them. Counties are labelled "State-County" when those columns exist (else by the id columns after
 * the first), and keyed for the map by their CensusId when there is one.
 * @module
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { StrataError } from "../errors.js";
import type { Summary } from "../explain/summary-document.js";

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

/** Splits one CSV line, honouring double quotes (as assignments.csv writes names with commas). */
export function splitCsvLine(line: string): string[] {
  const fields: string[] = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ",") {
      fields.push(field);
      field = "";
    } else field += ch;
  }
  fields.push(field);
  return fields;
}

/**
 * Parses assignments.csv.
 * @throws FORMAT_ERROR when the header lacks comp_1, closest_cluster or distance_to_cluster.
 * @example parseAssignments(readFileSync("out/assignments.csv", "utf8"))[0].label // "Alabama-Autauga"
 */
export function parseAssignments(csv: string, path = "assignments.csv"): CountyRow[] {
  const lines = csv.split(/\r?\n/).filter((l) => l.length > 0);
  const header = splitCsvLine(lines[0] ?? "");
  const firstComp = header.indexOf("comp_1");
  const clusterAt = header.indexOf("closest_cluster");
  const distanceAt = header.indexOf("distance_to_cluster");
  if (firstComp < 0 || clusterAt < firstComp || distanceAt < 0) {
    throw new StrataError(
      "FORMAT_ERROR",
      `${path} has the header "${lines[0] ?? ""}"; expected id columns, comp_1..comp_n, closest_cluster, distance_to_cluster.`,
      { details: { path } },
    );
  }
  const idNames = header.slice(0, firstComp);
  const labelColumns =
    idNames.includes("State") && idNames.includes("County")
      ? ["State", "County"]
      : idNames.length > 1
        ? idNames.slice(1)
        : idNames;
  return lines.slice(1).map((line) => {
    const f = splitCsvLine(line);
    const ids = Object.fromEntries(idNames.map((n, j) => [n, f[j] ?? ""]));
    return {
      ids,
      label: labelColumns.map((c) => ids[c]).join("-"),
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
 * Reads summary.json and assignments.csv from an out dir.
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
  const csv = await read("assignments.csv");
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
  const missing = ["segments", "histograms", "scaler", "nationalMedian", "report"].filter(
    (k) => !(k in summary),
  );
  if (missing.length > 0 || !summary.pca?.loadings) {
    throw new StrataError(
      "FORMAT_ERROR",
      `${join(outDir, "summary.json")} lacks ${[...missing, ...(summary.pca?.loadings ? [] : ["pca.loadings"])].join(", ")}: it was written by an older strata. Run \`strata run\` again.`,
      { details: { missing } },
    );
  }
  return { summary, counties: parseAssignments(csv, join(outDir, "assignments.csv")) };
}
