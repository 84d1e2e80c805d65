/**
 * Strata's segmentation runs on the control plane (extensions, as ListClusterWorkers is): the registry's runs
 * — started by `strata run`, a library call or the web console — as ListSegmentationRuns and
 * DescribeSegmentationRun, in SageMaker's style (PascalCase fields, epoch-second times).
 * @module
 */
import { StrataError } from "../errors.js";
import type { RunRecord } from "../registry/run-store.js";
import { type ActionHandler, nameField } from "./context.js";

function wire(run: RunRecord): Record<string, unknown> {
  return {
    RunId: run.id,
    RunStatus: run.status,
    Source: run.source,
    OutDir: run.outDir,
    CreationTime: new Date(run.creationTime),
    ...(run.endTime === null ? {} : { EndTime: new Date(run.endTime) }),
    ...(run.failureReason === null ? {} : { FailureReason: run.failureReason }),
    ...(run.headline === null
      ? {}
      : {
          Name: run.headline.name,
          Rows: run.headline.rows,
          Features: run.headline.features,
          Components: run.headline.components,
          Clusters: run.headline.clusters,
          PipelineModelName: run.headline.pipelineModel,
        }),
  };
}

export const RUN_ACTIONS: Readonly<Record<string, ActionHandler>> = {
  ListSegmentationRuns: (_input, { runs }) => ({ Runs: (runs?.list() ?? []).map(wire) }),
  DescribeSegmentationRun: (input, { runs }) => {
    const id = nameField(input, "RunId");
    const run = runs?.get(id) ?? null;
    if (run === null)
      throw new StrataError("INVALID_ARGUMENT", `No segmentation run has the id ${JSON.stringify(id)}.`, {
        details: { id },
      });
    return {
      ...wire(run),
      Options: run.options,
      Events: runs!
        .events(id)
        .map((e) => ({ Time: new Date(e.time), Kind: e.kind, Step: e.step, Message: e.message })),
    };
  },
};
