/**
 * Batch transform: CreateTransformJob, DescribeTransformJob, ListTransformJobs, StopTransformJob (spec §4.6).
 * A job runs right after it is recorded, as one round of the algorithm contract whose shards are its input
 * objects (transform-objects.ts), on worker threads of the contract's executor — up to MaxConcurrentTransforms
 * objects side by side — so the server's event loop keeps answering InvokeEndpoint while a large input is
 * transformed. Each object written is reported as it arrives (a log line and the job's progress).
 *
 * Status InProgress → Completed | Failed (FailureReason `ClientError: …`) | Stopping → Stopped. A job whose
 * process died is marked Failed at the next Describe or List, or by the server's periodic check.
 * @module
 */

import { mergeInOrder } from "../contract/contract.js";
import type { RoundExecutor } from "../contract/executor.js";
import { ThreadsExecutor } from "../contract/threads.js";
import {
  type AccessRules,
  checkReadLocation,
  checkWriteLocation,
  UNRESTRICTED,
} from "../data/sources/access.js";
import { listInputObjects } from "../data/sources/input-objects.js";
import { isStrataError, StrataError } from "../errors.js";
import type { ArnContext } from "../jobs/describe.js";
import { defaultThreads } from "../parallel/pool.js";
import type { LogEventStore } from "../registry/log-event-store.js";
import { isOwnerGone, orphanReason, type ProcessOwner } from "../registry/owner.js";
import type { TransformJobRecord, TransformJobStore } from "../registry/transform-job-store.js";
import { createStopFlag, raiseStopFlag } from "../util/stop-flag.js";
import { type ListRequest, listPage } from "./list-page.js";
import type { ModelService } from "./model-service.js";
import { resourceArn } from "./names.js";
import { transformFailureReason } from "./transform-object.js";
import {
  NO_OBJECTS,
  TRANSFORM_OBJECTS,
  TRANSFORM_OBJECTS_REF,
  type TransformPartial,
  type TransformState,
} from "./transform-objects.js";
import { type TransformJobRequest, validateCreateTransformJob } from "./transform-request.js";

type Record_ = TransformJobRecord<TransformJobRequest>;

/** A cluster (src/cluster) the service sends transform jobs to. */
export interface TransformCluster {
  /** Its Redis URL. */
  readonly url: string;
  /** Every job ("all"), or those that ask for more than one instance (TransformResources.InstanceCount > 1). */
  readonly jobs: "all" | "multi-instance";
}

/** SageMaker batch transform over the registry. */
export class TransformService {
  readonly #running = new Map<string, Promise<void>>();
  /** Stop flags of the jobs this process runs, read by their workers between batches. */
  readonly #stops = new Map<string, Int32Array>();
  /** The stops of the jobs running on the cluster: aborting one stops its shards where they run. */
  readonly #clusterStops = new Map<string, AbortController>();

  constructor(
    private readonly store: TransformJobStore,
    private readonly models: ModelService,
    private readonly arn: ArnContext,
    private readonly owner: ProcessOwner,
    private readonly settleMs = 2000,
    /** Where the jobs' lines go (CloudWatch's `/aws/sagemaker/TransformJobs`); none when absent. */
    private readonly logs?: LogEventStore,
    /** Where inputs may be read and outputs written (the server's rules; default anywhere). */
    private readonly access: AccessRules = UNRESTRICTED,
    /** A cluster whose workers (`strata worker`) run the objects of the jobs it takes. */
    private readonly cluster?: TransformCluster,
  ) {}

  #log(name: string, level: string, message: string): void {
    this.logs?.append("transform-job", name, level, message);
  }

  /**
   * CreateTransformJob: records the job InProgress and runs it.
   * @throws StrataError INVALID_HOSTING_REQUEST, NOT_IMPLEMENTED, MODEL_NOT_FOUND, RESOURCE_IN_USE
   */
  async createTransformJob(input: unknown): Promise<{ TransformJobArn: string }> {
    const request = validateCreateTransformJob(input);
    this.models.getModel(request.ModelName);
    await checkReadLocation(
      request.TransformInput.DataSource.S3DataSource.S3Uri,
      this.access,
      "TransformInput.DataSource.S3DataSource.S3Uri",
    );
    await checkWriteLocation(
      request.TransformOutput.S3OutputPath,
      this.access,
      "TransformOutput.S3OutputPath",
    );
    const name = request.TransformJobName;
    const now = new Date();
    const arn = resourceArn("transform-job", name, this.arn);
    this.store.insert({
      name,
      arn,
      modelName: request.ModelName,
      request,
      status: "InProgress",
      failureReason: null,
      progress: {},
      creationTime: now,
      lastModifiedTime: now,
      owner: this.owner,
    });
    const source = request.TransformInput.DataSource.S3DataSource;
    this.#log(
      name,
      "info",
      `Created transform job ${name} on model ${request.ModelName}: ${source.S3DataType} ${source.S3Uri} (${request.TransformInput.ContentType}, SplitType ${request.TransformInput.SplitType}) -> ${request.TransformOutput.S3OutputPath} (${request.TransformOutput.Accept}).`,
    );
    const job = this.#run(name, request).finally(() => this.#running.delete(name));
    this.#running.set(name, job);
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([job, new Promise((resolve) => (timer = setTimeout(resolve, this.settleMs)))]);
    clearTimeout(timer);
    return { TransformJobArn: arn };
  }

  #get(name: string): Record_ {
    const record = this.store.get<TransformJobRequest>(name);
    if (record === null)
      throw new StrataError("TRANSFORM_JOB_NOT_FOUND", `Could not find requested job with name ${name}.`, {
        details: { name },
      });
    return record;
  }

  /** The tags CreateTransformJob recorded (ListTags). @throws StrataError TRANSFORM_JOB_NOT_FOUND */
  tags(name: string): readonly { Key: string; Value: string }[] {
    return this.#get(name).request.Tags ?? [];
  }

  /** DescribeTransformJob. @throws StrataError TRANSFORM_JOB_NOT_FOUND */
  describeTransformJob(name: string): Record<string, unknown> {
    if (!this.#running.has(name)) this.recover();
    const r = this.#get(name);
    const { Tags: _tags, ...request } = r.request;
    return {
      ...request,
      TransformJobArn: r.arn,
      TransformJobStatus: r.status,
      ...(r.failureReason === null ? {} : { FailureReason: r.failureReason }),
      CreationTime: r.creationTime,
      ...(r.progress.startTime === undefined ? {} : { TransformStartTime: new Date(r.progress.startTime) }),
      ...(r.progress.endTime === undefined ? {} : { TransformEndTime: new Date(r.progress.endTime) }),
    };
  }

  /** ListTransformJobs. */
  listTransformJobs(request: ListRequest = {}): {
    TransformJobSummaries: Record<string, unknown>[];
    NextToken?: string;
  } {
    this.recover();
    const { page, nextToken } = listPage(this.store.list<TransformJobRequest>(), request);
    return {
      TransformJobSummaries: page.map((r) => ({
        TransformJobName: r.name,
        TransformJobArn: r.arn,
        CreationTime: r.creationTime,
        ...(r.progress.endTime === undefined ? {} : { TransformEndTime: new Date(r.progress.endTime) }),
        LastModifiedTime: r.lastModifiedTime,
        TransformJobStatus: r.status,
        ...(r.failureReason === null ? {} : { FailureReason: r.failureReason }),
      })),
      ...(nextToken === undefined ? {} : { NextToken: nextToken }),
    };
  }

  /** StopTransformJob: an InProgress job stops between requests. @throws StrataError TRANSFORM_JOB_NOT_FOUND */
  stopTransformJob(name: string): void {
    const r = this.#get(name);
    if (r.status !== "InProgress") return;
    this.store.update<TransformJobRequest>(name, (c) =>
      c.status === "InProgress" ? { status: "Stopping" } : null,
    );
    const flag = this.#stops.get(name);
    if (flag !== undefined) raiseStopFlag(flag);
    this.#clusterStops.get(name)?.abort(new Error("StopTransformJob"));
  }

  /** The cluster a job's objects run on, if any. */
  #clusterFor(request: TransformJobRequest): string | undefined {
    const c = this.cluster;
    if (c === undefined) return undefined;
    return c.jobs === "all" || request.TransformResources.InstanceCount > 1 ? c.url : undefined;
  }

  /**
   * The executor of a job's objects: worker threads of its own, up to MaxConcurrentTransforms (0: the default,
   * 1), never the server's event loop, and another job's objects never queue in front of this one's; or the
   * cluster's workers, which `stop` stops.
   */
  async #executorFor(name: string, request: TransformJobRequest, stop: AbortSignal): Promise<RoundExecutor> {
    const url = this.#clusterFor(request);
    if (url === undefined)
      return new ThreadsExecutor({
        threads: Math.min(Math.max(1, request.MaxConcurrentTransforms), defaultThreads()),
      });
    const { ClusterExecutor } = await import("../cluster/cluster-executor.js");
    return new ClusterExecutor({
      url,
      logger: { log: (level, message) => this.#log(name, level, message) },
      signal: stop,
    });
  }

  /** Resolves once the job has ended; returns its description. */
  async waitForTransformJob(name: string, timeoutMs = 60_000): Promise<Record<string, unknown>> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      await this.#running.get(name);
      const d = this.describeTransformJob(name);
      if (d["TransformJobStatus"] !== "InProgress" && d["TransformJobStatus"] !== "Stopping") return d;
      if (Date.now() > deadline)
        throw new StrataError(
          "WAIT_TIMEOUT",
          `Transform job "${name}" is still running after ${timeoutMs} ms.`,
        );
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  /**
   * Marks jobs of processes that died Failed. The check is made again inside the update's transaction, so
   * of two processes recovering at once only one marks (and logs) each job.
   */
  recover(): void {
    for (const candidate of this.store.listUnfinished<TransformJobRequest>()) {
      if (candidate.owner !== null && !isOwnerGone(candidate.owner)) continue;
      const failureReason = `InternalServerError: ${orphanReason(candidate.owner?.pid)}`;
      let marked = false;
      this.store.update<TransformJobRequest>(candidate.name, (current) => {
        const unfinished = current.status === "InProgress" || current.status === "Stopping";
        if (!unfinished || (current.owner !== null && !isOwnerGone(current.owner))) return null;
        marked = true;
        return { status: "Failed", failureReason, owner: null };
      });
      if (marked) this.#log(candidate.name, "error", `Transform job Failed: ${failureReason}`);
    }
  }

  /** Waits for every running job (close). */
  async drain(): Promise<void> {
    await Promise.allSettled([...this.#running.values()]);
  }

  async #run(name: string, request: TransformJobRequest): Promise<void> {
    const startTime = Date.now();
    this.store.update(name, (c) => ({ progress: { ...c.progress, startTime } }));
    const stopFlag = createStopFlag();
    this.#stops.set(name, stopFlag);
    // Registered before anything is listed or loaded, so a StopTransformJob that comes meanwhile is not lost.
    const clusterStop = new AbortController();
    this.#clusterStops.set(name, clusterStop);
    let records = 0;
    let objects = 0;
    try {
      const model = this.models.getModel(request.ModelName).request;
      const source = request.TransformInput.DataSource.S3DataSource;
      const found = await listInputObjects(source.S3Uri, source.S3DataType, this.access);
      const shards = found.map(({ uri, relativeKey }) => ({ object: { uri, relativeKey } }));
      const executor = await this.#executorFor(name, request, clusterStop.signal);
      const onCluster = this.#clusterFor(request) !== undefined;
      // A shard that threw (its object missing where its worker runs, its worker gone for good) fails the job;
      // on a cluster it also stops the other objects at once.
      let thrown: { readonly shard: number; readonly error: Error } | undefined;
      try {
        // On a cluster the flag cannot travel (it is shared memory): each worker gives the state its own.
        const state: TransformState = {
          input: { request, model, access: this.access },
          stopFlag: onCluster ? new Int32Array(1) : stopFlag,
        };
        this.#log(
          name,
          "info",
          `Transforming ${shards.length} object${shards.length === 1 ? "" : "s"} on ${executor.where}.`,
        );
        const arrived: TransformPartial[] = [];
        let partials = await executor
          .round<TransformState, TransformPartial>(TRANSFORM_OBJECTS_REF, state, shards, {
            onPartial: (i, partial) => {
              arrived[i] = partial;
              for (const done of partial.written) {
                records += done.records;
                objects++;
                this.#safely(() => {
                  this.store.update(name, (c) => ({ progress: { ...c.progress, records, objects } }));
                  this.#log(name, "info", `${done.uri}: ${done.records} records -> ${done.target}.`);
                });
              }
              // A failed object stops the others: the flag does it on threads, the stop on a cluster.
              if (partial.failure !== null) clusterStop.abort(new Error(partial.failure));
            },
            // An object whose worker died or that threw: the others stop too (a failed object raises the flag
            // itself).
            onFailure: (shard, error) => {
              // Once the job is stopping, the shards still out fail by that stop, not by their own fault.
              if (clusterStop.signal.aborted) return;
              if (thrown === undefined || shard < thrown.shard) thrown = { shard, error };
              raiseStopFlag(stopFlag);
              clusterStop.abort(error);
            },
          })
          .catch((error: unknown) => {
            if (thrown !== undefined)
              throw new FailureReason(transformFailureReason(thrown.error, shards[thrown.shard]?.object.uri));
            // Stopped on the cluster (StopTransformJob, or a failed object): the objects written so far count.
            if (clusterStop.signal.aborted) return undefined;
            const shard = isStrataError(error) ? error.details["shard"] : undefined;
            const object = typeof shard === "number" ? shards[shard]?.object.uri : undefined;
            throw new FailureReason(transformFailureReason(error, object));
          });
        if (partials === undefined)
          partials = [...arrived.filter((p) => p !== undefined), { ...NO_OBJECTS, stopped: true }];
        // A manifest may list no objects: the job then has nothing to write.
        const merged = partials.length === 0 ? NO_OBJECTS : mergeInOrder(TRANSFORM_OBJECTS, partials, state);
        const ended = TRANSFORM_OBJECTS.finalize(merged, state);
        if (!ended.done) throw new StrataError("INTERNAL", "A batch transform is one round.");
        const outcome = ended.model;
        this.#finish(
          name,
          { status: outcome.status, failureReason: outcome.failureReason },
          { startTime, records: outcome.records, objects: outcome.objects },
        );
      } finally {
        await executor.close();
      }
    } catch (error) {
      const reason = error instanceof FailureReason ? error.message : transformFailureReason(error);
      this.#finish(name, { status: "Failed", failureReason: reason }, { startTime, records, objects });
    } finally {
      this.#stops.delete(name);
      this.#clusterStops.delete(name);
    }
  }

  /** Registry writes from worker messages: a failure must not end the process (the outcome still lands). */
  #safely(work: () => void): void {
    try {
      work();
    } catch {
      // The registry is busy: the job's final status is written by #finish.
    }
  }

  #finish(
    name: string,
    patch: Pick<Record_, "status" | "failureReason">,
    progress: Record_["progress"],
  ): void {
    this.store.update(name, () => ({
      ...patch,
      progress: { ...progress, endTime: Date.now() },
      owner: null,
    }));
    this.#log(
      name,
      patch.status === "Failed" ? "error" : "info",
      `Transform job ${patch.status}${patch.failureReason ? `: ${patch.failureReason}` : ""} (${progress.records ?? 0} records in ${progress.objects ?? 0} objects).`,
    );
  }
}

/** A transform's FailureReason already worded (naming the object whose worker thread failed). */
class FailureReason extends Error {}
