/**
 * The mapping between `training_jobs` rows and TrainingJobRecord: times as epoch milliseconds, the request
 * and the SecondaryStatusTransitions as JSON, the owner as four nullable columns.
 * @module
 */

import { ownerFromRow } from "../registry/owner.js";
import type { AlgorithmName } from "./algorithm.js";
import type { JobState, SecondaryStatus, SecondaryStatusTransition, TrainingJobStatus } from "./lifecycle.js";
import type { NormalizedTrainingJobRequest } from "./request.js";
import type { StopReason, TrainingJobRecord } from "./training-job-store.js";

export interface Row {
  name: string;
  arn: string;
  algorithm: string;
  request_json: string;
  status: string;
  secondary_status: string;
  transitions_json: string;
  failure_reason: string | null;
  creation_time: number;
  training_start_time: number | null;
  training_end_time: number | null;
  last_modified_time: number;
  artifact_uri: string | null;
  metadata_uri: string | null;
  progress: number | null;
  progress_message: string | null;
  stop_reason: string | null;
  owner_pid: number | null;
  owner_hostname: string | null;
  owner_token: string | null;
  owner_start: string | null;
}

type StoredTransition = {
  Status: SecondaryStatus;
  StartTime: number;
  EndTime?: number;
  StatusMessage: string;
};

const date = (ms: number | null): Date | undefined => (ms === null ? undefined : new Date(ms));

export function fromRow(row: Row): TrainingJobRecord {
  const transitions = (JSON.parse(row.transitions_json) as StoredTransition[]).map(
    (t): SecondaryStatusTransition => ({
      Status: t.Status,
      StartTime: new Date(t.StartTime),
      ...(t.EndTime === undefined ? {} : { EndTime: new Date(t.EndTime) }),
      StatusMessage: t.StatusMessage,
    }),
  );
  const start = date(row.training_start_time);
  const end = date(row.training_end_time);
  const state: JobState = {
    status: row.status as TrainingJobStatus,
    secondaryStatus: row.secondary_status as SecondaryStatus,
    transitions,
    ...(row.failure_reason === null ? {} : { failureReason: row.failure_reason }),
    creationTime: new Date(row.creation_time),
    ...(start === undefined ? {} : { trainingStartTime: start }),
    ...(end === undefined ? {} : { trainingEndTime: end }),
    lastModifiedTime: new Date(row.last_modified_time),
  };
  const owner = ownerFromRow(row);
  return {
    name: row.name,
    arn: row.arn,
    algorithm: row.algorithm as AlgorithmName,
    request: JSON.parse(row.request_json) as NormalizedTrainingJobRequest,
    state,
    artifactUri: row.artifact_uri,
    metadataUri: row.metadata_uri,
    progress: row.progress,
    progressMessage: row.progress_message,
    stopReason: row.stop_reason as StopReason | null,
    owner,
  };
}

export function stateColumns(state: JobState) {
  return {
    status: state.status,
    secondary_status: state.secondaryStatus,
    transitions_json: JSON.stringify(
      state.transitions.map((t) => ({
        Status: t.Status,
        StartTime: t.StartTime.getTime(),
        ...(t.EndTime === undefined ? {} : { EndTime: t.EndTime.getTime() }),
        StatusMessage: t.StatusMessage,
      })),
    ),
    failure_reason: state.failureReason ?? null,
    training_start_time: state.trainingStartTime?.getTime() ?? null,
    training_end_time: state.trainingEndTime?.getTime() ?? null,
    last_modified_time: state.lastModifiedTime.getTime(),
  };
}
