/**
 * The CloudWatch Logs groups and streams SageMaker writes, mapped onto Strata's resources:
 *
 * | group                                   | stream                          | resource      |
 * |-----------------------------------------|---------------------------------|---------------|
 * | `/aws/sagemaker/TrainingJobs`           | `<job>/algo-1-<epoch seconds>`  | training job  |
 * | `/aws/sagemaker/TransformJobs`          | `<job>/algo-1-<epoch seconds>`  | transform job |
 * | `/aws/sagemaker/Endpoints/<endpoint>`   | `AllTraffic/algo-1-<epoch s>`   | endpoint      |
 *
 * The epoch seconds are those of the resource's first log line (its creation), as SageMaker names a stream
 * after the instance that wrote it; Strata runs every job as one instance, `algo-1`. The two job groups
 * always exist (SageMaker creates them with the account's first job); an endpoint's group exists once the
 * endpoint has logged a line. The SDK's `logs_for_job` finds a job's streams by the prefix `<job>/`.
 * @module
 */
import type { LogEventStore, LogKind, LogStreamSummary } from "../../registry/log-event-store.js";

export const TRAINING_JOBS_GROUP = "/aws/sagemaker/TrainingJobs";
export const TRANSFORM_JOBS_GROUP = "/aws/sagemaker/TransformJobs";
export const ENDPOINTS_GROUP_PREFIX = "/aws/sagemaker/Endpoints/";
/** The variant name the SageMaker SDK gives an endpoint's only variant. */
const ENDPOINT_STREAM_VARIANT = "AllTraffic";

/** A group Strata serves. */
export interface LogGroup {
  readonly name: string;
  readonly kind: LogKind;
  /** For an endpoint's group, the endpoint; job groups hold every job of their kind. */
  readonly endpoint?: string;
}

/** One stream of a group: a resource's log lines under their CloudWatch name. */
export interface LogStream extends LogStreamSummary {
  readonly streamName: string;
}

/** The group a name (or a log-group ARN) names, or null when Strata has no such group. */
export function findLogGroup(store: LogEventStore, nameOrArn: string): LogGroup | null {
  const name = nameOrArn.startsWith("arn:") ? (/:log-group:([^:]+)/.exec(nameOrArn)?.[1] ?? "") : nameOrArn;
  if (name === TRAINING_JOBS_GROUP) return { name, kind: "training-job" };
  if (name === TRANSFORM_JOBS_GROUP) return { name, kind: "transform-job" };
  if (name.startsWith(ENDPOINTS_GROUP_PREFIX)) {
    const endpoint = name.slice(ENDPOINTS_GROUP_PREFIX.length);
    if (endpoint !== "" && store.streams("endpoint", endpoint).some((s) => s.name === endpoint))
      return { name, kind: "endpoint", endpoint };
  }
  return null;
}

/** Every group Strata serves right now, by name. */
export function listLogGroups(store: LogEventStore): LogGroup[] {
  const endpoints = store
    .streams("endpoint")
    .map(
      (s): LogGroup => ({ name: `${ENDPOINTS_GROUP_PREFIX}${s.name}`, kind: "endpoint", endpoint: s.name }),
    );
  return [
    { name: TRAINING_JOBS_GROUP, kind: "training-job" as const },
    { name: TRANSFORM_JOBS_GROUP, kind: "transform-job" as const },
    ...endpoints,
  ].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

function streamSuffix(summary: LogStreamSummary): string {
  return `algo-1-${Math.floor(summary.firstTime / 1000)}`;
}

/** The group's streams whose names start with `prefix`, by stream name. */
export function listLogStreams(store: LogEventStore, group: LogGroup, prefix = ""): LogStream[] {
  let streams: LogStream[];
  if (group.endpoint !== undefined) {
    streams = store
      .streams("endpoint", group.endpoint)
      .filter((s) => s.name === group.endpoint)
      .map((s) => ({ ...s, streamName: `${ENDPOINT_STREAM_VARIANT}/${streamSuffix(s)}` }));
  } else {
    // A job name has no "/", so the part of the prefix before one is a whole job name.
    const slash = prefix.indexOf("/");
    const namePrefix = slash < 0 ? prefix : prefix.slice(0, slash);
    streams = store
      .streams(group.kind, namePrefix)
      .filter((s) => slash < 0 || s.name === namePrefix)
      .map((s) => ({ ...s, streamName: `${s.name}/${streamSuffix(s)}` }));
  }
  return streams
    .filter((s) => s.streamName.startsWith(prefix))
    .sort((a, b) => (a.streamName < b.streamName ? -1 : a.streamName > b.streamName ? 1 : 0));
}

/** The stream of a group with exactly this name, or null. */
export function findLogStream(store: LogEventStore, group: LogGroup, streamName: string): LogStream | null {
  return listLogStreams(store, group, streamName).find((s) => s.streamName === streamName) ?? null;
}

/** The text of a log line as CloudWatch shows it: `[LEVEL] message`. */
export function eventMessage(level: string, message: string): string {
  return `[${level.toUpperCase()}] ${message}`;
}
