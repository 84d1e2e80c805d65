/**
 * The cluster a CLI command's jobs run on: STRATA_CLUSTER (which `strata train --cluster` sets, so the
 * detached owner of a job it starts sees it too).
 * @module
 */

/** TrainingService options naming the cluster, or none. */
export function clusterOption(): { cluster?: string } {
  const cluster = process.env["STRATA_CLUSTER"];
  return cluster === undefined || cluster === "" ? {} : { cluster };
}
