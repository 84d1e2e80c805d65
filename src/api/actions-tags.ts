/**
 * ListTags: the tags a Create* request recorded, for the resource an ARN names (training job, model, endpoint
 * config, endpoint, transform job). The SageMaker SDK's `Estimator.attach` calls it on the training job's ARN
 * and reads `Tags`. Names are looked up as the ARN spells them (SageMaker lower-cases names in ARNs, and the
 * SDK's generated names are lower-case).
 * @module
 */
import { StrataError } from "../errors.js";
import type { ActionHandler, ApiContext } from "./context.js";
import { nameField } from "./context.js";

type Tags = readonly { readonly Key: string; readonly Value: string }[];

const ARN = /^arn:aws[\w-]*:sagemaker:[^:]*:[^:]*:([a-z-]+)\/(.+)$/;

function tagsOf(type: string, name: string, arn: string, context: ApiContext): Tags {
  const { training, hosting } = context;
  switch (type) {
    case "training-job": {
      const record = training.store.list().find((r) => r.arn === arn) ?? training.store.get(name);
      return record.request.Tags ?? [];
    }
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
