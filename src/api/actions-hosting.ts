/**
 * Hosting actions of the control plane — models, endpoint configurations, endpoints and transform jobs —
 * onto the services of src/serving (the ones the `strata models|deploy|endpoints|transform` commands use).
 * @module
 */
import type { ListRequest } from "../serving/list-page.js";
import { type ActionHandler, nameField } from "./context.js";
import { LIST_RULES, type ListRules, listRequest } from "./wire.js";

const list = (input: Record<string, unknown>, rules: ListRules) => listRequest(input, rules) as ListRequest;

export const HOSTING_ACTIONS: Readonly<Record<string, ActionHandler>> = {
  CreateModel: (input, { hosting }) => hosting.models.createModel(input),
  DescribeModel: (input, { hosting }) => hosting.models.describeModel(nameField(input, "ModelName")),
  ListModels: (input, { hosting }) => hosting.models.listModels(list(input, LIST_RULES.models)),
  DeleteModel: (input, { hosting }) => {
    hosting.models.deleteModel(nameField(input, "ModelName"));
    return {};
  },
  CreateEndpointConfig: (input, { hosting }) => hosting.models.createEndpointConfig(input),
  DescribeEndpointConfig: (input, { hosting }) =>
    hosting.models.describeEndpointConfig(nameField(input, "EndpointConfigName")),
  ListEndpointConfigs: (input, { hosting }) =>
    hosting.models.listEndpointConfigs(list(input, LIST_RULES.endpointConfigs)),
  DeleteEndpointConfig: (input, { hosting }) => {
    hosting.models.deleteEndpointConfig(nameField(input, "EndpointConfigName"));
    return {};
  },
  CreateEndpoint: (input, { hosting }) => hosting.endpoints.createEndpoint(input),
  DescribeEndpoint: (input, { hosting }) =>
    hosting.endpoints.describeEndpoint(nameField(input, "EndpointName")),
  ListEndpoints: (input, { hosting }) => hosting.endpoints.listEndpoints(list(input, LIST_RULES.endpoints)),
  UpdateEndpoint: (input, { hosting }) => hosting.endpoints.updateEndpoint(input),
  DeleteEndpoint: async (input, { hosting }) => {
    await hosting.endpoints.deleteEndpoint(nameField(input, "EndpointName"));
    return {};
  },
  CreateTransformJob: (input, { hosting }) => hosting.transforms.createTransformJob(input),
  DescribeTransformJob: (input, { hosting }) =>
    hosting.transforms.describeTransformJob(nameField(input, "TransformJobName")),
  ListTransformJobs: (input, { hosting }) =>
    hosting.transforms.listTransformJobs(list(input, LIST_RULES.transformJobs)),
  StopTransformJob: (input, { hosting }) => {
    hosting.transforms.stopTransformJob(nameField(input, "TransformJobName"));
    return {};
  },
};
