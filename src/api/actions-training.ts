/**
 * Training-job actions of the control plane, straight onto the TrainingService of src/jobs (the one
 * `strata train` uses): CreateTrainingJob, DescribeTrainingJob, ListTrainingJobs, StopTrainingJob, and
 * Strata's ListClusterWorkers.
 * @module
 */
import type { ListTrainingJobsRequest } from "../jobs/training-service.js";
import { type ActionHandler, nameField } from "./context.js";
import { LIST_RULES, listRequest } from "./wire.js";

export const TRAINING_ACTIONS: Readonly<Record<string, ActionHandler>> = {
  CreateTrainingJob: (input, { training }) => training.createTrainingJob(input),
  DescribeTrainingJob: (input, { training }) =>
    training.describeTrainingJob(nameField(input, "TrainingJobName")),
  ListTrainingJobs: (input, { training }) =>
    training.listTrainingJobs(listRequest(input, LIST_RULES.trainingJobs) as ListTrainingJobsRequest),
  StopTrainingJob: async (input, { training }) => {
    await training.stopTrainingJob(nameField(input, "TrainingJobName"));
    return {};
  },
  /** A Strata extension: the live workers of the server's cluster (`strata serve --cluster`). */
  ListClusterWorkers: (_input, { training }) => training.listClusterWorkers(),
};
