/**
 * `strata jobs list | describe <name> | logs <name> [--follow] | stop <name>`: the training jobs in the
 * registry ($STRATA_HOME/strata.db), with SageMaker's ListTrainingJobs / DescribeTrainingJob /
 * StopTrainingJob shapes under `--json` and tables or summaries on a terminal. Opening the registry also
 * marks jobs whose process died as Failed. `jobs run-detached` (hidden) is the background owner of a job
 * started by `strata train` without `--wait`.
 * @module
 */
import type { Command } from "commander";
import { StrataError } from "../../errors.js";
import { followLogs, formatJobSummary, formatLogLine, jsonDescription } from "../../jobs/job-report.js";
import { TRAINING_JOB_STATUSES, type TrainingJobStatus } from "../../jobs/lifecycle.js";
import { TrainingService } from "../../jobs/training-service.js";
import { clusterOption } from "../cluster-option.js";
import { formatTable, printJson, printLines } from "../output.js";

const STATUSES: readonly TrainingJobStatus[] = TRAINING_JOB_STATUSES;

async function withService<T>(work: (service: TrainingService) => Promise<T> | T): Promise<T> {
  const service = await TrainingService.open();
  try {
    return await work(service);
  } finally {
    await service.close();
  }
}

function parseStatus(value: string): TrainingJobStatus {
  const match = STATUSES.find((s) => s.toLowerCase() === value.toLowerCase());
  if (match === undefined) {
    throw new StrataError(
      "INVALID_ARGUMENT",
      `--status ${JSON.stringify(value)} is invalid: expected one of ${STATUSES.join(", ")}.`,
      {
        details: { option: "--status", value },
      },
    );
  }
  return match;
}

function duration(start?: Date, end?: Date): string {
  if (start === undefined) return "-";
  return `${(((end ?? new Date()).getTime() - start.getTime()) / 1000).toFixed(1)}s`;
}

export function registerJobs(program: Command): void {
  const jobs = program
    .command("jobs")
    .description("Training jobs in the registry: list, describe, logs, stop.");

  jobs
    .command("list")
    .description("List training jobs, newest first (ListTrainingJobs).")
    .option(
      "--status <status>",
      `only jobs with this TrainingJobStatus (${STATUSES.join(", ")})`,
      parseStatus,
    )
    .option("--name-contains <text>", "only jobs whose name contains this text")
    .option("--json", "print {TrainingJobSummaries: [...]}")
    .action((flags: { status?: TrainingJobStatus; nameContains?: string; json?: boolean }) =>
      withService((service) => {
        const { TrainingJobSummaries } = service.listTrainingJobs({
          ...(flags.status === undefined ? {} : { StatusEquals: flags.status }),
          ...(flags.nameContains === undefined ? {} : { NameContains: flags.nameContains }),
        });
        if (flags.json) return printJson(JSON.parse(JSON.stringify({ TrainingJobSummaries })));
        if (TrainingJobSummaries.length === 0)
          return printLines("No training jobs. Start one with `strata train`.");
        const rows = TrainingJobSummaries.map((s) => ({
          ...s,
          ...service.describeTrainingJob(s.TrainingJobName),
        }));
        printLines(
          formatTable(rows, [
            { header: "NAME", value: (r) => r.TrainingJobName },
            { header: "STATUS", value: (r) => r.TrainingJobStatus },
            { header: "SECONDARY", value: (r) => r.SecondaryStatus },
            { header: "IMAGE", value: (r) => r.AlgorithmSpecification.TrainingImage },
            {
              header: "CREATED (UTC)",
              value: (r) => r.CreationTime.toISOString().replace("T", " ").slice(0, 19),
            },
            {
              header: "DURATION",
              value: (r) => duration(r.TrainingStartTime, r.TrainingEndTime),
              align: "right",
            },
          ]),
        );
      }),
    );

  jobs
    .command("describe")
    .description("Show one training job (DescribeTrainingJob).")
    .argument("<name>", "TrainingJobName")
    .option("--json", "print the DescribeTrainingJob response")
    .action((name: string, flags: { json?: boolean }) =>
      withService((service) => {
        const job = service.describeTrainingJob(name);
        if (flags.json) return printJson(jsonDescription(job));
        const record = service.store.get(name);
        const progress =
          record.progress === null || job.TrainingJobStatus !== "InProgress"
            ? null
            : `${Math.round(record.progress * 100)}%${record.progressMessage ? ` ${record.progressMessage}` : ""}`;
        printLines(formatJobSummary(job, { progress }));
      }),
    );

  jobs
    .command("logs")
    .description("Print a training job's log lines (timestamped).")
    .argument("<name>", "TrainingJobName")
    .option("--follow", "keep printing new lines until the job ends")
    .action((name: string, flags: { follow?: boolean }) =>
      withService(async (service) => {
        if (flags.follow) {
          await followLogs(service, name, { write: (line) => printLines(line) });
          return;
        }
        const lines = service.logs(name);
        if (lines.length > 0) printLines(...lines.map(formatLogLine));
      }),
    );

  jobs
    .command("stop")
    .description("Stop an InProgress training job (StopTrainingJob); it ends Stopped.")
    .argument("<name>", "TrainingJobName")
    .option("--wait", "wait until the job is Stopped")
    .option("--json", "print the job's description afterwards")
    .action((name: string, flags: { wait?: boolean; json?: boolean }) =>
      withService(async (service) => {
        await service.stopTrainingJob(name);
        const job = flags.wait
          ? await service.waitForCompletion(name, { timeoutMs: 60_000 })
          : service.describeTrainingJob(name);
        if (flags.json) printJson(jsonDescription(job));
        else printLines(`${name}: ${job.TrainingJobStatus}`);
      }),
    );

  jobs
    .command("run-detached", { hidden: true })
    .description(
      "Internal: read a CreateTrainingJob request on stdin, start it, answer one JSON line, run it to the end.",
    )
    .action(() => runDetached());
}

/** The background owner of a job from `strata train` without `--wait`. */
async function runDetached(): Promise<void> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  const service = await TrainingService.open(clusterOption());
  let answered = false;
  const answer = (value: unknown) => {
    process.stdout.write(`${JSON.stringify(value)}\n`);
    answered = true;
    process.stdout.end();
  };
  try {
    const { TrainingJobArn } = await service.createTrainingJob(
      JSON.parse(Buffer.concat(chunks).toString("utf8")),
    );
    answer({ TrainingJobArn });
    const name = TrainingJobArn.slice(TrainingJobArn.lastIndexOf("/") + 1);
    await service.waitForCompletion(name);
  } catch (error) {
    if (!answered) {
      const e = error instanceof StrataError ? error : new StrataError("INTERNAL", String(error));
      answer({ error: { code: e.code, message: e.message, details: e.details } });
    }
  } finally {
    await service.close();
  }
}
