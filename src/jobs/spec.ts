/**
 * CreateTrainingJob request validation (spec §6.1–6.3). Takes untrusted input (an HTTP body, CLI options, a
 * `strata run` call), checks every field with SageMaker's names, fills Strata's defaults and returns a
 * {@link TrainingJobSpec}: the normalized request that the registry stores plus the parsed pieces the
 * orchestrator needs. Messages name the field, quote the value and say what is allowed, in the
 * ValidationException style (INVALID_JOB_REQUEST).
 *
 * Hyperparameters are only checked here for being a string map within SageMaker's size limits; their names,
 * types and data-independent ranges are checked by the algorithm (`checkHyperParameters`) right after, in
 * the TrainingService, before the job exists.
 * @module
 */
import { parseS3DataType, type S3DataType } from "../data/sources/input-objects.js";
import { defaultArtifactsPath, type HomeOptions } from "../registry/home.js";
import type { AlgorithmName } from "./algorithm.js";
import { type ContentType, parseContentType } from "./content-type.js";
import { algorithmFromImage, isValidJobName, JOB_NAME_MAX_LENGTH, nameFromBase } from "./names.js";
import type { Channel, NormalizedTrainingJobRequest, TrainingInputMode } from "./request.js";
import { checkUri, integerField, invalid, isRecord, optionalRecord, show } from "./request-fields.js";

/** One channel, ready to read. */
export interface ChannelSpec {
  readonly name: "train" | "test";
  readonly uri: string;
  /** How `uri` names the channel's objects: a prefix (or one object) or a manifest. */
  readonly dataType: S3DataType;
  readonly contentType: ContentType;
}

/** A validated request. */
export interface TrainingJobSpec {
  readonly request: NormalizedTrainingJobRequest;
  readonly algorithm: AlgorithmName;
  readonly train: ChannelSpec;
  readonly test: ChannelSpec | null;
}

export interface ValidateOptions extends HomeOptions {
  /** Clock for the default job name (tests pin it). */
  readonly now?: Date;
}

export const MAX_RUNTIME_LIMIT_SECONDS = 28 * 24 * 3600;
export const DEFAULT_MAX_RUNTIME_SECONDS = 86400;
export const MAX_INSTANCE_COUNT = 64;
const HYPERPARAMETER_TEXT_LIMIT = 256;
const HYPERPARAMETER_COUNT_LIMIT = 100;
const INPUT_MODES: readonly TrainingInputMode[] = ["File", "Pipe", "FastFile"];
const DISTRIBUTIONS = ["FullyReplicated", "ShardedByS3Key"] as const;

function checkHyperParameterMap(value: unknown): Record<string, string> {
  const map = optionalRecord(value, "HyperParameters");
  const entries = Object.entries(map);
  if (entries.length > HYPERPARAMETER_COUNT_LIMIT) {
    invalid(
      "HyperParameters",
      `${entries.length} entries given; at most ${HYPERPARAMETER_COUNT_LIMIT} are allowed.`,
    );
  }
  const out: Record<string, string> = {};
  for (const [key, v] of entries) {
    if (key.length === 0 || key.length > HYPERPARAMETER_TEXT_LIMIT) {
      invalid(
        "HyperParameters",
        `key ${show(key)} must have 1 to ${HYPERPARAMETER_TEXT_LIMIT} characters.`,
        key,
      );
    }
    if (typeof v !== "string") {
      invalid(
        `HyperParameters.${key}`,
        `${show(v)} is not a string: SageMaker hyperparameters are strings (send "${String(v)}").`,
        v,
      );
    }
    if (v.length > HYPERPARAMETER_TEXT_LIMIT) {
      invalid(
        `HyperParameters.${key}`,
        `the value has ${v.length} characters; at most ${HYPERPARAMETER_TEXT_LIMIT} are allowed.`,
      );
    }
    out[key] = v;
  }
  return out;
}

function checkChannel(value: unknown, index: number): { channel: Channel; spec: ChannelSpec } {
  const field = `InputDataConfig[${index}]`;
  if (!isRecord(value)) invalid(field, `expected a channel object, got ${show(value)}.`, value);
  const name = value["ChannelName"];
  if (name !== "train" && name !== "test") {
    invalid(
      `${field}.ChannelName`,
      `${show(name)} is not a channel of PCA or K-Means: expected "train" or "test".`,
      name,
    );
  }
  const source = optionalRecord(
    optionalRecord(value["DataSource"], `${field}.DataSource`)["S3DataSource"],
    `${field}.DataSource.S3DataSource`,
  );
  const uri = checkUri(source["S3Uri"], `${field}.DataSource.S3DataSource.S3Uri`);
  const dataType = parseS3DataType(source["S3DataType"]);
  if (typeof dataType !== "string")
    invalid(`${field}.DataSource.S3DataSource.S3DataType`, dataType.problem, source["S3DataType"]);
  const distribution = source["S3DataDistributionType"] ?? "FullyReplicated";
  if (!DISTRIBUTIONS.includes(distribution as (typeof DISTRIBUTIONS)[number]))
    invalid(
      `${field}.DataSource.S3DataSource.S3DataDistributionType`,
      `${show(distribution)} is invalid: expected one of ${DISTRIBUTIONS.join(", ")}.`,
      distribution,
    );
  const rawType = value["ContentType"];
  if (rawType !== undefined && typeof rawType !== "string")
    invalid(`${field}.ContentType`, `expected a string, got ${show(rawType)}.`, rawType);
  const contentType = parseContentType(rawType);
  if (typeof contentType === "string") invalid(`${field}.ContentType`, contentType, rawType);
  const compression = value["CompressionType"];
  if (compression !== undefined && compression !== "None") {
    invalid(
      `${field}.CompressionType`,
      `${show(compression)} is not supported: expected "None" (decompress the data first).`,
      compression,
    );
  }
  const inputMode = value["InputMode"];
  if (inputMode !== undefined && !INPUT_MODES.includes(inputMode as TrainingInputMode)) {
    invalid(
      `${field}.InputMode`,
      `${show(inputMode)} is invalid: expected one of ${INPUT_MODES.join(", ")}.`,
      inputMode,
    );
  }
  const channel: Channel = {
    ChannelName: name,
    DataSource: {
      S3DataSource: {
        S3Uri: uri,
        S3DataType: dataType,
        S3DataDistributionType: distribution as (typeof DISTRIBUTIONS)[number],
      },
    },
    ...(rawType === undefined ? {} : { ContentType: rawType }),
    CompressionType: "None",
    RecordWrapperType: (value["RecordWrapperType"] as "None" | undefined) ?? "None",
    ...(inputMode === undefined ? {} : { InputMode: inputMode as TrainingInputMode }),
  };
  return { channel, spec: { name, uri, dataType, contentType } };
}

/**
 * Validates a CreateTrainingJob request and fills Strata's defaults.
 *
 * @param input the request as received (untrusted)
 * @throws StrataError INVALID_JOB_REQUEST naming the first bad field
 * @example
 * const spec = validateTrainingJobRequest({
 *   AlgorithmSpecification: { TrainingImage: "pca" },
 *   HyperParameters: { feature_dim: "34", num_components: "33" },
 *   InputDataConfig: [{ ChannelName: "train", DataSource: { S3DataSource: { S3Uri: "data.csv" } }, ContentType: "text/csv" }],
 * });
 * spec.request.TrainingJobName; // "pca-2026-12-01-05-39-20-123"
 */
export function validateTrainingJobRequest(input: unknown, options: ValidateOptions = {}): TrainingJobSpec {
  if (!isRecord(input)) invalid("CreateTrainingJobRequest", `expected an object, got ${show(input)}.`, input);
  const algorithmSpec = optionalRecord(input["AlgorithmSpecification"], "AlgorithmSpecification");
  const image = algorithmSpec["TrainingImage"];
  const algorithm = typeof image === "string" ? algorithmFromImage(image) : null;
  if (algorithm === null) {
    invalid(
      "AlgorithmSpecification.TrainingImage",
      `${show(image)} is not an algorithm Strata trains: expected "pca", "kmeans" or a SageMaker image such as 382416733822.dkr.ecr.us-east-1.amazonaws.com/pca:1.`,
      image,
    );
  }
  const inputMode = algorithmSpec["TrainingInputMode"] ?? "File";
  if (!INPUT_MODES.includes(inputMode as TrainingInputMode)) {
    invalid(
      "AlgorithmSpecification.TrainingInputMode",
      `${show(inputMode)} is invalid: expected one of ${INPUT_MODES.join(", ")}.`,
      inputMode,
    );
  }

  const rawName = input["TrainingJobName"];
  let name: string;
  if (rawName === undefined || rawName === null) name = nameFromBase(algorithm, options.now);
  else if (typeof rawName !== "string" || !isValidJobName(rawName)) {
    invalid(
      "TrainingJobName",
      `${show(rawName)} is invalid: expected 1 to ${JOB_NAME_MAX_LENGTH} letters, digits and hyphens, starting and ending with a letter or digit.`,
      rawName,
    );
  } else name = rawName;

  const hyperParameters = checkHyperParameterMap(input["HyperParameters"]);

  const rawChannels = input["InputDataConfig"];
  if (!Array.isArray(rawChannels) || rawChannels.length === 0) {
    invalid(
      "InputDataConfig",
      `expected a list with a "train" channel (and optionally "test"), got ${show(rawChannels)}.`,
      rawChannels,
    );
  }
  const checked = rawChannels.map((c, i) => checkChannel(c, i));
  const names = checked.map((c) => c.spec.name);
  const duplicate = names.find((n, i) => names.indexOf(n) !== i);
  if (duplicate !== undefined) invalid("InputDataConfig", `the channel "${duplicate}" is given twice.`);
  const train = checked.find((c) => c.spec.name === "train");
  if (train === undefined) invalid("InputDataConfig", 'the "train" channel is required.');
  const test = checked.find((c) => c.spec.name === "test") ?? null;

  const output = optionalRecord(input["OutputDataConfig"], "OutputDataConfig");
  const outputPath =
    output["S3OutputPath"] === undefined || output["S3OutputPath"] === null
      ? defaultArtifactsPath(options)
      : checkUri(output["S3OutputPath"], "OutputDataConfig.S3OutputPath");
  if (outputPath.startsWith("https:") || outputPath.startsWith("http:")) {
    invalid(
      "OutputDataConfig.S3OutputPath",
      `${show(outputPath)} is read-only: expected a path, file:// or s3://.`,
      outputPath,
    );
  }

  const resources = optionalRecord(input["ResourceConfig"], "ResourceConfig");
  const instanceCount = integerField(
    resources["InstanceCount"],
    "ResourceConfig.InstanceCount",
    1,
    MAX_INSTANCE_COUNT,
    1,
  );
  const volume = integerField(resources["VolumeSizeInGB"], "ResourceConfig.VolumeSizeInGB", 1, 16384, 1);
  const instanceType = resources["InstanceType"] ?? "local";
  if (typeof instanceType !== "string")
    invalid("ResourceConfig.InstanceType", `expected a string, got ${show(instanceType)}.`, instanceType);

  const stopping = optionalRecord(input["StoppingCondition"], "StoppingCondition");
  const maxRuntime = integerField(
    stopping["MaxRuntimeInSeconds"],
    "StoppingCondition.MaxRuntimeInSeconds",
    1,
    MAX_RUNTIME_LIMIT_SECONDS,
    DEFAULT_MAX_RUNTIME_SECONDS,
  );

  const roleArn = input["RoleArn"];
  if (roleArn !== undefined && typeof roleArn !== "string")
    invalid("RoleArn", `expected a string, got ${show(roleArn)}.`, roleArn);
  const tags = input["Tags"];
  if (
    tags !== undefined &&
    (!Array.isArray(tags) || !tags.every((t) => isRecord(t) && typeof t["Key"] === "string"))
  ) {
    invalid("Tags", `expected a list of {Key, Value} objects, got ${show(tags)}.`, tags);
  }

  const request: NormalizedTrainingJobRequest = {
    TrainingJobName: name,
    AlgorithmSpecification: {
      TrainingImage: image as string,
      TrainingInputMode: inputMode as TrainingInputMode,
    },
    HyperParameters: hyperParameters,
    InputDataConfig: checked.map((c) => c.channel),
    OutputDataConfig: { S3OutputPath: outputPath },
    ResourceConfig: { InstanceType: instanceType, InstanceCount: instanceCount, VolumeSizeInGB: volume },
    StoppingCondition: { MaxRuntimeInSeconds: maxRuntime },
    ...(roleArn === undefined ? {} : { RoleArn: roleArn }),
    ...(tags === undefined ? {} : { Tags: tags as { Key: string; Value: string }[] }),
  };
  return { request, algorithm, train: train.spec, test: test?.spec ?? null };
}

/**
 * Where a job's artifact goes: `<S3OutputPath>/<TrainingJobName>/output/model.tar.gz` (spec §6.1), with the
 * Strata metadata file `strata-model.json` beside it.
 */
export function artifactUris(request: NormalizedTrainingJobRequest): {
  model: string;
  metadata: string;
  dir: string;
} {
  const base = request.OutputDataConfig.S3OutputPath.replace(/\/+$/, "");
  const dir = `${base}/${request.TrainingJobName}/output`;
  return { dir, model: `${dir}/model.tar.gz`, metadata: `${dir}/strata-model.json` };
}
