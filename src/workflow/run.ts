/**
 * `strata run` as one library call: the segmentation workflow with its models trained as registered jobs,
 * then the out dir — summary.json, assignments.csv, report.html and charts/,
 * models/<algorithm>/{model.tar.gz, strata-model.json} and data/ (the training channels). The CLI only parses flags and prints; the same call serves tests and
 * benchmarks.
 *
 *   open registry ─▶ runSegmentation (pca and kmeans as training jobs) ─▶ copy artifacts into models/
 *     ─▶ register <name>-pca, <name>-kmeans and the <name>-pipeline model ─▶ assignments.csv
 *     ─▶ report.html + charts/ ─▶ summary.json (last: its presence marks a complete out dir) ─▶ close registry
 *
 * Bad input fails inside runSegmentation before anything is written; the training data under data/ is the
 * first thing written, after the data has been validated.
 * @module
 */
import { mkdir } from "node:fs/promises";
import { join, relative, resolve } from "node:path";
import { writeFileAtomic } from "../data/sources/atomic-file.js";
import { resolveStore } from "../data/sources/resolve.js";
import { tableFiles } from "../data/table-files.js";
import { STREAMED_SAMPLE_FILE, type Summary } from "../explain/summary-document.js";
import { metadataUriFor } from "../jobs/model-artifacts.js";
import { InlineJobRunner } from "../jobs/runners/inline.js";
import { ThreadJobRunner } from "../jobs/runners/threads.js";
import { TrainingService } from "../jobs/training-service.js";
import { defaultArtifactsPath } from "../registry/home.js";
import {
  checkRunName,
  type RegisteredRunModels,
  registerRunModels,
  runNameFrom,
} from "../serving/register-run-models.js";
import { jobTrainers, type RunJob } from "./job-trainers.js";
import type { SegmentationOptions } from "./options.js";
import { assignmentRows, assignmentsCsv, discardStaging, publishOutDir, stageOutDir } from "./outputs.js";
import { type RunRecorder, recordRun } from "./run-record.js";
import { runSegmentation, type SegmentationResult, type StepHooks } from "./segmentation.js";
import { chooseStreaming, type StreamChoice } from "./stream-choice.js";
import {
  applyReportOptions,
  buildSummary,
  checkHistFeatures,
  type ReportOptions,
  withTimings,
} from "./summary.js";

export interface RunOptions extends SegmentationOptions {
  readonly outDir: string;
  /** Strata home (registry, artifacts, cache); default $STRATA_HOME or ~/.strata. */
  readonly home?: string;
  /** Build report.html and charts/ (default true). */
  readonly report?: boolean;
  /** Also write each chart as a PNG in charts/ (default false: SVGs only). */
  readonly png?: boolean;
  /** Names and histogram features for the summary, the report and the terminal. */
  readonly reportOptions?: ReportOptions;
  /**
   * The run's name, under which its models are registered (`<name>-pipeline`, …; the next free `<name>-N`
   * when taken). Default: from the data file's name ("census" for the census).
   */
  readonly name?: string;
  /** Re-register the name's models instead of taking the next free name. */
  readonly replaceModels?: boolean;
  /** The registry record this run fills in, created by its caller (the console's run service); default: a new one. */
  readonly runId?: string;
}

export interface RunHooks extends StepHooks {
  /** How the table is read: held in memory or streamed, and why (before the first step). */
  onReading?(choice: StreamChoice): void;
  onWriteStart?(): void;
  onWriteDone?(elapsedMs: number, outDir: string): void;
  onReportStart?(): void;
  onReportDone?(elapsedMs: number, file: string): void;
}

/** summary.json of a run: the workflow's summary plus the training jobs and the model files. */
export type RunSummary = Summary & ReturnType<typeof jobsSection>;

export interface RunOutcome {
  /** The run's id in the registry (`strata runs list`, the console). */
  readonly runId: string;
  readonly summary: RunSummary;
  readonly result: SegmentationResult;
  readonly outDir: string;
  readonly jobs: readonly RunJob[];
  /** Absolute path of report.html, when the report was built. */
  readonly reportFile?: string;
}

/**
 * A held table up to about this many bytes in memory trains its jobs on the run's own thread (the census is
 * about 1 MB; 16 MB is some 2 million cells, whose PCA and K-Means take well under a second).
 */
export const INLINE_JOBS_BYTES = 16 * 2 ** 20;

/** Runs the workflow and writes the out dir; see the module comment. */
export async function executeRun(options: RunOptions, given: RunHooks = {}): Promise<RunOutcome> {
  const home = options.home === undefined ? {} : { home: options.home };
  // A bad --name is refused before anything is read or written.
  if (options.name !== undefined) checkRunName(options.name);
  const record = recordRun(options, home, options.runId);
  try {
    const outcome = await executeRecordedRun(options, recordingHooks(given, record));
    record.complete(outcome.summary);
    return { ...outcome, runId: record.id };
  } catch (error) {
    record.fail(error);
    throw error;
  } finally {
    record.close();
  }
}

/** The caller's hooks, each step also recorded as an event of the run. */
function recordingHooks(hooks: RunHooks, record: RunRecorder): RunHooks {
  return {
    onReading(choice) {
      record.event(
        "phase",
        "read",
        choice.stream ? `Streaming the table: ${choice.reason}` : "Holding the table in memory",
      );
      hooks.onReading?.(choice);
    },
    onStepStart(step) {
      record.event("step-start", step, step);
      hooks.onStepStart?.(step);
    },
    onStepDone(step, elapsedMs, detail) {
      record.event("step-done", step, `${detail} (${Math.round(elapsedMs)} ms)`);
      hooks.onStepDone?.(step, elapsedMs, detail);
    },
    onWriteStart() {
      record.event("step-start", "write", "write");
      hooks.onWriteStart?.();
    },
    onWriteDone(elapsedMs, outDir) {
      record.event("step-done", "write", `Wrote ${outDir} (${Math.round(elapsedMs)} ms)`);
      hooks.onWriteDone?.(elapsedMs, outDir);
    },
    onReportStart() {
      record.event("step-start", "report", "report");
      hooks.onReportStart?.();
    },
    onReportDone(elapsedMs, file) {
      record.event("step-done", "report", `Wrote ${file} (${Math.round(elapsedMs)} ms)`);
      hooks.onReportDone?.(elapsedMs, file);
    },
  };
}

async function executeRecordedRun(options: RunOptions, hooks: RunHooks): Promise<Omit<RunOutcome, "runId">> {
  const home = options.home === undefined ? {} : { home: options.home };
  const finalOutDir = resolve(options.outDir);
  // Everything is written here first and published into --out at the end (outputs.ts).
  const outDir = await stageOutDir(finalOutDir);
  let published = false;
  let service: TrainingService | undefined;
  try {
    const reading = await chooseReading(options);
    // Streamed, the jobs run on this thread: they wait on chunks as the passes do, and a worker's heap, freed
    // when it ends, is not given back to the system (a 20M-row run peaked 200 MB higher with workers). A small
    // held table's jobs run here too: a training worker's start-up (its modules, its heap) took longer than
    // the census' PCA and K-Means themselves (spawn to exit without the report: 0.96-0.98 s with two warm
    // workers, 0.70-0.72 s inline). A larger held table gets workers, started now while the data loads.
    const runner =
      reading.stream || (reading.estimatedBytes ?? Number.POSITIVE_INFINITY) <= INLINE_JOBS_BYTES
        ? new InlineJobRunner(home)
        : new ThreadJobRunner({ ...home, warmWorkers: 2 });
    service = await TrainingService.open({ ...home, runner });
    const reportOptions = options.reportOptions ?? {};
    const trainers = jobTrainers({
      service,
      dataDir: join(outDir, "data"),
      publishedDataDir: join(finalOutDir, "data"),
    });
    // Only the user's own --hist can be wrong: the default adapts to the data (defaultHistFeatures).
    const checkFeatures = (features: readonly string[]) => {
      if (reportOptions.histFeatures !== undefined) checkHistFeatures(reportOptions.histFeatures, features);
    };
    hooks.onReading?.(reading);
    const assignmentsFile = join(outDir, "assignments.csv");
    const result = reading.stream
      ? await runStreamed(options, {
          trainers,
          dataDir: join(outDir, "data"),
          assignmentsFile,
          hooks,
          checkFeatures,
        })
      : await runSegmentation(options, { trainers, hooks, checkFeatures });
    hooks.onWriteStart?.();
    const started = performance.now();
    await copyModels(trainers.jobs, outDir);
    const registered = await registerModels(trainers.jobs, result, options);
    let summary: RunSummary = applyReportOptions(
      { ...buildSummary(result), ...jobsSection(trainers.jobs, registered) },
      reportOptions,
    );
    // Streamed, assignments.csv was written as the rows were assigned; the sample's rows are the report's.
    const csv = assignmentsCsv(result, result.columns.identifiers);
    await writeFileAtomic(reading.stream ? join(outDir, STREAMED_SAMPLE_FILE) : assignmentsFile, csv);
    hooks.onWriteDone?.(performance.now() - started, finalOutDir);
    let reportFile: string | undefined;
    if (options.report ?? true) {
      hooks.onReportStart?.();
      // Loaded here, not at the top: vega and resvg take a quarter of a second to import, and --no-report
      // runs should not pay for them.
      const { buildReport } = await import("../report/build-report.js");
      const rows = assignmentRows(result, result.columns.identifiers);
      const report = await buildReport(outDir, summary, rows, { png: options.png === true });
      summary = withTimings(summary, { report: report.elapsedMs });
      reportFile = join(finalOutDir, relative(outDir, report.file));
      hooks.onReportDone?.(report.elapsedMs, reportFile);
    }
    await writeFileAtomic(join(outDir, "summary.json"), `${JSON.stringify(summary, null, 2)}\n`);
    // summary.json is published last: its presence says the out dir is complete.
    await publishOutDir(outDir, finalOutDir, "summary.json");
    published = true;
    return {
      summary,
      result,
      outDir: finalOutDir,
      jobs: trainers.jobs,
      ...(reportFile ? { reportFile } : {}),
    };
  } finally {
    if (!published) await discardStaging(outDir);
    await service?.close();
  }
}

function jobsSection(jobs: readonly RunJob[], registered: RegisteredRunModels) {
  return {
    jobs: Object.fromEntries(jobs.map((j) => [j.algorithm, j.trainingJobName])),
    models: Object.fromEntries(jobs.map((j) => [j.algorithm, `models/${j.algorithm}/model.tar.gz`])),
    /** Names in the model registry: deploy the pipeline with `strata deploy <pipeline> --name <endpoint>`. */
    registeredModels: {
      name: registered.name,
      pca: registered.pcaModel,
      kmeans: registered.kmeansModel,
      pipeline: registered.pipelineModel,
    },
  };
}

/**
 * Held or streamed (stream-choice.ts). A source that is not there is left to the workflow's load step, which
 * names it the way every run does.
 */
async function chooseReading(options: RunOptions): Promise<StreamChoice> {
  if (options.stream === false) return { stream: false, reason: "--no-stream" };
  if (options.stream === true) return { stream: true, reason: "--stream" };
  const files = await tableFiles(options.source).catch(() => undefined);
  return files === undefined
    ? { stream: false, reason: "the table could not be sized" }
    : chooseStreaming(files, undefined);
}

/** Registers the PCA, K-Means and scaler -> PCA -> K-Means pipeline models of the run for serving. */
async function registerModels(
  jobs: readonly RunJob[],
  result: SegmentationResult,
  options: RunOptions,
): Promise<RegisteredRunModels> {
  const job = (algorithm: string) => jobs.find((j) => j.algorithm === algorithm)!;
  const home = options.home === undefined ? {} : { home: options.home };
  return registerRunModels({
    name: options.name ?? runNameFrom(options.source),
    replace: options.replaceModels === true,
    pcaArtifactUri: job("pca").artifactUri,
    kmeansArtifactUri: job("kmeans").artifactUri,
    // Beside the run's own PCA job: a place no other run writes.
    scalerArtifactUri: `${defaultArtifactsPath(home)}/${job("pca").trainingJobName}/scaler/model.tar.gz`,
    scaler: result.scaler,
    transforms: result.transforms,
    keep: result.kept,
    ...home,
  });
}

/** models/<algorithm>/model.tar.gz and strata-model.json, copied from the jobs' artifact locations. */
async function copyModels(jobs: readonly RunJob[], outDir: string): Promise<void> {
  // All at once: each file is a few reads and writes on libuv's threads, and one after another they left this
  // thread idle for most of 6 ms.
  await Promise.all(
    jobs.map(async (job) => {
      const dir = join(outDir, "models", job.algorithm);
      await mkdir(dir, { recursive: true });
      const files = [
        [job.artifactUri, "model.tar.gz"],
        [metadataUriFor(job.artifactUri), "strata-model.json"],
      ] as const;
      await Promise.all(
        files.map(async ([from, name]) =>
          writeFileAtomic(join(dir, name), await resolveStore(from).getBytes(from)),
        ),
      );
    }),
  );
}

/**
 * The streamed path, imported only when a table streams: its chunk readers, codecs and mini-batch kernels are
 * start-up cost that a table held in memory never uses.
 */
async function runStreamed(
  ...args: Parameters<typeof import("./streamed-segmentation.js").runStreamedSegmentation>
): Promise<SegmentationResult> {
  const { runStreamedSegmentation } = await import("./streamed-segmentation.js");
  return runStreamedSegmentation(...args);
}
