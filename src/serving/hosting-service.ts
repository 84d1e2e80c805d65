/**
 * The hosting side of Strata in one object: models and endpoint configs, endpoints, transform jobs, sharing
 * one registry connection and one owner identity. The CLI opens one per command; `strata serve` opens one for
 * its lifetime and adds the periodic registry sync.
 * @module
 */
import type { AccessRules } from "../data/sources/access.js";
import { type ArnContext, defaultArnContext } from "../jobs/describe.js";
import { openRegistryDb, type RegistryDb } from "../registry/db.js";
import { HostingStore } from "../registry/hosting-store.js";
import { LogEventStore } from "../registry/log-event-store.js";
import { createOwner, type ProcessOwner, releaseOwner } from "../registry/owner.js";
import { TransformJobStore } from "../registry/transform-job-store.js";
import { EndpointService } from "./endpoint-service.js";
import { ModelService } from "./model-service.js";
import { type TransformCluster, TransformService } from "./transform-service.js";

export interface HostingServiceOptions {
  /** Strata home (default `$STRATA_HOME`, else ~/.strata). */
  readonly home?: string;
  readonly arn?: Partial<ArnContext>;
  /** How long Create/UpdateEndpoint and CreateTransformJob wait for quick work before answering (ms). */
  readonly settleMs?: number;
  /** Where models, transform inputs and outputs may be read and written (default anywhere: the CLI). */
  readonly access?: AccessRules;
  /** A cluster whose workers run transform jobs' objects (which jobs: see TransformCluster). */
  readonly cluster?: TransformCluster;
}

/** Models, endpoints and transform jobs over one registry connection. */
export class HostingService {
  readonly models: ModelService;
  readonly endpoints: EndpointService;
  readonly transforms: TransformService;
  /** Every resource's log lines (CloudWatch Logs reads them; endpoints and transform jobs write here). */
  readonly logs: LogEventStore;
  readonly arn: ArnContext;
  readonly #db: RegistryDb;
  readonly #owner: ProcessOwner;
  #syncTimer: NodeJS.Timeout | undefined;
  #closed = false;

  private constructor(db: RegistryDb, options: HostingServiceOptions) {
    this.#db = db;
    this.#owner = createOwner();
    this.arn = { ...defaultArnContext(), ...options.arn };
    const store = new HostingStore(db);
    this.logs = new LogEventStore(db);
    const settle = options.settleMs === undefined ? {} : { settleMs: options.settleMs };
    this.models = new ModelService(store, this.arn, options.access);
    this.endpoints = new EndpointService(store, this.models, this.arn, this.#owner, {
      ...settle,
      logs: this.logs,
    });
    this.transforms = new TransformService(
      new TransformJobStore(db),
      this.models,
      this.arn,
      this.#owner,
      options.settleMs,
      this.logs,
      options.access,
      options.cluster,
    );
  }

  /**
   * Opens the registry and marks transform jobs of dead processes Failed.
   * @throws StrataError REGISTRY_UNAVAILABLE
   * @example
   * const hosting = HostingService.open({ home: "/tmp/strata" });
   * hosting.models.listModels();
   */
  static open(options: HostingServiceOptions = {}): HostingService {
    const service = new HostingService(
      openRegistryDb(options.home === undefined ? {} : { home: options.home }),
      options,
    );
    service.transforms.recover();
    return service;
  }

  /** Loads every InService endpoint, then re-syncs with the registry every `intervalMs` (server mode). */
  async startServing(intervalMs = 1000): Promise<void> {
    await this.endpoints.restore();
    let syncing = false;
    this.#syncTimer = setInterval(() => {
      if (syncing || this.#closed) return;
      syncing = true;
      try {
        // A transform job whose process died reads Failed within a tick, not InProgress forever.
        this.transforms.recover();
      } catch {
        // The registry is busy: the next tick tries again.
      }
      this.endpoints
        .sync()
        .catch(() => undefined)
        .finally(() => {
          syncing = false;
        });
    }, intervalMs);
    this.#syncTimer.unref();
  }

  /** Waits for running transform jobs and closes the registry. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    clearInterval(this.#syncTimer);
    await this.transforms.drain();
    releaseOwner(this.#owner);
    this.#db.close();
  }
}
