/**
 * Crash recovery: a job whose owning process died (killed, crashed, machine rebooted) would otherwise read
 * InProgress forever. Whenever a TrainingService opens the registry (and before StopTrainingJob), every
 * InProgress or Stopping job whose owner is certainly gone (owner.ts) is marked Failed with a FailureReason
 * naming the process. The caller then removes any model.tar.gz the job left behind (artifact-cleanup.ts):
 * a job that did not complete has no model.
 * @module
 */

import { isOwnerGone, orphanReason } from "../registry/owner.js";
import { advance } from "./lifecycle.js";
import type { TrainingJobRecord, TrainingJobStore } from "./training-job-store.js";

/**
 * Marks orphaned jobs Failed.
 * @returns the records as they were before recovery (their request tells where artifacts would be)
 * @example
 * const recovered = recoverOrphanedJobs(store); // [] on a clean start
 */
export function recoverOrphanedJobs(store: TrainingJobStore, now: Date = new Date()): TrainingJobRecord[] {
  const recovered: TrainingJobRecord[] = [];
  for (const candidate of store.listUnfinished()) {
    if (candidate.owner !== null && !isOwnerGone(candidate.owner)) continue;
    let changed = false;
    store.update(candidate.name, (current) => {
      // Re-check inside the transaction: the job may have finished (or been recovered) meanwhile.
      if (current.state.status !== "InProgress" && current.state.status !== "Stopping") return null;
      if (current.owner !== null && !isOwnerGone(current.owner)) return null;
      changed = true;
      const reason = orphanReason(current.owner?.pid);
      return {
        state: advance(current.state, "Failed", now, { failureReason: reason }),
        owner: null,
        progressMessage: null,
      };
    });
    if (changed) {
      store.appendLog(candidate.name, "error", orphanReason(candidate.owner?.pid), now);
      recovered.push(candidate);
    }
  }
  return recovered;
}
