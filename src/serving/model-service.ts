/**
 * Models and endpoint configurations over the registry: CreateModel, DescribeModel, ListModels, DeleteModel,
 * CreateEndpointConfig, DescribeEndpointConfig, ListEndpointConfigs, DeleteEndpointConfig in SageMaker's
 * shapes (spec §6.4). The CLI (`strata models`, `strata deploy`) and the HTTP control plane both call these.
 * As on SageMaker, a model or config can be deleted while an endpoint uses it: the endpoint keeps serving what
 * it loaded.
 * @module
 */

import { type AccessRules, checkReadLocation, UNRESTRICTED } from "../data/sources/access.js";
import { StrataError } from "../errors.js";
import type { ArnContext } from "../jobs/describe.js";
import type { HostingStore, StoredResource } from "../registry/hosting-store.js";
import { integerField } from "../util/integer-field.js";
import { type ListRequest, listPage } from "./list-page.js";
import { type ModelRequest, modelContainers, validateCreateModel } from "./model-spec.js";
import { checkResourceName, resourceArn } from "./names.js";

/** SageMaker's limit on a variant's instances (recorded: Strata serves a variant in one process). */
const MAX_INSTANCES = 64;

/** One production variant of an endpoint configuration. */
export interface ProductionVariant {
  readonly VariantName: string;
  readonly ModelName: string;
  readonly InitialInstanceCount?: number;
  readonly InstanceType?: string;
  readonly InitialVariantWeight?: number;
}

/** A validated CreateEndpointConfig request. */
export interface EndpointConfigRequest {
  readonly EndpointConfigName: string;
  readonly ProductionVariants: readonly ProductionVariant[];
  readonly Tags?: readonly { readonly Key: string; readonly Value: string }[];
  readonly KmsKeyId?: string;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** The not-found error of a model, as SageMaker words it. */
export function modelNotFound(name: string, arn: string): StrataError {
  return new StrataError("MODEL_NOT_FOUND", `Could not find model "${arn}".`, { details: { name } });
}

/** SageMaker models and endpoint configurations. */
export class ModelService {
  constructor(
    private readonly store: HostingStore,
    private readonly arn: ArnContext,
    /** Where model artifacts may be read from (the server's rules; default anywhere). */
    private readonly access: AccessRules = UNRESTRICTED,
  ) {}

  /**
   * CreateModel: every ModelDataUrl is checked against the access rules before the model exists.
   * @throws StrataError INVALID_HOSTING_REQUEST, LOCATION_NOT_ALLOWED, RESOURCE_EXISTS
   */
  async createModel(input: unknown): Promise<{ ModelArn: string }> {
    const request = validateCreateModel(input);
    for (const [i, container] of modelContainers(request).entries())
      await checkReadLocation(
        container.ModelDataUrl,
        this.access,
        `${request.PrimaryContainer === undefined ? `Containers[${i}]` : "PrimaryContainer"}.ModelDataUrl`,
      );
    const arn = resourceArn("model", request.ModelName, this.arn);
    const first = modelContainers(request)[0];
    this.store.insertModel(
      { name: request.ModelName, arn, request, creationTime: new Date() },
      null,
      first?.ModelDataUrl ?? null,
    );
    return { ModelArn: arn };
  }

  /** The stored model. @throws StrataError MODEL_NOT_FOUND */
  getModel(name: string): StoredResource<ModelRequest> {
    const found = this.store.getModel<ModelRequest>(name);
    if (found === null) throw modelNotFound(name, resourceArn("model", name, this.arn));
    return found;
  }

  /** DescribeModel. @throws StrataError MODEL_NOT_FOUND */
  describeModel(name: string): Record<string, unknown> {
    const { request, arn, creationTime } = this.getModel(name);
    const { Tags: _tags, ...rest } = request;
    return { ...rest, ModelArn: arn, CreationTime: creationTime, EnableNetworkIsolation: false };
  }

  /** ListModels. */
  listModels(request: ListRequest = {}): { Models: Record<string, unknown>[]; NextToken?: string } {
    const { page, nextToken } = listPage(this.store.listModels<ModelRequest>(), request);
    return {
      Models: page.map((m) => ({ ModelName: m.name, ModelArn: m.arn, CreationTime: m.creationTime })),
      ...(nextToken === undefined ? {} : { NextToken: nextToken }),
    };
  }

  /** DeleteModel. @throws StrataError MODEL_NOT_FOUND */
  deleteModel(name: string): void {
    if (!this.store.deleteModel(name)) throw modelNotFound(name, resourceArn("model", name, this.arn));
  }

  /**
   * CreateEndpointConfig: every variant's model must exist.
   * @throws StrataError INVALID_HOSTING_REQUEST, MODEL_NOT_FOUND, RESOURCE_EXISTS
   */
  createEndpointConfig(input: unknown): { EndpointConfigArn: string } {
    if (!isRecord(input))
      throw new StrataError("INVALID_HOSTING_REQUEST", "The request must be a JSON object.");
    const name = checkResourceName("EndpointConfigName", input["EndpointConfigName"]);
    const variants = input["ProductionVariants"];
    if (!Array.isArray(variants) || variants.length < 1 || variants.length > 10)
      throw new StrataError("INVALID_HOSTING_REQUEST", "ProductionVariants must list 1 to 10 variants.");
    const seen = new Set<string>();
    const checked = variants.map((v: unknown, i): ProductionVariant => {
      if (!isRecord(v))
        throw new StrataError("INVALID_HOSTING_REQUEST", `ProductionVariants[${i}] must be an object.`);
      const variantName = checkResourceName(`ProductionVariants[${i}].VariantName`, v["VariantName"]);
      if (seen.has(variantName))
        throw new StrataError(
          "INVALID_HOSTING_REQUEST",
          `ProductionVariants[${i}].VariantName "${variantName}" is used twice.`,
        );
      seen.add(variantName);
      const modelName = checkResourceName(`ProductionVariants[${i}].ModelName`, v["ModelName"]);
      this.getModel(modelName);
      const count = integerField(
        v["InitialInstanceCount"],
        `ProductionVariants[${i}].InitialInstanceCount`,
        { min: 1, max: MAX_INSTANCES },
        "INVALID_HOSTING_REQUEST",
        1,
      );
      const weight = v["InitialVariantWeight"] ?? 1;
      if (typeof weight !== "number" || !Number.isFinite(weight) || weight < 0 || weight > 1000)
        throw new StrataError(
          "INVALID_HOSTING_REQUEST",
          `ProductionVariants[${i}].InitialVariantWeight=${JSON.stringify(weight)} is invalid: expected a number from 0 to 1000.`,
          { details: { field: `ProductionVariants[${i}].InitialVariantWeight` } },
        );
      return {
        VariantName: variantName,
        ModelName: modelName,
        InitialInstanceCount: count,
        InstanceType: typeof v["InstanceType"] === "string" ? (v["InstanceType"] as string) : "ml.m5.large",
        InitialVariantWeight: weight,
      };
    });
    const request: EndpointConfigRequest = {
      EndpointConfigName: name,
      ProductionVariants: checked,
      ...(Array.isArray(input["Tags"]) ? { Tags: input["Tags"] as EndpointConfigRequest["Tags"] } : {}),
      ...(typeof input["KmsKeyId"] === "string" ? { KmsKeyId: input["KmsKeyId"] as string } : {}),
    };
    const arn = resourceArn("endpoint-config", name, this.arn);
    this.store.insertEndpointConfig({ name, arn, request, creationTime: new Date() });
    return { EndpointConfigArn: arn };
  }

  /** The stored config. @throws StrataError ENDPOINT_CONFIG_NOT_FOUND */
  getEndpointConfig(name: string): StoredResource<EndpointConfigRequest> {
    const found = this.store.getEndpointConfig<EndpointConfigRequest>(name);
    if (found === null) {
      throw new StrataError(
        "ENDPOINT_CONFIG_NOT_FOUND",
        `Could not find endpoint configuration "${resourceArn("endpoint-config", name, this.arn)}".`,
        { details: { name } },
      );
    }
    return found;
  }

  /** DescribeEndpointConfig. @throws StrataError ENDPOINT_CONFIG_NOT_FOUND */
  describeEndpointConfig(name: string): Record<string, unknown> {
    const { request, arn, creationTime } = this.getEndpointConfig(name);
    const { Tags: _tags, ...rest } = request;
    return { ...rest, EndpointConfigArn: arn, CreationTime: creationTime };
  }

  /** ListEndpointConfigs. */
  listEndpointConfigs(request: ListRequest = {}): {
    EndpointConfigs: Record<string, unknown>[];
    NextToken?: string;
  } {
    const { page, nextToken } = listPage(this.store.listEndpointConfigs<EndpointConfigRequest>(), request);
    return {
      EndpointConfigs: page.map((c) => ({
        EndpointConfigName: c.name,
        EndpointConfigArn: c.arn,
        CreationTime: c.creationTime,
      })),
      ...(nextToken === undefined ? {} : { NextToken: nextToken }),
    };
  }

  /** DeleteEndpointConfig. @throws StrataError ENDPOINT_CONFIG_NOT_FOUND */
  deleteEndpointConfig(name: string): void {
    this.getEndpointConfig(name);
    this.store.deleteEndpointConfig(name);
  }
}
