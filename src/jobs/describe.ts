/**
 * Registry records as SageMaker responses: DescribeTrainingJob and ListTrainingJobs summaries (spec §6.3),
 * ARNs (`arn:aws:sagemaker:<region>:<account>:training-job/<name>`, the name lower-cased as SageMaker does),
 * and the wire form of a response (timestamps as epoch seconds, as the JSON protocol sends them).
 * @module
 */

import type { TrainingJobStatus } from "./lifecycle.js";
import type { DescribeTrainingJobResponse, TrainingJobSummary } from "./request.js";
import type { ListJobsQuery, StoredMetric, TrainingJobRecord } from "./training-job-store.js";

/** Region and account used in ARNs. */
export interface ArnContext {
  readonly region: string;
  readonly accountId: string;
}

/** The default ARN context: `$STRATA_REGION` / `$STRATA_ACCOUNT_ID`, else us-east-1 / 000000000000. */
export function defaultArnContext(): ArnContext {
  return {
    region: process.env["STRATA_REGION"] || "us-east-1",
    accountId: process.env["STRATA_ACCOUNT_ID"] || "000000000000",
  };
}

/** A training job's ARN. */
export function trainingJobArn(name: string, context: ArnContext): string {
  return `arn:aws:sagemaker:${context.region}:${context.accountId}:training-job/${name.toLowerCase()}`;
}

/** The DescribeTrainingJob response for a record and its metrics. */
export function describeRecord(
  record: TrainingJobRecord,
  metrics: readonly StoredMetric[],
): DescribeTrainingJobResponse {
  const { request, state } = record;
  return {
    TrainingJobName: record.name,
    TrainingJobArn: record.arn,
    TrainingJobStatus: state.status,
    SecondaryStatus: state.secondaryStatus,
    SecondaryStatusTransitions: state.transitions,
    ...(state.failureReason === undefined ? {} : { FailureReason: state.failureReason }),
    HyperParameters: request.HyperParameters,
    AlgorithmSpecification: {
      ...request.AlgorithmSpecification,
      MetricDefinitions: metricDefinitions(record.algorithm),
      EnableSageMakerMetricsTimeSeries: false,
    },
    // The SDK's Estimator.attach reads RoleArn and OutputDataConfig.KmsKeyId as required keys; SageMaker
    // always returns both. Jobs started without a role (strata run, strata train) show Strata's local one.
    RoleArn: request.RoleArn ?? `arn:aws:iam::${arnAccount(record.arn)}:role/strata-local`,
    InputDataConfig: request.InputDataConfig,
    OutputDataConfig: { KmsKeyId: "", ...request.OutputDataConfig },
    ResourceConfig: request.ResourceConfig,
    StoppingCondition: request.StoppingCondition,
    ...(record.artifactUri === null ? {} : { ModelArtifacts: { S3ModelArtifacts: record.artifactUri } }),
    ...(metrics.length === 0
      ? {}
      : {
          FinalMetricDataList: metrics.map((m) => ({
            MetricName: m.name,
            Value: m.value,
            Timestamp: m.timestamp,
          })),
        }),
    CreationTime: state.creationTime,
    ...(state.trainingStartTime === undefined ? {} : { TrainingStartTime: state.trainingStartTime }),
    ...(state.trainingEndTime === undefined ? {} : { TrainingEndTime: state.trainingEndTime }),
    LastModifiedTime: state.lastModifiedTime,
    ...trainingSeconds(state.trainingStartTime, state.trainingEndTime),
    EnableNetworkIsolation: false,
    EnableInterContainerTrafficEncryption: false,
  };
}

/** The account of an ARN (`arn:aws:sagemaker:<region>:<account>:…`). */
function arnAccount(arn: string): string {
  return arn.split(":")[4] ?? "000000000000";
}

/**
 * The metrics a built-in algorithm's image declares (what DescribeTrainingJob shows for SageMaker's PCA and
 * K-Means): each a regular expression over the job's log lines.
 */
function metricDefinitions(algorithm: string): { Name: string; Regex: string }[] {
  if (algorithm === "kmeans")
    return ["train:msd", "test:msd", "test:ssd"].map((name) => {
      const [channel, metric] = name.split(":");
      return { Name: name, Regex: `#quality_metric: host=\\S+, ${channel} ${metric} <loss>=(\\S+)` };
    });
  return [
    { Name: "train:explained_variance_ratio", Regex: "explained variance ratio (\\S+)\\)" },
    {
      Name: "test:reconstruction_msd",
      Regex: "#quality_metric: host=\\S+, test reconstruction_msd <loss>=(\\S+)",
    },
  ];
}

/**
 * TrainingTimeInSeconds once the job has ended (the SDK prints it after `fit`); BillableTimeInSeconds is 0:
 * nothing is billed here.
 */
function trainingSeconds(
  start: Date | undefined,
  end: Date | undefined,
): { TrainingTimeInSeconds?: number; BillableTimeInSeconds?: number } {
  if (start === undefined || end === undefined) return {};
  return {
    TrainingTimeInSeconds: Math.max(1, Math.round((end.getTime() - start.getTime()) / 1000)),
    BillableTimeInSeconds: 0,
  };
}

/** The ListTrainingJobs summary of a record. */
export function summarizeRecord(record: TrainingJobRecord): TrainingJobSummary {
  return {
    TrainingJobName: record.name,
    TrainingJobArn: record.arn,
    TrainingJobStatus: record.state.status,
    SecondaryStatus: record.state.secondaryStatus,
    CreationTime: record.state.creationTime,
    ...(record.state.trainingEndTime === undefined ? {} : { TrainingEndTime: record.state.trainingEndTime }),
    LastModifiedTime: record.state.lastModifiedTime,
  };
}

/**
 * A response in wire form: every Date becomes epoch seconds (with milliseconds as the fraction), as
 * SageMaker's JSON protocol sends timestamps.
 * @example
 * JSON.stringify(toWire(service.describeTrainingJob("pca-1")));
 */
export function toWire(value: unknown): unknown {
  if (value instanceof Date) return value.getTime() / 1000;
  if (Array.isArray(value)) return value.map(toWire);
  if (typeof value === "object" && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, toWire(v)]));
  }
  return value;
}

/** ListTrainingJobs filters (SageMaker names). */
export interface ListTrainingJobsRequest {
  readonly StatusEquals?: TrainingJobStatus;
  readonly NameContains?: string;
  readonly CreationTimeAfter?: Date;
  readonly CreationTimeBefore?: Date;
  readonly SortOrder?: "Ascending" | "Descending";
  readonly SortBy?: "Name" | "CreationTime" | "Status";
  readonly MaxResults?: number;
}

/** The store query for a ListTrainingJobs request. */
export function listQuery(request: ListTrainingJobsRequest): ListJobsQuery {
  return {
    ...(request.StatusEquals === undefined ? {} : { status: request.StatusEquals }),
    ...(request.NameContains === undefined ? {} : { nameContains: request.NameContains }),
    ...(request.CreationTimeAfter === undefined ? {} : { creationTimeAfter: request.CreationTimeAfter }),
    ...(request.CreationTimeBefore === undefined ? {} : { creationTimeBefore: request.CreationTimeBefore }),
    ...(request.SortOrder === undefined ? {} : { sortOrder: request.SortOrder }),
    ...(request.SortBy === undefined ? {} : { sortBy: request.SortBy }),
    ...(request.MaxResults === undefined ? {} : { limit: request.MaxResults }),
  };
}
