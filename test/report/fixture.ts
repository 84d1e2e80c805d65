/**
 * The census report the report tests share: the segmentation run in process on the real census file, its
 * summary.json and assignments.csv written to a temporary out dir, and the report built there. Built once per
 * test process (each test file is its own process) and cached.
 * @module
 */

import { readFileSync } from "node:fs";
import { join } from "node:path";
import { writeFileAtomic } from "../../src/data/sources/atomic-file.js";
import type { Summary } from "../../src/explain/summary-document.js";
import { type BuiltReport, buildReport } from "../../src/report/build-report.js";
import { parseAssignments } from "../../src/report/report-input.js";
import { DEFAULT_OPTIONS } from "../../src/workflow/options.js";
import { assignmentsCsv, ensureOutDir } from "../../src/workflow/outputs.js";
import { runSegmentation, type SegmentationResult } from "../../src/workflow/segmentation.js";
import { buildSummary } from "../../src/workflow/summary.js";
import { censusCsvPath } from "../helpers/census.js";
import { tempDir } from "../helpers/cli.js";

export interface CensusReport {
  readonly outDir: string;
  readonly result: SegmentationResult;
  readonly summary: Summary;
  readonly report: BuiltReport;
  readonly html: string;
}

let cached: Promise<CensusReport> | undefined;

/** Runs the census segmentation and builds its report (once per process). */
export function censusReport(): Promise<CensusReport> {
  cached ??= (async () => {
    const outDir = join(tempDir("strata-report-"), "out");
    const result = await runSegmentation({ ...DEFAULT_OPTIONS, source: censusCsvPath() });
    const summary = buildSummary(result);
    await ensureOutDir(outDir);
    const csv = assignmentsCsv(result, ["CensusId", "State", "County"]);
    await writeFileAtomic(join(outDir, "assignments.csv"), csv);
    await writeFileAtomic(join(outDir, "summary.json"), `${JSON.stringify(summary, null, 2)}\n`);
    const rows = parseAssignments(csv);
    // With PNGs (`--png`): the render tests check them.
    const report = await buildReport(outDir, summary, rows, { png: true });
    return { outDir, result, summary, report, html: readFileSync(report.file, "utf8") };
  })();
  return cached;
}
