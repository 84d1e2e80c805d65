/**
 * What every route handler works with: the shared services (the same ones the CLI uses) and the signature
 * verifier (null with `--no-auth`).
 * @module
 */
import type { TrainingService } from "../jobs/training-service.js";
import type { RunStore } from "../registry/run-store.js";
import type { HostingService } from "../serving/hosting-service.js";
import type { SigV4Verifier } from "./sigv4.js";

export interface ApiContext {
  readonly hosting: HostingService;
  readonly training: TrainingService;
  readonly verifier: SigV4Verifier | null;
  /** The registry's segmentation runs (ListSegmentationRuns); absent in apps built without them. */
  readonly runs?: RunStore;
}

/** A control-plane action: the request body in, the response object out (Dates allowed). */
export type ActionHandler = (input: Record<string, unknown>, context: ApiContext) => unknown;

/** A required string field of a request. */
export function nameField(input: Record<string, unknown>, field: string): string {
  const v = input[field];
  return typeof v === "string" ? v : "";
}
