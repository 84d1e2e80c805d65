/**
 * Endpoints: CreateEndpoint, DescribeEndpoint, ListEndpoints, UpdateEndpoint, DeleteEndpoint (spec §6.4) and
 * the table of loaded endpoints that InvokeEndpoint reads. Lifecycle, persisted in the registry:
 *
 *   CreateEndpoint → Creating ──load every variant's model──▶ InService ──UpdateEndpoint──▶ Updating ──▶ InService
 *                        └──load fails──▶ Failed (FailureReason)      (a failed update rolls back: InService on
 *   DeleteEndpoint → Deleting ──unload──▶ gone                         the old config, FailureReason set)
 *
 * The registry is the source of truth and the in-memory table a cache of it: a server brings every InService
 * endpoint back at start (`restore`), and `sync` (polled by `strata serve`) picks up endpoints created,
 * updated or deleted by other processes (`strata deploy` in another shell). Activation finishes in
 * milliseconds, so CreateEndpoint waits up to `settleMs` for it before answering; clients still see the
 * SageMaker states and poll as usual.
 * @module
 */
import { EventEmitter } from "node:events";
import { StrataError } from "../errors.js";
import type { ArnContext } from "../jobs/describe.js";
import type { EndpointRecord, HostingStore } from "../registry/hosting-store.js";
import type { LogEventStore } from "../registry/log-event-store.js";
import { isOwnerGone, type ProcessOwner } from "../registry/owner.js";
import { type EndpointStats, InvocationStats } from "./invocation-stats.js";
import { type InvocationResult, invokePipeline } from "./invoke.js";
import { type ListRequest, listPage } from "./list-page.js";
import { loadPipeline } from "./model-loader.js";
import type { ModelService } from "./model-service.js";
import { modelContainers } from "./model-spec.js";
import { checkResourceName, resourceArn } from "./names.js";
import type { CompiledPipeline } from "./pipeline.js";

/** A variant ready to answer. */
export interface LoadedVariant {
  readonly name: string;
  readonly pipeline: CompiledPipeline;
}

/** An InService endpoint in memory. */
export interface LoadedEndpoint {
  readonly name: string;
  readonly modified: number;
  /** Variants in config order; the first answers unless TargetVariant names another. */
  readonly variants: readonly LoadedVariant[];
  /** Its invocations of the last hour (kept across reloads of the same endpoint). */
  readonly stats: InvocationStats;
}

interface VariantSummary {
  readonly VariantName: string;
  readonly images: readonly string[];
  readonly weight: number;
  readonly count: number;
}

export interface EndpointServiceOptions {
  /** How long CreateEndpoint / UpdateEndpoint wait for the load before answering (default 2000 ms). */
  readonly settleMs?: number;
  /** Where the endpoints' lifecycle lines go (CloudWatch's `/aws/sagemaker/Endpoints/<name>`); none when absent. */
  readonly logs?: LogEventStore;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** SageMaker endpoints over the registry, plus the loaded-endpoint table. */
export class EndpointService {
  /** Emits "loaded" (LoadedEndpoint) and "unloaded" (name). */
  readonly events = new EventEmitter();
  readonly #loaded = new Map<string, LoadedEndpoint>();
  readonly #activations = new Map<string, Promise<void>>();
  readonly #invocations = new Map<string, InvocationStats>();
  readonly #settleMs: number;
  readonly #logs: LogEventStore | undefined;

  constructor(
    private readonly store: HostingStore,
    private readonly models: ModelService,
    private readonly arn: ArnContext,
    private readonly owner: ProcessOwner,
    options: EndpointServiceOptions = {},
  ) {
    this.#settleMs = options.settleMs ?? 2000;
    this.#logs = options.logs;
  }

  #log(name: string, level: string, message: string): void {
    this.#logs?.append("endpoint", name, level, message);
  }

  #notFound(name: string): StrataError {
    return new StrataError(
      "ENDPOINT_NOT_FOUND",
      `Could not find endpoint "${resourceArn("endpoint", name, this.arn)}".`,
      {
        details: { name },
      },
    );
  }

  #get(name: string): EndpointRecord {
    const record = this.store.getEndpoint(name);
    if (record === null) throw this.#notFound(name);
    return record;
  }

  /**
   * CreateEndpoint: records the endpoint Creating and loads its models.
   * @throws StrataError INVALID_HOSTING_REQUEST, ENDPOINT_CONFIG_NOT_FOUND, RESOURCE_EXISTS
   */
  async createEndpoint(input: unknown): Promise<{ EndpointArn: string }> {
    if (!isRecord(input))
      throw new StrataError("INVALID_HOSTING_REQUEST", "The request must be a JSON object.");
    const name = checkResourceName("EndpointName", input["EndpointName"]);
    const configName = checkResourceName("EndpointConfigName", input["EndpointConfigName"]);
    this.models.getEndpointConfig(configName);
    const now = new Date();
    const arn = resourceArn("endpoint", name, this.arn);
    this.store.insertEndpoint({
      name,
      arn,
      configName,
      status: "Creating",
      failureReason: null,
      extras: Array.isArray(input["Tags"]) ? { tags: input["Tags"] as [] } : {},
      creationTime: now,
      lastModifiedTime: now,
      owner: this.owner,
    });
    this.#log(name, "info", `Creating endpoint ${name} from endpoint config ${configName}.`);
    await this.#settle(this.#activate(name));
    return { EndpointArn: arn };
  }

  /**
   * UpdateEndpoint: moves an InService endpoint to another config (Updating, then InService).
   * @throws StrataError ENDPOINT_NOT_FOUND, ENDPOINT_CONFIG_NOT_FOUND, ENDPOINT_NOT_IN_SERVICE
   */
  async updateEndpoint(input: unknown): Promise<{ EndpointArn: string }> {
    if (!isRecord(input))
      throw new StrataError("INVALID_HOSTING_REQUEST", "The request must be a JSON object.");
    const name = checkResourceName("EndpointName", input["EndpointName"]);
    const configName = checkResourceName("EndpointConfigName", input["EndpointConfigName"]);
    this.models.getEndpointConfig(configName);
    const record = this.store.updateEndpoint(name, (current) => {
      if (current.status !== "InService") {
        throw new StrataError(
          "ENDPOINT_NOT_IN_SERVICE",
          `Endpoint "${name}" is ${current.status}; UpdateEndpoint needs an InService endpoint.`,
          { details: { name, status: current.status } },
        );
      }
      return {
        status: "Updating",
        extras: { ...current.extras, pendingConfigName: configName },
        owner: this.owner,
      };
    });
    if (record === null) throw this.#notFound(name);
    this.#log(name, "info", `Updating endpoint ${name} to endpoint config ${configName}.`);
    await this.#settle(this.#activate(name));
    return { EndpointArn: record.arn };
  }

  /** DeleteEndpoint: Deleting, unload, remove. @throws StrataError ENDPOINT_NOT_FOUND */
  async deleteEndpoint(name: string): Promise<void> {
    const record = this.store.updateEndpoint(name, () => ({ status: "Deleting", owner: this.owner }));
    if (record === null) throw this.#notFound(name);
    await this.#activations.get(name)?.catch(() => undefined);
    this.#unload(name);
    this.#invocations.delete(name);
    this.store.deleteEndpoint(name);
    this.#log(name, "info", `Endpoint ${name} deleted.`);
  }

  /** The tags CreateEndpoint recorded (ListTags). @throws StrataError ENDPOINT_NOT_FOUND */
  tags(name: string): readonly { Key: string; Value: string }[] {
    return (this.#get(name).extras as { tags?: { Key: string; Value: string }[] }).tags ?? [];
  }

  /** DescribeEndpoint. @throws StrataError ENDPOINT_NOT_FOUND */
  describeEndpoint(name: string): Record<string, unknown> {
    const r = this.#get(name);
    const variants = (r.extras as { variants?: VariantSummary[] }).variants;
    const deployedAt = new Date(r.extras.deployedAt ?? r.lastModifiedTime.getTime());
    return {
      EndpointName: r.name,
      EndpointArn: r.arn,
      EndpointConfigName: r.configName,
      ...(variants === undefined || r.status === "Creating" || r.status === "Failed"
        ? {}
        : {
            ProductionVariants: variants.map((v) => ({
              VariantName: v.VariantName,
              DeployedImages: v.images.map((image) => ({
                SpecifiedImage: image,
                ResolvedImage: image,
                ResolutionTime: deployedAt,
              })),
              CurrentWeight: v.weight,
              DesiredWeight: v.weight,
              CurrentInstanceCount: v.count,
              DesiredInstanceCount: v.count,
            })),
          }),
      EndpointStatus: r.status,
      ...(r.failureReason === null ? {} : { FailureReason: r.failureReason }),
      CreationTime: r.creationTime,
      LastModifiedTime: r.lastModifiedTime,
    };
  }

  /** ListEndpoints (StatusEquals, NameContains, sorting, paging). */
  listEndpoints(request: ListRequest = {}): { Endpoints: Record<string, unknown>[]; NextToken?: string } {
    const items = this.store.listEndpoints().map((e) => ({ ...e, status: e.status as string }));
    const { page, nextToken } = listPage(items, request);
    return {
      Endpoints: page.map((e) => ({
        EndpointName: e.name,
        EndpointArn: e.arn,
        CreationTime: e.creationTime,
        LastModifiedTime: e.lastModifiedTime,
        EndpointStatus: e.status,
      })),
      ...(nextToken === undefined ? {} : { NextToken: nextToken }),
    };
  }

  /** Resolves when the endpoint is no longer Creating or Updating; returns its description. */
  async waitForEndpoint(
    name: string,
    options: { timeoutMs?: number } = {},
  ): Promise<Record<string, unknown>> {
    const deadline = Date.now() + (options.timeoutMs ?? 60_000);
    for (;;) {
      await this.#activations.get(name)?.catch(() => undefined);
      const description = this.describeEndpoint(name);
      const status = description["EndpointStatus"];
      if (status !== "Creating" && status !== "Updating") return description;
      if (Date.now() > deadline)
        throw new StrataError(
          "WAIT_TIMEOUT",
          `Endpoint "${name}" is still ${String(status)} after ${options.timeoutMs} ms.`,
        );
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  /** The loaded endpoint, or null when this process has not loaded it (see {@link resolve}). Hot path. */
  loaded(name: string): LoadedEndpoint | undefined {
    return this.#loaded.get(name);
  }

  /** Every loaded endpoint. */
  loadedEndpoints(): LoadedEndpoint[] {
    return [...this.#loaded.values()];
  }

  /**
   * The loaded endpoint, loading an InService one another process created.
   * @throws StrataError ENDPOINT_NOT_FOUND, ENDPOINT_NOT_IN_SERVICE
   */
  async resolve(name: string): Promise<LoadedEndpoint> {
    const hit = this.#loaded.get(name);
    if (hit !== undefined) return hit;
    const record = this.#get(name);
    if (record.status === "InService") {
      await this.#load(record);
      const loaded = this.#loaded.get(name);
      if (loaded !== undefined) return loaded;
    }
    const current = this.#get(name);
    throw new StrataError(
      "ENDPOINT_NOT_IN_SERVICE",
      `Endpoint "${name}" is ${current.status}; InvokeEndpoint needs an InService endpoint${current.failureReason ? ` (FailureReason: ${current.failureReason})` : ""}.`,
      { details: { name, status: current.status } },
    );
  }

  /**
   * Runs one invocation on a loaded endpoint (synchronous once loaded).
   * @throws StrataError INVALID_HOSTING_REQUEST for an unknown TargetVariant; the invocation errors of invoke.ts
   */
  invokeLoaded(
    endpoint: LoadedEndpoint,
    contentType: string | undefined,
    accept: string | undefined,
    body: Uint8Array,
    targetVariant?: string,
  ): InvocationResult & { variant: string } {
    let variant = endpoint.variants[0]!;
    if (targetVariant !== undefined && targetVariant !== variant.name) {
      const found = endpoint.variants.find((v) => v.name === targetVariant);
      if (found === undefined)
        throw new StrataError(
          "INVALID_HOSTING_REQUEST",
          `TargetVariant "${targetVariant}" is not a variant of endpoint "${endpoint.name}": expected one of ${endpoint.variants.map((v) => v.name).join(", ")}.`,
        );
      variant = found;
    }
    const stats = endpoint.stats;
    const started = performance.now();
    let result: InvocationResult;
    try {
      result = invokePipeline(variant.pipeline, contentType, accept, body);
    } catch (error) {
      stats.recordError();
      throw error;
    }
    stats.record(performance.now() - started);
    // Built field by field (not spread): one object shape on the hot path.
    return { body: result.body, contentType: result.contentType, rows: result.rows, variant: variant.name };
  }

  #stats(name: string): InvocationStats {
    let stats = this.#invocations.get(name);
    if (stats === undefined) {
      stats = new InvocationStats();
      this.#invocations.set(name, stats);
    }
    return stats;
  }

  /** The last hour of an endpoint's invocations in this process (counts, errors, model latency). */
  invocationStats(name: string): EndpointStats {
    return this.#stats(name).read();
  }

  /** Brings back every InService endpoint and finishes interrupted work (server start). */
  async restore(): Promise<void> {
    await this.sync();
  }

  /** Reconciles the loaded table with the registry (endpoints changed by other processes). */
  async sync(): Promise<void> {
    const versions = this.store.endpointVersions();
    for (const name of [...this.#loaded.keys()]) {
      const v = versions.get(name);
      if (v === undefined || v.status !== "InService") this.#unload(name);
    }
    for (const [name, v] of versions) {
      if (this.#activations.has(name)) continue;
      const loaded = this.#loaded.get(name);
      if (v.status === "InService" && (loaded === undefined || loaded.modified !== v.modified)) {
        const record = this.store.getEndpoint(name);
        if (record !== null) await this.#load(record);
      } else if (v.status === "Creating" || v.status === "Updating" || v.status === "Deleting") {
        const record = this.store.getEndpoint(name);
        if (record === null || (record.owner !== null && !isOwnerGone(record.owner))) continue;
        if (v.status === "Deleting") this.store.deleteEndpoint(name);
        else await this.#activate(name);
      }
    }
  }

  async #settle(activation: Promise<void>): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      activation,
      new Promise<void>((resolve) => (timer = setTimeout(resolve, this.#settleMs))),
    ]);
    clearTimeout(timer);
  }

  #activate(name: string): Promise<void> {
    const running = this.#activations.get(name);
    if (running !== undefined) return running;
    const work = this.#runActivation(name).finally(() => this.#activations.delete(name));
    this.#activations.set(name, work);
    return work;
  }

  async #runActivation(name: string): Promise<void> {
    const record = this.store.getEndpoint(name);
    if (record === null) return;
    const updating = record.status === "Updating";
    const configName = record.extras.pendingConfigName ?? record.configName;
    let built: { variants: LoadedVariant[]; summaries: VariantSummary[] };
    try {
      built = await this.#build(configName);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      this.store.updateEndpoint(name, (current) => {
        if (current.status === "Deleting") return null;
        const { pendingConfigName: _p, ...extras } = current.extras;
        return updating
          ? { status: "InService", failureReason: reason, extras, owner: null }
          : { status: "Failed", failureReason: reason, owner: null };
      });
      this.#log(
        name,
        "error",
        updating
          ? `Update to endpoint config ${configName} failed; the endpoint stays on its previous config: ${reason}`
          : `Endpoint Failed: ${reason}`,
      );
      return;
    }
    const now = Date.now();
    const after = this.store.updateEndpoint(name, (current) => {
      if (current.status === "Deleting") return null;
      const { pendingConfigName: _p, ...extras } = current.extras;
      return {
        status: "InService",
        configName,
        failureReason: null,
        extras: { ...extras, deployedAt: now, variants: built.summaries } as typeof extras,
        owner: null,
      };
    });
    if (after !== null && after.status === "InService") {
      this.#install(name, after.lastModifiedTime.getTime(), built.variants);
      for (const v of built.summaries)
        this.#log(name, "info", `Variant ${v.VariantName} serving ${v.images.join(" -> ")}.`);
      this.#log(name, "info", `Endpoint ${name} is InService on endpoint config ${configName}.`);
    }
  }

  async #build(configName: string): Promise<{ variants: LoadedVariant[]; summaries: VariantSummary[] }> {
    const config = this.models.getEndpointConfig(configName).request;
    const variants: LoadedVariant[] = [];
    const summaries: VariantSummary[] = [];
    for (const v of config.ProductionVariants) {
      const model = this.models.getModel(v.ModelName).request;
      const containers = modelContainers(model);
      variants.push({ name: v.VariantName, pipeline: await loadPipeline(v.ModelName, containers) });
      summaries.push({
        VariantName: v.VariantName,
        images: containers.map((c) => c.Image),
        weight: v.InitialVariantWeight ?? 1,
        count: v.InitialInstanceCount ?? 1,
      });
    }
    return { variants, summaries };
  }

  /** Loads an InService endpoint another process (or a previous run) activated; marks it Failed if it cannot. */
  async #load(record: EndpointRecord): Promise<void> {
    try {
      const { variants } = await this.#build(record.configName);
      const current = this.store.getEndpoint(record.name);
      if (current !== null && current.status === "InService")
        this.#install(record.name, current.lastModifiedTime.getTime(), variants);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      this.store.updateEndpoint(record.name, (current) =>
        current.status === "InService" ? { status: "Failed", failureReason: reason } : null,
      );
    }
  }

  #install(name: string, modified: number, variants: LoadedVariant[]): void {
    const endpoint: LoadedEndpoint = { name, modified, variants, stats: this.#stats(name) };
    this.#loaded.set(name, endpoint);
    this.events.emit("loaded", endpoint);
  }

  #unload(name: string): void {
    if (this.#loaded.delete(name)) this.events.emit("unloaded", name);
  }
}
