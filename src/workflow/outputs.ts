/**
 * The pieces a run's out dir is made of: the staging directory a run writes into and publishes from only when
 * it succeeds (so a failed run leaves --out as it was), the out dir itself, and assignments.csv (the
 * DESIGN.md contract). Each file is written with the one atomic writer (src/data/sources/atomic-file.ts).
 * @module
 */
import { mkdir, readdir, rename, rm, stat } from "node:fs/promises";
import { basename, dirname, join, resolve } from "node:path";
import { StrataError } from "../errors.js";
import { type CountyRow, labelColumns } from "../report/report-input.js";
import type { SegmentationResult } from "./segmentation.js";

/**
 * A run writes its outputs into a staging directory beside the out dir and publishes them only when every
 * step has succeeded, so a run that fails (bad data, a failed job, a full disk) leaves the out dir as it was.
 * Returns the staging directory.
 * @throws StrataError OUTPUT_NOT_WRITABLE when the out dir is a file or its parent cannot be created
 */
export async function stageOutDir(outDir: string): Promise<string> {
  const dir = resolve(outDir);
  const existing = await stat(dir).catch(() => null);
  if (existing !== null && !existing.isDirectory())
    throw new StrataError("OUTPUT_NOT_WRITABLE", `--out ${dir} is a file; name a directory.`, {
      details: { path: dir },
    });
  const parent = await ensureOutDir(dirname(dir));
  const staging = join(parent, `.${basename(dir)}.strata-staging-${process.pid}-${Date.now()}`);
  await ensureOutDir(staging);
  return staging;
}

/**
 * Moves every entry of `staging` into `outDir` (replacing entries of the same name, leaving the others),
 * `last` after all the rest, then removes `staging`.
 */
export async function publishOutDir(staging: string, outDir: string, last: string): Promise<void> {
  const dir = await ensureOutDir(outDir);
  const entries = await readdir(staging);
  const replace = async (entry: string) => {
    await rm(join(dir, entry), { recursive: true, force: true });
    await rename(join(staging, entry), join(dir, entry));
  };
  try {
    // The others together (removing a run's old data/ and models/ is a dozen calls on libuv's threads, which
    // one entry after another left this thread idle for 3-5 ms), then `last`.
    const settled = await Promise.allSettled(entries.filter((e) => e !== last).map(replace));
    for (const s of settled) if (s.status === "rejected") throw s.reason;
    if (entries.includes(last)) await replace(last);
  } catch (cause) {
    throw new StrataError(
      "OUTPUT_NOT_WRITABLE",
      `Could not publish the run's outputs into ${dir}: ${(cause as Error).message}.`,
      {
        details: { path: dir },
        cause,
      },
    );
  }
  await rm(staging, { recursive: true, force: true });
}

/** Removes a staging directory of a run that failed. */
export async function discardStaging(staging: string): Promise<void> {
  await rm(staging, { recursive: true, force: true });
}

/** Creates the out dir (and parents), naming it in the error when that fails. */
export async function ensureOutDir(outDir: string): Promise<string> {
  const dir = resolve(outDir);
  try {
    await mkdir(dir, { recursive: true });
  } catch (cause) {
    throw new StrataError(
      "OUTPUT_NOT_WRITABLE",
      `Could not create the out dir ${dir}: ${(cause as Error).message}.`,
      {
        details: { path: dir },
        cause,
      },
    );
  }
  return dir;
}

/** assignments.csv: id and index columns, comp_1..comp_n, closest_cluster, distance_to_cluster. */
export function assignmentsCsv(result: SegmentationResult, idColumns: readonly string[]): string {
  return assignmentsHeader(idColumns, result.kept) + assignmentLines(result, idColumns);
}

/** assignments.csv's header line (with its newline). */
export function assignmentsHeader(idColumns: readonly string[], kept: number): string {
  const header = [
    ...idColumns.map(csvField),
    ...Array.from({ length: kept }, (_, i) => `comp_${i + 1}`),
    "closest_cluster",
    "distance_to_cluster",
  ];
  return `${header.join(",")}\n`;
}

/** Rows under assignments.csv's header, one line (and newline) per row: a whole run's, or one chunk's. */
export function assignmentLines(
  rows: Pick<SegmentationResult, "identifiers" | "projections" | "closestCluster" | "distanceToCluster">,
  idColumns: readonly string[],
): string {
  const { projections, closestCluster, distanceToCluster } = rows;
  const idValues = idTexts(rows.identifiers, idColumns).map((column) => column.map(csvField));
  const lines: string[] = [];
  for (let i = 0; i < projections.rows; i++) {
    const fields = idValues.map((col) => col[i]!);
    for (let j = 0; j < projections.cols; j++)
      fields.push(String(projections.data[i * projections.cols + j]));
    fields.push(String(closestCluster[i]), String(distanceToCluster[i]));
    lines.push(fields.join(","));
  }
  return lines.length === 0 ? "" : `${lines.join("\n")}\n`;
}

/**
 * assignments.csv's rows as the report reads them back (report-input.ts `parseAssignments`), without printing
 * and parsing them: `strata run` builds its report from these. Printing the census' 19,000 numbers and
 * parsing them back took about 25 ms of the report step. The values are the same: a double prints as the
 * shortest text that parses back to it, and -0, printed "0", is 0 here too.
 */
export function assignmentRows(
  rows: Pick<SegmentationResult, "identifiers" | "projections" | "closestCluster" | "distanceToCluster">,
  idColumns: readonly string[],
): CountyRow[] {
  const { projections, closestCluster, distanceToCluster } = rows;
  const idValues = idTexts(rows.identifiers, idColumns);
  const labelled = labelColumns(idColumns);
  const k = projections.cols;
  return Array.from({ length: projections.rows }, (_, i) => {
    const ids = Object.fromEntries(idColumns.map((name, j) => [name, idValues[j]![i]!]));
    return {
      ids,
      label: labelled.map((c) => ids[c]).join("-"),
      comps: Array.from(projections.data.subarray(i * k, (i + 1) * k), unsignedZero),
      cluster: closestCluster[i]!,
      distance: unsignedZero(distanceToCluster[i]!),
    };
  });
}

/** -0 as 0, as it reads back from its text. */
const unsignedZero = (v: number): number => (v === 0 ? 0 : v);

/** The id columns' values as text: numbers as `String` prints them, a missing text as "". */
function idTexts(table: SegmentationResult["identifiers"], idColumns: readonly string[]): string[][] {
  return idColumns.map((name) =>
    table.numericColumnNames.includes(name)
      ? Array.from(table.column(name), (v) => String(v))
      : table.stringColumn(name).map((v) => v ?? ""),
  );
}

function csvField(value: string): string {
  return /[",\n\r]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}
