/**
 * Shared by the hosting commands (`models`, `deploy`, `endpoints`, `invoke`, `transform`): open the same
 * HostingService the server uses on `$STRATA_HOME`, run, close; print a table or `--json`.
 * @module
 */
import { HostingService, type HostingServiceOptions } from "../../serving/hosting-service.js";
import { printJson } from "../output.js";

/** Runs `work` with an open HostingService and closes it afterwards. */
export async function withHosting<T>(
  work: (hosting: HostingService) => Promise<T> | T,
  options: Pick<HostingServiceOptions, "cluster"> = {},
): Promise<T> {
  const hosting = HostingService.open(options);
  try {
    return await work(hosting);
  } finally {
    await hosting.close();
  }
}

/** Prints a SageMaker response as JSON with ISO timestamps. */
export function printResponse(value: unknown): void {
  printJson(JSON.parse(JSON.stringify(value)) as unknown);
}
