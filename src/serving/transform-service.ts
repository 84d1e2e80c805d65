/**
 * Batch transform: CreateTransformJob, DescribeTransformJob, ListTransformJobs, StopTransformJob (spec §4.6).
 * A job runs in this process right after it is recorded:
 *
 *   load the model's containers ─▶ list S3Uri as a prefix (a file, a directory, an s3:// prefix)
 *     ─▶ per object: read (gunzip) ─▶ split (None | Line | RecordIO) ─▶ batch (SingleRecord | MultiRecord
 *        up to MaxPayloadInMB) ─▶ invoke each batch ─▶ assemble (None: concatenate; Line: "\n" after each)
 *        ─▶ write `<S3OutputPath>/<name relative to the prefix>.out` atomically, only when wholly successful
 *
 * Status InProgress → Completed | Failed (FailureReason `ClientError: …`) | Stopping → Stopped. A job whose
 * process died is marked Failed when a service next opens the registry.
 * @module
 */
import { promisify } from "node:util";
import { gunzip } from "node:zlib";
import {
  type AccessRules,
  checkReadLocation,
  checkWriteLocation,
  UNRESTRICTED,
} from "../data/sources/access.js";
import { listInputObjects, storeFor } from "../data/sources/input-objects.js";
import { resolveStore } from "../data/sources/resolve.js";
import { StrataError } from "../errors.js";
import type { ArnContext } from "../jobs/describe.js";
import type { LogEventStore } from "../registry/log-event-store.js";
import { isOwnerGone, type ProcessOwner } from "../registry/owner.js";
import type { TransformJobRecord, TransformJobStore } from "../registry/transform-job-store.js";
import { splitRequests } from "./batch-split.js";
import { invokePipeline } from "./invoke.js";
import { type ListRequest, listPage } from "./list-page.js";
import { loadPipeline } from "./model-loader.js";
import type { ModelService } from "./model-service.js";
import { modelContainers } from "./model-spec.js";
import { resourceArn } from "./names.js";
import { type TransformJobRequest, validateCreateTransformJob } from "./transform-request.js";

type Record_ = TransformJobRecord<TransformJobRequest>;

/** `<output>/<relative>.out` for a path, file:// or s3:// output prefix. */
export function outputUri(outputPath: string, relative: string): string {
  return `${outputPath.replace(/\/+$/, "")}/${relative}.out`;
}

function failureReason(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const client = error instanceof StrataError && error.status < 500;
  return `${client ? "ClientError" : "InternalServerError"}: ${message}`.slice(0, 1024);
}

/** The most a transform input object may decompress to: a gzip bomb stops here, not at the kernel's OOM killer. */
export const MAX_DECOMPRESSED_BYTES = 512 * 1024 * 1024;

const gunzipAsync = promisify(gunzip);

/** Gunzips on libuv's thread pool (not the event loop), refusing output past MAX_DECOMPRESSED_BYTES. */
async function gunzipBounded(bytes: Uint8Array, uri: string): Promise<Uint8Array> {
  try {
    return await gunzipAsync(bytes, { maxOutputLength: MAX_DECOMPRESSED_BYTES });
  } catch (cause) {
    if ((cause as { code?: string }).code === "ERR_BUFFER_TOO_LARGE")
      throw new StrataError(
        "INPUT_TOO_LARGE",
        `${uri} decompresses to more than ${MAX_DECOMPRESSED_BYTES} bytes (${bytes.length} compressed); split it into smaller objects.`,
        { details: { uri, compressedBytes: bytes.length, limit: MAX_DECOMPRESSED_BYTES }, cause },
      );
    throw new StrataError("FORMAT_ERROR", `${uri} is not valid gzip (CompressionType Gzip).`, {
      details: { uri },
      cause,
    });
  }
}

/** SageMaker batch transform over the registry. */
export class TransformService {
  readonly #running = new Map<string, Promise<void>>();
  readonly #stops = new Set<string>();

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
    this.#stops.add(name);
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

  /** Marks jobs of processes that died Failed. */
  recover(): void {
    for (const r of this.store.list<TransformJobRequest>()) {
      if (
        (r.status === "InProgress" || r.status === "Stopping") &&
        (r.owner === null || isOwnerGone(r.owner))
      ) {
        const failureReason = `InternalServerError: The Strata process running this job${r.owner ? ` (pid ${r.owner.pid})` : ""} exited before the job finished.`;
        this.store.update(r.name, () => ({ status: "Failed", failureReason, owner: null }));
        this.#log(r.name, "error", `Transform job Failed: ${failureReason}`);
      }
    }
  }

  /** Waits for every running job (close). */
  async drain(): Promise<void> {
    await Promise.allSettled([...this.#running.values()]);
  }

  async #run(name: string, request: TransformJobRequest): Promise<void> {
    const startTime = Date.now();
    this.store.update(name, (c) => ({ progress: { ...c.progress, startTime } }));
    let records = 0;
    let objects = 0;
    try {
      const model = this.models.getModel(request.ModelName).request;
      const pipeline = await loadPipeline(request.ModelName, modelContainers(model));
      const input = request.TransformInput;
      const source = input.DataSource.S3DataSource;
      const found = await listInputObjects(source.S3Uri, source.S3DataType, this.access);
      const maxPayloadBytes = request.MaxPayloadInMB * 1024 * 1024;
      const out = request.TransformOutput;
      for (const object of found) {
        const recordsBefore = records;
        let bytes = await storeFor(object.uri, this.access).getBytes(object.uri);
        if (input.CompressionType === "Gzip") bytes = await gunzipBounded(bytes, object.uri);
        const parts: (string | Uint8Array)[] = [];
        for (const body of splitRequests(bytes, {
          splitType: input.SplitType,
          strategy: request.BatchStrategy,
          maxPayloadBytes,
        })) {
          if (this.#stops.has(name)) throw new StopSignal();
          const result = invokePipeline(pipeline, input.ContentType, out.Accept, body);
          records += result.rows;
          parts.push(result.body);
          if (out.AssembleWith === "Line") parts.push("\n");
        }
        const encoded = parts.map((p) => (typeof p === "string" ? Buffer.from(p, "utf8") : p));
        const target = outputUri(out.S3OutputPath, object.relativeKey);
        await resolveStore(target).put(target, Buffer.concat(encoded), {
          contentType: resultType(out.Accept),
        });
        objects++;
        this.#log(name, "info", `${object.uri}: ${records - recordsBefore} records -> ${target}.`);
      }
      this.#finish(name, { status: "Completed", failureReason: null }, { startTime, records, objects });
    } catch (error) {
      if (error instanceof StopSignal)
        this.#finish(name, { status: "Stopped", failureReason: null }, { startTime, records, objects });
      else
        this.#finish(
          name,
          { status: "Failed", failureReason: failureReason(error) },
          { startTime, records, objects },
        );
    } finally {
      this.#stops.delete(name);
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

class StopSignal extends Error {}

function resultType(accept: string): string {
  return accept.split(",")[0]!.trim() || "application/json";
}
