/**
 * Jobs for people: a readable summary of a DescribeTrainingJob response (status, reason, channels, artifact,
 * metrics, SecondaryStatusTransitions as the SDK prints them), log lines with timestamps, following a job's
 * log until it ends, and the JSON form the CLI prints (`--json`: the response with ISO-8601 timestamps, as
 * the AWS CLI shows them).
 * @module
 */

import { isTerminal } from "./lifecycle.js";
import type { DescribeTrainingJobResponse } from "./request.js";
import type { LogLine } from "./training-job-store.js";
import type { TrainingService } from "./training-service.js";

/** The response as plain JSON (Dates as ISO strings). */
export function jsonDescription(job: DescribeTrainingJobResponse): unknown {
  return JSON.parse(JSON.stringify(job));
}

/** One log line: `2026-12-01T05:39:20.123Z [info] message`. */
export function formatLogLine(line: LogLine): string {
  return `${line.time.toISOString()} [${line.level}] ${line.message}`;
}

function seconds(from?: Date, to?: Date): string {
  if (from === undefined || to === undefined) return "-";
  const ms = to.getTime() - from.getTime();
  return ms < 10_000 ? `${ms} ms` : `${(ms / 1000).toFixed(1)} s`;
}

/** A multi-line readable summary of a job. */
export function formatJobSummary(
  job: DescribeTrainingJobResponse,
  extra: { progress?: string | null } = {},
): string {
  const lines = [
    `${job.TrainingJobName}  ${job.TrainingJobStatus} (${job.SecondaryStatus})`,
    `  arn            ${job.TrainingJobArn}`,
    `  image          ${job.AlgorithmSpecification.TrainingImage}`,
    `  created        ${job.CreationTime.toISOString()}`,
    `  training time  ${seconds(job.TrainingStartTime, job.TrainingEndTime ?? (isTerminal(job.TrainingJobStatus) ? undefined : new Date()))}`,
  ];
  if (extra.progress) lines.push(`  progress       ${extra.progress}`);
  if (job.FailureReason) lines.push(`  failure        ${job.FailureReason}`);
  const hp = Object.entries(job.HyperParameters)
    .map(([k, v]) => `${k}=${v}`)
    .join(" ");
  lines.push(`  hyperparams    ${hp || "-"}`);
  for (const c of job.InputDataConfig) {
    lines.push(
      `  channel ${c.ChannelName.padEnd(6)} ${c.DataSource.S3DataSource.S3Uri} (${c.ContentType ?? "application/x-recordio-protobuf"})`,
    );
  }
  lines.push(
    `  output         ${job.ModelArtifacts?.S3ModelArtifacts ?? `${job.OutputDataConfig.S3OutputPath} (no model yet)`}`,
  );
  for (const m of job.FinalMetricDataList ?? []) lines.push(`  metric         ${m.MetricName} = ${m.Value}`);
  lines.push("  transitions");
  for (const t of job.SecondaryStatusTransitions) {
    lines.push(`    ${t.StartTime.toISOString()} ${t.Status.padEnd(18)} ${t.StatusMessage}`);
  }
  return lines.join("\n");
}

export interface FollowOptions {
  /** Receives each formatted log line. */
  readonly write: (line: string) => void;
  /** Only lines after this id (default: from the start). */
  readonly sinceId?: number;
  /** Poll interval in milliseconds (default 200). */
  readonly pollMs?: number;
}

/**
 * Writes a job's log lines as they arrive until the job is Completed, Failed or Stopped; returns the final
 * description.
 * @throws StrataError JOB_NOT_FOUND
 */
export async function followLogs(
  service: TrainingService,
  name: string,
  options: FollowOptions,
): Promise<DescribeTrainingJobResponse> {
  let sinceId = options.sinceId ?? 0;
  const drain = () => {
    for (const line of service.logs(name, { sinceId })) {
      options.write(formatLogLine(line));
      sinceId = line.id;
    }
  };
  for (;;) {
    drain();
    const job = service.describeTrainingJob(name);
    if (isTerminal(job.TrainingJobStatus)) {
      drain();
      return job;
    }
    try {
      await service.waitForCompletion(name, { timeoutMs: options.pollMs ?? 200 });
    } catch {
      // Timed out: print what arrived meanwhile and keep following.
    }
  }
}
