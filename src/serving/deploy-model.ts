/**
 * `strata deploy`'s one step — a model to a named endpoint — made of the control plane's calls, so it can be
 * repeated: a name whose endpoint was deleted or failed is deployed afresh, a live endpoint is moved to the
 * new model (UpdateEndpoint), and the endpoint config is `<endpoint>-config`, reused when it already says the
 * same, replaced when nothing uses it, else `<endpoint>-config-2`, `-3`, … so no other endpoint changes.
 * @module
 */
import { isStrataError, StrataError } from "../errors.js";
import type { HostingService } from "./hosting-service.js";

export interface DeployRequest {
  readonly model: string;
  readonly endpoint: string;
  readonly instanceType: string;
}

/** What a deploy did, and the endpoint as DescribeEndpoint shows it once the deploy has ended. */
export interface DeployResult {
  readonly action: "created" | "recreated" | "updated";
  readonly endpointConfigName: string;
  readonly description: Record<string, unknown>;
}

function variantOf(request: DeployRequest) {
  return {
    VariantName: "AllTraffic",
    ModelName: request.model,
    InitialInstanceCount: 1,
    InstanceType: request.instanceType,
  };
}

function sameVariants(config: Record<string, unknown>, variant: ReturnType<typeof variantOf>): boolean {
  const variants = config["ProductionVariants"] as Record<string, unknown>[] | undefined;
  if (variants?.length !== 1) return false;
  const v = variants[0]!;
  return (
    v["VariantName"] === variant.VariantName &&
    v["ModelName"] === variant.ModelName &&
    v["InitialInstanceCount"] === variant.InitialInstanceCount &&
    v["InstanceType"] === variant.InstanceType
  );
}

function describeOrNull(h: HostingService, endpoint: string): Record<string, unknown> | null {
  try {
    return h.endpoints.describeEndpoint(endpoint);
  } catch (error) {
    if (isStrataError(error, "ENDPOINT_NOT_FOUND")) return null;
    throw error;
  }
}

/** Endpoint config names some endpoint uses (every page of ListEndpoints). */
function configsInUse(h: HostingService): Set<string> {
  const used = new Set<string>();
  let token: string | undefined;
  do {
    const page = h.endpoints.listEndpoints({
      MaxResults: 100,
      ...(token === undefined ? {} : { NextToken: token }),
    });
    for (const e of page.Endpoints)
      used.add(String(h.endpoints.describeEndpoint(String(e["EndpointName"]))["EndpointConfigName"]));
    token = page.NextToken;
  } while (token !== undefined);
  return used;
}

/** The config to deploy with: an equal one reused, an unused one replaced, else the next free name. */
function chooseConfig(h: HostingService, request: DeployRequest): string {
  const variant = variantOf(request);
  const base = `${request.endpoint}-config`;
  const inUse = configsInUse(h);
  for (let n = 1; ; n++) {
    const name = n === 1 ? base : `${base}-${n}`;
    let existing: Record<string, unknown> | null = null;
    try {
      existing = h.models.describeEndpointConfig(name);
    } catch (error) {
      if (!isStrataError(error, "ENDPOINT_CONFIG_NOT_FOUND")) throw error;
    }
    if (existing !== null && sameVariants(existing, variant)) return name;
    if (existing !== null && inUse.has(name)) continue;
    if (existing !== null) h.models.deleteEndpointConfig(name);
    h.models.createEndpointConfig({ EndpointConfigName: name, ProductionVariants: [variant] });
    return name;
  }
}

/**
 * Deploys `request.model` as `request.endpoint` and waits until the endpoint has settled.
 * @throws StrataError MODEL_NOT_FOUND, ENDPOINT_NOT_IN_SERVICE (an endpoint busy Creating or Updating), and the
 *   control plane's errors
 * @example await deployModel(hosting, { model: "census-pipeline", endpoint: "census", instanceType: "ml.m5.large" })
 */
export async function deployModel(h: HostingService, request: DeployRequest): Promise<DeployResult> {
  h.models.getModel(request.model);
  const existing = describeOrNull(h, request.endpoint);
  // An endpoint in the middle of a change keeps its configs: nothing is touched until it has settled.
  const status = existing?.["EndpointStatus"];
  if (status === "Creating" || status === "Updating" || status === "Deleting")
    throw new StrataError(
      "ENDPOINT_NOT_IN_SERVICE",
      `Endpoint "${request.endpoint}" is ${String(status)}; deploy again once it has settled.`,
      { details: { name: request.endpoint, status } },
    );
  // A failed endpoint goes first, so that its config counts as unused.
  const failed = existing?.["EndpointStatus"] === "Failed";
  if (failed) await h.endpoints.deleteEndpoint(request.endpoint);
  const endpointConfigName = chooseConfig(h, request);
  let action: DeployResult["action"];
  if (existing === null || failed) {
    await h.endpoints.createEndpoint({
      EndpointName: request.endpoint,
      EndpointConfigName: endpointConfigName,
    });
    action = failed ? "recreated" : "created";
  } else {
    await h.endpoints.updateEndpoint({
      EndpointName: request.endpoint,
      EndpointConfigName: endpointConfigName,
    });
    action = "updated";
  }
  const description = await h.endpoints.waitForEndpoint(request.endpoint);
  return { action, endpointConfigName, description };
}
