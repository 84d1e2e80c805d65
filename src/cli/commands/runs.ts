/**
 * `strata runs list|describe`: the segmentation runs in the registry — `strata run`'s, a library call's and
 * the web console's — newest first, and one run with its options and steps.
 * @module
 */
import type { Command } from "commander";
import { StrataError } from "../../errors.js";
import { openRegistryDb } from "../../registry/db.js";
import { type RunRecord, RunStore } from "../../registry/run-store.js";
import { formatTable, printJson, printLines } from "../output.js";

function withStore<T>(work: (store: RunStore) => T): T {
  const db = openRegistryDb();
  try {
    return work(new RunStore(db));
  } finally {
    db.close();
  }
}

function utc(ms: number | null): string {
  return ms === null ? "" : new Date(ms).toISOString().slice(0, 19).replace("T", " ");
}

export function registerRuns(program: Command): void {
  const runs = program
    .command("runs")
    .description("List and describe segmentation runs (strata run, the console).");
  runs
    .command("list")
    .description("Every run in the registry, newest first.")
    .option("--json", "print the list as JSON")
    .action((flags: { json?: boolean }) => {
      const list = withStore((store) => store.list());
      if (flags.json) printJson({ runs: list });
      else if (list.length === 0) printLines("No runs yet: strata run makes one.");
      else
        printLines(
          formatTable(list, [
            { header: "RUN", value: (r: RunRecord) => r.id },
            { header: "NAME", value: (r) => r.headline?.name ?? "" },
            { header: "STATUS", value: (r) => r.status },
            { header: "ROWS", value: (r) => r.headline?.rows ?? "" },
            { header: "K", value: (r) => r.headline?.clusters ?? "" },
            { header: "STARTED (UTC)", value: (r) => utc(r.creationTime) },
            { header: "OUT", value: (r) => r.outDir },
          ]),
        );
    });
  runs
    .command("describe")
    .description("One run: its source, options, outcome and steps.")
    .argument("<run-id>", "the run's id (strata runs list)")
    .option("--json", "print it as JSON")
    .action((id: string, flags: { json?: boolean }) => {
      const { run, events } = withStore((store) => ({ run: store.get(id), events: store.events(id) }));
      if (run === null)
        throw new StrataError(
          "INVALID_ARGUMENT",
          `No run has the id ${JSON.stringify(id)}: see strata runs list.`,
        );
      if (flags.json) {
        printJson({ run, events });
        return;
      }
      printLines(
        `${run.id}  ${run.status}${run.failureReason === null ? "" : `: ${run.failureReason}`}`,
        `source   ${run.source}`,
        `out dir  ${run.outDir}`,
        `options  ${JSON.stringify(run.options)}`,
        ...events.map((e) => `${utc(e.time)}  ${e.kind.padEnd(10)} ${e.step ?? ""}  ${e.message}`),
      );
    });
}
