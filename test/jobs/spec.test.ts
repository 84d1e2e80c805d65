import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { isStrataError } from "../../src/errors.js";
import { parseContentType } from "../../src/jobs/content-type.js";
import { algorithmFromImage, isValidJobName, nameFromBase } from "../../src/jobs/names.js";
import { artifactUris, validateTrainingJobRequest } from "../../src/jobs/spec.js";

const base = {
  AlgorithmSpecification: { TrainingImage: "pca" },
  HyperParameters: { num_components: "2" },
  InputDataConfig: [
    {
      ChannelName: "train",
      DataSource: { S3DataSource: { S3Uri: "/data/train.csv" } },
      ContentType: "text/csv",
    },
  ],
};

function rejects(request: unknown, field: string, pattern: RegExp): void {
  assert.throws(
    () => validateTrainingJobRequest(request, { home: "/tmp/h" }),
    (e: unknown) => {
      assert.ok(isStrataError(e, "INVALID_JOB_REQUEST"), String(e));
      assert.equal(e.details["field"], field);
      assert.match(e.message, pattern);
      assert.ok(e.message.startsWith(`${field}: `) && e.message.endsWith("."), e.message);
      return true;
    },
  );
}

describe("CreateTrainingJob validation", () => {
  it("fills SageMaker's defaults and Strata's output path", () => {
    const now = new Date(Date.UTC(2026, 11, 1, 5, 39, 20, 123));
    const spec = validateTrainingJobRequest(base, { home: "/tmp/h", now });
    assert.equal(spec.request.TrainingJobName, "pca-2026-12-01-05-39-20-123");
    assert.equal(spec.algorithm, "pca");
    assert.equal(spec.request.OutputDataConfig.S3OutputPath, "/tmp/h/artifacts");
    assert.equal(spec.request.ResourceConfig.InstanceCount, 1);
    assert.equal(spec.request.StoppingCondition.MaxRuntimeInSeconds, 86400);
    assert.equal(spec.request.AlgorithmSpecification.TrainingInputMode, "File");
    assert.deepEqual(spec.train.contentType, { format: "csv", labelSize: 0 });
    assert.equal(spec.test, null);
    assert.deepEqual(artifactUris(spec.request), {
      dir: "/tmp/h/artifacts/pca-2026-12-01-05-39-20-123/output",
      model: "/tmp/h/artifacts/pca-2026-12-01-05-39-20-123/output/model.tar.gz",
      metadata: "/tmp/h/artifacts/pca-2026-12-01-05-39-20-123/output/strata-model.json",
    });
  });

  it("recognises SageMaker image URIs by repository name", () => {
    assert.equal(algorithmFromImage("382416733822.dkr.ecr.us-east-1.amazonaws.com/pca:1"), "pca");
    assert.equal(algorithmFromImage("174872318107.dkr.ecr.us-west-2.amazonaws.com/kmeans:latest"), "kmeans");
    assert.equal(algorithmFromImage("kmeans"), "kmeans");
    assert.equal(algorithmFromImage("xgboost:1"), null);
    const spec = validateTrainingJobRequest({
      ...base,
      AlgorithmSpecification: { TrainingImage: "382416733822.dkr.ecr.us-east-1.amazonaws.com/kmeans:1" },
    });
    assert.equal(spec.algorithm, "kmeans");
    assert.match(spec.request.TrainingJobName, /^kmeans-\d{4}(-\d{2}){5}-\d{3}$/);
  });

  it("names jobs as the SDK's name_from_base does, within 63 characters", () => {
    const name = nameFromBase("x".repeat(80), new Date(0));
    assert.equal(name.length, 63);
    assert.ok(name.endsWith("-1970-01-01-00-00-00-000"));
    assert.ok(isValidJobName("census-pca-1"));
    for (const bad of ["", "-a", "a-", "a_b", "a".repeat(64), "a b"])
      assert.equal(isValidJobName(bad), false, bad);
  });

  it("names the field and what is allowed", () => {
    rejects(
      { ...base, TrainingJobName: "bad_name" },
      "TrainingJobName",
      /"bad_name" is invalid: expected 1 to 63 letters/,
    );
    rejects(
      { ...base, AlgorithmSpecification: { TrainingImage: "xgboost" } },
      "AlgorithmSpecification.TrainingImage",
      /expected "pca", "kmeans"/,
    );
    rejects(
      { ...base, AlgorithmSpecification: { TrainingImage: "pca", TrainingInputMode: "Stream" } },
      "AlgorithmSpecification.TrainingInputMode",
      /File, Pipe, FastFile/,
    );
    rejects({ ...base, InputDataConfig: [] }, "InputDataConfig", /"train" channel/);
    rejects(
      { ...base, InputDataConfig: [{ ...base.InputDataConfig[0], ChannelName: "test" }] },
      "InputDataConfig",
      /"train" channel is required/,
    );
    rejects(
      { ...base, InputDataConfig: [{ ...base.InputDataConfig[0], ChannelName: "validation" }] },
      "InputDataConfig[0].ChannelName",
      /expected "train" or "test"/,
    );
    rejects(
      { ...base, InputDataConfig: [base.InputDataConfig[0], base.InputDataConfig[0]] },
      "InputDataConfig",
      /"train" is given twice/,
    );
    rejects(
      { ...base, InputDataConfig: [{ ...base.InputDataConfig[0], ContentType: "application/json" }] },
      "InputDataConfig[0].ContentType",
      /"application\/json" is not supported: expected one of text\/csv/,
    );
    rejects(
      {
        ...base,
        InputDataConfig: [
          { ...base.InputDataConfig[0], DataSource: { S3DataSource: { S3Uri: "ftp://x/y" } } },
        ],
      },
      "InputDataConfig[0].DataSource.S3DataSource.S3Uri",
      /unsupported scheme ftp:/,
    );
    rejects(
      { ...base, HyperParameters: { num_components: 2 } },
      "HyperParameters.num_components",
      /not a string.*send "2"/,
    );
    rejects(
      { ...base, HyperParameters: { num_components: "1".repeat(257) } },
      "HyperParameters.num_components",
      /257 characters; at most 256/,
    );
    rejects(
      { ...base, ResourceConfig: { InstanceCount: 0 } },
      "ResourceConfig.InstanceCount",
      /0 is invalid: expected an integer from 1 to 64/,
    );
    rejects(
      { ...base, StoppingCondition: { MaxRuntimeInSeconds: 1.5 } },
      "StoppingCondition.MaxRuntimeInSeconds",
      /1.5 is invalid/,
    );
    rejects(
      { ...base, OutputDataConfig: { S3OutputPath: "https://example.com/x" } },
      "OutputDataConfig.S3OutputPath",
      /read-only/,
    );
  });

  it("parses content types with label_size", () => {
    assert.deepEqual(parseContentType("text/csv;label_size=1"), { format: "csv", labelSize: 1 });
    assert.deepEqual(parseContentType("text/csv; charset=utf-8"), { format: "csv", labelSize: 0 });
    assert.deepEqual(parseContentType(undefined), { format: "recordio-protobuf", labelSize: 0 });
    assert.deepEqual(parseContentType("application/x-parquet"), { format: "parquet", labelSize: 0 });
    assert.match(String(parseContentType("text/csv;label_size=x")), /expected a non-negative integer/);
    assert.match(
      String(parseContentType("application/x-recordio-protobuf;label_size=1")),
      /only text\/csv takes label_size/,
    );
  });
});
