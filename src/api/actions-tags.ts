/**
 * ListTags: the tags a Create* request recorded, for the resource an ARN names (training job, model, endpoint
 * config, endpoint, transform job). The SageMaker SDK's `Estimator.attach` calls it on the training job's ARN
 * and reads `Tags`. The resource is found by its ARN (`registry/db.ts` nameOfArn), which spells the name in
 * lower case whatever case it was created in.
 * @module
 */
import { StrataError } from "../errors.js";
import { type ArnTable, nameOfArn } from "../registry/db.js";
import type { ActionHandler, ApiContext } from "./context.js";
import { nameField } from "./context.js";

type Tags = readonly { readonly Key: string; readonly Value: string }[];

const ARN = /^arn:aws[\w-]*:sagemaker:[^:]*:[^:]*:([a-z-]+)\/(.+)$/;

const TABLES: Readonly<Record<string, ArnTable>> = {
  "training-job": "training_jobs",
  model: "models",
  "endpoint-config": "endpoint_configs",
  endpoint: "endpoints",
  "transform-job": "transform_jobs",
};

function tagsOf(type: string, arnName: string, arn: string, context: ApiContext): Tags {
  const { training, hosting } = context;
  const table = Object.hasOwn(TABLES, type) ? TABLES[type] : undefined;
  // Unknown ARNs fall through to the lookups by name, which answer "not found" in each kind's words.
  const name = (table && nameOfArn(training.store.db, table, arn)) ?? arnName;
  switch (type) {
    case "training-job":
      return training.store.get(name).request.Tags ?? [];
    case "model":
      return hosting.models.getModel(name).request.Tags ?? [];
    case "endpoint-config":
      return hosting.models.getEndpointConfig(name).request.Tags ?? [];
    case "endpoint":
      return hosting.endpoints.tags(name);
    case "transform-job":
      return hosting.transforms.tags(name);
    default:
      throw new StrataError(
        "INVALID_HOSTING_REQUEST",
        `ResourceArn ${JSON.stringify(arn)} names a ${type}; Strata keeps tags of training jobs, models, endpoint configs, endpoints and transform jobs.`,
        { details: { field: "ResourceArn" } },
      );
  }
}

export const TAG_ACTIONS: Readonly<Record<string, ActionHandler>> = {
  ListTags: (input, context) => {
    const arn = nameField(input, "ResourceArn");
    const m = ARN.exec(arn);
    if (m === null)
      throw new StrataError(
        "INVALID_HOSTING_REQUEST",
        `ResourceArn ${JSON.stringify(arn)} is not a SageMaker ARN (arn:aws:sagemaker:<region>:<account>:<type>/<name>).`,
        { details: { field: "ResourceArn" } },
      );
    return { Tags: tagsOf(m[1]!, m[2]!, arn, context) };
  },
};
