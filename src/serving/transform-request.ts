/**
 * CreateTransformJob requests (spec §4.6) validated, with SageMaker's defaults filled in: MaxPayloadInMB 6,
 * BatchStrategy MultiRecord, SplitType None, CompressionType None, AssembleWith None, ContentType
 * `application/json` and Accept `application/json` when not given (the containers' own defaults).
 * @module
 */

import { parseS3DataType, type S3DataType } from "../data/sources/input-objects.js";
import { StrataError } from "../errors.js";
import { integerField } from "../util/integer-field.js";
import { checkResourceName } from "./names.js";

export type SplitType = "None" | "Line" | "RecordIO";

/** A validated CreateTransformJob request: what the registry stores and DescribeTransformJob returns. */
export interface TransformJobRequest {
  readonly TransformJobName: string;
  readonly ModelName: string;
  readonly MaxConcurrentTransforms: number;
  readonly MaxPayloadInMB: number;
  readonly BatchStrategy: "MultiRecord" | "SingleRecord";
  readonly Environment: Readonly<Record<string, string>>;
  readonly TransformInput: {
    readonly DataSource: {
      readonly S3DataSource: { readonly S3DataType: S3DataType; readonly S3Uri: string };
    };
    readonly ContentType: string;
    readonly CompressionType: "None" | "Gzip";
    readonly SplitType: SplitType;
  };
  readonly TransformOutput: {
    readonly S3OutputPath: string;
    readonly Accept: string;
    readonly AssembleWith: "None" | "Line";
  };
  readonly TransformResources: { readonly InstanceType: string; readonly InstanceCount: number };
  readonly Tags?: readonly { readonly Key: string; readonly Value: string }[];
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function bad(field: string, message: string): StrataError {
  return new StrataError("INVALID_HOSTING_REQUEST", `${field} ${message}`, {
    details: { field },
  });
}

function oneOf<T extends string>(field: string, value: unknown, allowed: readonly T[], fallback: T): T {
  if (value === undefined) return fallback;
  if (typeof value === "string" && (allowed as readonly string[]).includes(value)) return value as T;
  throw new StrataError(
    "INVALID_HOSTING_REQUEST",
    `${field}=${JSON.stringify(value)} is not supported: expected one of ${allowed.join(", ")}.`,
    { details: { field } },
  );
}

/**
 * Validates a CreateTransformJob request.
 * @throws StrataError INVALID_HOSTING_REQUEST naming the field (an S3DataType other than S3Prefix or
 *   ManifestFile among them); NOT_IMPLEMENTED for
 *   TFRecord splits and DataProcessing
 */
export function validateCreateTransformJob(input: unknown): TransformJobRequest {
  if (!isRecord(input)) throw bad("The request", "must be a JSON object.");
  const name = checkResourceName("TransformJobName", input["TransformJobName"]);
  const modelName = checkResourceName("ModelName", input["ModelName"]);
  const ti = input["TransformInput"];
  const source = isRecord(ti) && isRecord(ti["DataSource"]) ? ti["DataSource"]["S3DataSource"] : undefined;
  if (!isRecord(ti) || !isRecord(source) || typeof source["S3Uri"] !== "string" || source["S3Uri"] === "")
    throw bad("TransformInput.DataSource.S3DataSource.S3Uri", "is required: a file, a URI or an S3 prefix.");
  const dataType = parseS3DataType(source["S3DataType"]);
  if (typeof dataType !== "string")
    throw bad("TransformInput.DataSource.S3DataSource.S3DataType", dataType.problem);
  if (ti["SplitType"] === "TFRecord")
    throw new StrataError(
      "NOT_IMPLEMENTED",
      "SplitType TFRecord is not supported: use None, Line or RecordIO.",
    );
  if (input["DataProcessing"] !== undefined)
    throw new StrataError(
      "NOT_IMPLEMENTED",
      "DataProcessing (InputFilter, JoinSource, OutputFilter) is not supported yet.",
    );
  const to = input["TransformOutput"];
  if (!isRecord(to) || typeof to["S3OutputPath"] !== "string" || to["S3OutputPath"] === "")
    throw bad("TransformOutput.S3OutputPath", "is required.");
  const payload = integerField(
    input["MaxPayloadInMB"],
    "MaxPayloadInMB",
    { min: 1, max: 100, note: "0, chunked encoding, is not supported by the built-in algorithms" },
    "INVALID_HOSTING_REQUEST",
    6,
  );
  const concurrent = integerField(
    input["MaxConcurrentTransforms"],
    "MaxConcurrentTransforms",
    { min: 0, max: 64, note: "0: the default, 1" },
    "INVALID_HOSTING_REQUEST",
    1,
  );
  const env = input["Environment"] ?? {};
  if (!isRecord(env) || Object.values(env).some((v) => typeof v !== "string"))
    throw bad("Environment", "must map names to strings.");
  const resources = isRecord(input["TransformResources"]) ? input["TransformResources"] : {};
  const instances = integerField(
    resources["InstanceCount"],
    "TransformResources.InstanceCount",
    { min: 1, max: 64 },
    "INVALID_HOSTING_REQUEST",
    1,
  );
  const splitType = oneOf(
    "TransformInput.SplitType",
    ti["SplitType"],
    ["None", "Line", "RecordIO"] as const,
    "None",
  );
  const strategy = oneOf(
    "BatchStrategy",
    input["BatchStrategy"],
    ["MultiRecord", "SingleRecord"] as const,
    "MultiRecord",
  );
  return {
    TransformJobName: name,
    ModelName: modelName,
    MaxConcurrentTransforms: concurrent,
    MaxPayloadInMB: payload,
    BatchStrategy: strategy,
    Environment: env as Record<string, string>,
    TransformInput: {
      DataSource: { S3DataSource: { S3DataType: dataType, S3Uri: source["S3Uri"] } },
      ContentType: typeof ti["ContentType"] === "string" ? ti["ContentType"] : "application/json",
      CompressionType: oneOf(
        "TransformInput.CompressionType",
        ti["CompressionType"],
        ["None", "Gzip"] as const,
        "None",
      ),
      SplitType: splitType,
    },
    TransformOutput: {
      S3OutputPath: to["S3OutputPath"],
      Accept: typeof to["Accept"] === "string" ? to["Accept"] : "application/json",
      AssembleWith: oneOf(
        "TransformOutput.AssembleWith",
        to["AssembleWith"],
        ["None", "Line"] as const,
        "None",
      ),
    },
    TransformResources: {
      InstanceType: typeof resources["InstanceType"] === "string" ? resources["InstanceType"] : "ml.m5.large",
      InstanceCount: instances,
    },
    ...(Array.isArray(input["Tags"]) ? { Tags: input["Tags"] as TransformJobRequest["Tags"] } : {}),
  };
}
