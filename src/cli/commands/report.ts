/**
 * `strata report <out-dir>`: rebuilds report.html and charts/ from the summary.json and assignments.csv that
 * `strata run` wrote, nothing else (no data, no models). `--hist`, `--component-names`, `--segment-names` and
 * `--names` change what it draws and how it names things; when they do, summary.json is rewritten with the new
 * names so the summary, the report and the terminal agree.
 * @module
 */
import { join, resolve } from "node:path";
import type { Command } from "commander";
import { writeFileAtomic } from "../../data/sources/atomic-file.js";
import { buildReport } from "../../report/build-report.js";
import { readReportInputs } from "../../report/report-input.js";
import { applyReportOptions, withTimings } from "../../workflow/summary.js";
import { printJson, printLines } from "../output.js";
import { createProgress } from "../progress.js";
import { addNameOptions, formatSummary, type NameFlags, nameOverrides } from "./run.js";

interface ReportFlags extends NameFlags {
  json?: boolean;
  quiet?: boolean;
  png?: boolean;
}

/** Registers `strata report`. */
export function registerReport(program: Command): void {
  const command = program
    .command("report")
    .argument("<out-dir>", "the out dir of `strata run` (holds summary.json and assignments.csv)")
    .description("Rebuild report.html and charts/ from summary.json and assignments.csv.")
    .option("--json", "print summary.json on stdout instead of the readable summary")
    .option("--quiet", "no progress lines")
    .option("--png", "also write every chart as a PNG in charts/ (SVGs are always written)");
  addNameOptions(command).action(async (outDirArg: string, flags: ReportFlags) => {
    const started = performance.now();
    const outDir = resolve(outDirArg);
    const names = nameOverrides(flags);
    const progress = createProgress({ totalSteps: 2, quiet: flags.quiet ?? false });
    try {
      progress.start("read");
      const readStarted = performance.now();
      const inputs = await readReportInputs(outDir);
      const renamed = applyReportOptions(inputs.summary, {
        names,
        ...(flags.hist ? { histFeatures: flags.hist } : {}),
      });
      progress.done("read", performance.now() - readStarted, `${inputs.counties.length} counties`);
      progress.start("report");
      const report = await buildReport(outDir, renamed, inputs.counties, { png: flags.png === true });
      progress.done("report", report.elapsedMs, report.file);
      let summary = renamed;
      if (JSON.stringify(renamed) !== JSON.stringify(inputs.summary)) {
        summary = withTimings(renamed, { report: report.elapsedMs });
        await writeFileAtomic(join(outDir, "summary.json"), `${JSON.stringify(summary, null, 2)}\n`);
      }
      progress.stop();
      if (flags.json) printJson(summary);
      else
        printLines(
          ...formatSummary(summary, outDir, performance.now() - started, report.file).slice(0, -2),
          `Report: ${report.file} (built in ${(report.elapsedMs / 1000).toFixed(2)} s)`,
        );
    } finally {
      progress.stop();
    }
  });
}
