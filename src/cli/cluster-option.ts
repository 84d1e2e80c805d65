/**
 * The cluster a CLI command's jobs run on: STRATA_CLUSTER (which `strata train --cluster` sets, so the
 * detached owner of a job it starts sees it too).
 * @module
 */

/** TrainingService options naming the cluster (and its partials location, STRATA_CLUSTER_PARTIALS), or none. */
export function clusterOption(): { cluster?: string; clusterPartials?: string } {
  const cluster = process.env["STRATA_CLUSTER"];
  const partials = process.env["STRATA_CLUSTER_PARTIALS"];
  if (cluster === undefined || cluster === "") return {};
  return { cluster, ...(partials === undefined || partials === "" ? {} : { clusterPartials: partials }) };
}
