/**
 * The CreateTrainingJob request and DescribeTrainingJob response shapes, with SageMaker's field names
 * (spec §6.3). These are the only types in Strata that use PascalCase: they cross the API boundary as-is.
 * Dates are `Date` objects here (as the AWS SDK v3 returns them); the HTTP layer writes epoch seconds.
 * @module
 */
import type { SecondaryStatus, SecondaryStatusTransition, TrainingJobStatus } from "./lifecycle.js";

export type TrainingInputMode = "File" | "Pipe" | "FastFile";

export interface S3DataSource {
  /** Any URI the ObjectStore reads: a local path, `file://…`, `s3://bucket/key` (or `https://…`). */
  readonly S3Uri: string;
  readonly S3DataType?: "S3Prefix" | "ManifestFile";
  readonly S3DataDistributionType?: "FullyReplicated" | "ShardedByS3Key";
}

export interface Channel {
  /** `train` (required) or `test` (optional). */
  readonly ChannelName: string;
  readonly DataSource: { readonly S3DataSource: S3DataSource };
  /** `text/csv` (optionally `;label_size=N`), `application/x-recordio-protobuf` or `application/x-parquet`. */
  readonly ContentType?: string;
  readonly CompressionType?: "None";
  readonly RecordWrapperType?: "None" | "RecordIO";
  readonly InputMode?: TrainingInputMode;
}

export interface CreateTrainingJobRequest {
  /** Default: `<algorithm>-YYYY-MM-DD-HH-MM-SS-mmm` (UTC), as the SDK's name_from_base. */
  readonly TrainingJobName?: string;
  readonly AlgorithmSpecification: {
    /** `pca`, `kmeans`, or a SageMaker image URI such as `382416733822.dkr.ecr.us-east-1.amazonaws.com/pca:1`. */
    readonly TrainingImage: string;
    /** Default `File`. Strata reads every mode as File. */
    readonly TrainingInputMode?: TrainingInputMode;
  };
  /** SageMaker's string map; keys and values at most 256 characters. */
  readonly HyperParameters?: Readonly<Record<string, string>>;
  readonly InputDataConfig: readonly Channel[];
  /** Default S3OutputPath: `$STRATA_HOME/artifacts`. */
  readonly OutputDataConfig?: { readonly S3OutputPath?: string; readonly KmsKeyId?: string };
  /** Default InstanceCount 1; InstanceType is recorded, not used. */
  readonly ResourceConfig?: {
    readonly InstanceType?: string;
    readonly InstanceCount?: number;
    readonly VolumeSizeInGB?: number;
  };
  /** Default MaxRuntimeInSeconds 86400. */
  readonly StoppingCondition?: { readonly MaxRuntimeInSeconds?: number };
  /** Recorded only: Strata assumes no IAM role. */
  readonly RoleArn?: string;
  readonly Tags?: readonly { readonly Key: string; readonly Value: string }[];
}

/** A request after validation: every default filled in. This is what the registry stores. */
export interface NormalizedTrainingJobRequest {
  readonly TrainingJobName: string;
  readonly AlgorithmSpecification: {
    readonly TrainingImage: string;
    readonly TrainingInputMode: TrainingInputMode;
  };
  readonly HyperParameters: Readonly<Record<string, string>>;
  readonly InputDataConfig: readonly Channel[];
  readonly OutputDataConfig: { readonly S3OutputPath: string };
  readonly ResourceConfig: {
    readonly InstanceType: string;
    readonly InstanceCount: number;
    readonly VolumeSizeInGB: number;
  };
  readonly StoppingCondition: { readonly MaxRuntimeInSeconds: number };
  readonly RoleArn?: string;
  readonly Tags?: readonly { readonly Key: string; readonly Value: string }[];
}

export interface MetricData {
  readonly MetricName: string;
  readonly Value: number;
  readonly Timestamp: Date;
}

export interface DescribeTrainingJobResponse {
  readonly TrainingJobName: string;
  readonly TrainingJobArn: string;
  readonly TrainingJobStatus: TrainingJobStatus;
  readonly SecondaryStatus: SecondaryStatus;
  readonly SecondaryStatusTransitions: readonly SecondaryStatusTransition[];
  readonly FailureReason?: string;
  readonly HyperParameters: Readonly<Record<string, string>>;
  readonly AlgorithmSpecification: NormalizedTrainingJobRequest["AlgorithmSpecification"] & {
    readonly MetricDefinitions: readonly { readonly Name: string; readonly Regex: string }[];
    readonly EnableSageMakerMetricsTimeSeries: boolean;
  };
  readonly RoleArn: string;
  readonly InputDataConfig: readonly Channel[];
  readonly OutputDataConfig: NormalizedTrainingJobRequest["OutputDataConfig"] & { readonly KmsKeyId: string };
  readonly ResourceConfig: NormalizedTrainingJobRequest["ResourceConfig"];
  readonly StoppingCondition: NormalizedTrainingJobRequest["StoppingCondition"];
  readonly ModelArtifacts?: { readonly S3ModelArtifacts: string };
  readonly FinalMetricDataList?: readonly MetricData[];
  readonly CreationTime: Date;
  readonly TrainingStartTime?: Date;
  readonly TrainingEndTime?: Date;
  readonly LastModifiedTime: Date;
  readonly TrainingTimeInSeconds?: number;
  readonly BillableTimeInSeconds?: number;
  readonly EnableNetworkIsolation: boolean;
  readonly EnableInterContainerTrafficEncryption: boolean;
}

/** One row of ListTrainingJobs. */
export interface TrainingJobSummary {
  readonly TrainingJobName: string;
  readonly TrainingJobArn: string;
  readonly TrainingJobStatus: TrainingJobStatus;
  readonly SecondaryStatus: SecondaryStatus;
  readonly CreationTime: Date;
  readonly TrainingEndTime?: Date;
  readonly LastModifiedTime: Date;
}
