/**
 * CreateModel requests (spec §6.4) validated into what the registry stores. A model is one container
 * (`PrimaryContainer`) or an inference pipeline (`Containers`, 1–15, run in order like SageMaker's
 * PipelineModel). Each container names an image Strata serves (names.ts: `…/pca:1`, `…/kmeans:1`,
 * `strata/minmax-scaler:1`) and a `ModelDataUrl`: a `model.tar.gz` (any ObjectStore URI) holding
 * `model_algo-1`, or for the scaler `minmax-scaler.json` (MinMaxScalerModel.toJSON; a bare `.json` URI works
 * too). One Strata environment variable shapes a PCA container's output:
 *
 * - `STRATA_PCA_KEEP_TOP=n` — answer only the n components with the largest singular values, largest first
 *   (the notebook's `iloc[:, N-n:]` reversed). Without it the PCA container answers all C components in the
 *   artifact's order, exactly as SageMaker's `pca:1` does (ascending in regular mode).
 * @module
 */
import { StrataError } from "../errors.js";
import { type ContainerRole, checkResourceName, containerRole } from "./names.js";

/** Environment variable of a PCA container: keep the top n components, largest first. */
export const KEEP_TOP_ENV = "STRATA_PCA_KEEP_TOP";

/** A container as CreateModel takes and DescribeModel returns it. */
export interface ContainerDefinition {
  readonly Image: string;
  readonly ModelDataUrl: string;
  readonly Environment?: Readonly<Record<string, string>>;
  readonly ContainerHostname?: string;
  readonly Mode?: "SingleModel";
}

/** A validated CreateModel request: what the registry stores. */
export interface ModelRequest {
  readonly ModelName: string;
  readonly PrimaryContainer?: ContainerDefinition;
  readonly Containers?: readonly ContainerDefinition[];
  readonly ExecutionRoleArn?: string;
  readonly InferenceExecutionConfig?: { readonly Mode: "Serial" };
  readonly Tags?: readonly { readonly Key: string; readonly Value: string }[];
}

function bad(field: string, message: string, value?: unknown): StrataError {
  return new StrataError("INVALID_HOSTING_REQUEST", `${field} ${message}`, { details: { field, value } });
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function checkContainer(raw: unknown, field: string): ContainerDefinition {
  if (!isRecord(raw)) throw bad(field, "must be an object with Image and ModelDataUrl.");
  const image = raw["Image"];
  if (typeof image !== "string" || image === "") throw bad(`${field}.Image`, "is required.");
  const role = containerRole(image);
  if (role === null) {
    throw bad(
      `${field}.Image`,
      `${JSON.stringify(image)} is not an image Strata serves: expected SageMaker's pca or kmeans image (e.g. 382416733822.dkr.ecr.us-east-1.amazonaws.com/pca:1) or strata/minmax-scaler:1, strata/standard-scaler:1 or strata/feature-transform:1.`,
      image,
    );
  }
  const url = raw["ModelDataUrl"];
  if (typeof url !== "string" || url === "")
    throw bad(
      `${field}.ModelDataUrl`,
      "is required: the model.tar.gz of this container (a path, file://, s3:// or https:// URI).",
    );
  const env = raw["Environment"];
  if (env !== undefined && (!isRecord(env) || Object.values(env).some((v) => typeof v !== "string")))
    throw bad(`${field}.Environment`, "must map names to strings.");
  const environment = (env ?? {}) as Record<string, string>;
  const keep = environment[KEEP_TOP_ENV];
  if (keep !== undefined) {
    if (role !== "pca")
      throw bad(
        `${field}.Environment.${KEEP_TOP_ENV}`,
        `applies to pca containers only; this one is ${role}.`,
      );
    if (!/^[1-9]\d{0,5}$/.test(keep.trim()))
      throw bad(
        `${field}.Environment.${KEEP_TOP_ENV}`,
        `=${JSON.stringify(keep)} is invalid: expected a positive integer.`,
        keep,
      );
  }
  const mode = raw["Mode"];
  if (mode !== undefined && mode !== "SingleModel")
    throw bad(
      `${field}.Mode`,
      `=${JSON.stringify(mode)} is not supported: Strata serves SingleModel containers.`,
      mode,
    );
  const hostname = raw["ContainerHostname"];
  return {
    Image: image,
    ModelDataUrl: url,
    ...(env === undefined ? {} : { Environment: environment }),
    ...(typeof hostname === "string" ? { ContainerHostname: hostname } : {}),
    ...(mode === undefined ? {} : { Mode: "SingleModel" as const }),
  };
}

/**
 * Validates a CreateModel request.
 * @throws StrataError INVALID_HOSTING_REQUEST naming the field
 * @example
 * validateCreateModel({ ModelName: "pca", PrimaryContainer: { Image: "…/pca:1", ModelDataUrl: "s3://b/model.tar.gz" } });
 */
export function validateCreateModel(input: unknown): ModelRequest {
  if (!isRecord(input)) throw bad("The request", "must be a JSON object.");
  const name = checkResourceName("ModelName", input["ModelName"]);
  const primary = input["PrimaryContainer"];
  const list = input["Containers"];
  if ((primary === undefined) === (list === undefined))
    throw bad("PrimaryContainer", "or Containers (an inference pipeline) is required, but not both.");
  if (list !== undefined && (!Array.isArray(list) || list.length < 1 || list.length > 15))
    throw bad("Containers", "must list 1 to 15 containers.");
  const mode = isRecord(input["InferenceExecutionConfig"])
    ? input["InferenceExecutionConfig"]["Mode"]
    : undefined;
  if (mode !== undefined && mode !== "Serial")
    throw bad(
      "InferenceExecutionConfig.Mode",
      `=${JSON.stringify(mode)} is not supported: Strata runs pipelines Serial.`,
      mode,
    );
  const role = input["ExecutionRoleArn"];
  const tags = input["Tags"];
  return {
    ModelName: name,
    ...(primary === undefined ? {} : { PrimaryContainer: checkContainer(primary, "PrimaryContainer") }),
    ...(list === undefined
      ? {}
      : { Containers: (list as unknown[]).map((c, i) => checkContainer(c, `Containers[${i}]`)) }),
    ...(typeof role === "string" ? { ExecutionRoleArn: role } : {}),
    ...(mode === undefined ? {} : { InferenceExecutionConfig: { Mode: "Serial" as const } }),
    ...(Array.isArray(tags) ? { Tags: tags as ModelRequest["Tags"] } : {}),
  };
}

/** The containers of a model in run order. */
export function modelContainers(model: ModelRequest): readonly ContainerDefinition[] {
  return model.Containers ?? (model.PrimaryContainer === undefined ? [] : [model.PrimaryContainer]);
}

/** The role of each container (validated images always have one). */
export function roleOf(container: ContainerDefinition): ContainerRole {
  return containerRole(container.Image)!;
}
