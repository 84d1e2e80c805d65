/**
 * load: a CSV or Parquet file of the census-like table into a table in memory. Strata's `loadTable` (a plain
 * CSV up to 48 MiB parsed in JavaScript, read-small-csv.ts; larger ones and Parquet by DuckDB, streamed straight
 * from its vectors into Float64Array columns of a Frame) vs papaparse (`dynamicTyping`,
 * arrays of rows: its fastest typed mode, reading the file included) vs pandas `read_csv` / `read_parquet`,
 * each warm in a running process; then the CSV once more in a fresh process per load (start-up included).
 * @module
 */
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import Papa from "papaparse";
import { loadTable } from "../../src/data/load.js";
import { dataSet } from "../generate.js";
import { type BenchRow, measure, row, skipped, spawned } from "../harness.js";
import { PYTHON, pythonAvailable, runPython } from "../python.js";
import { buildCli } from "./run.js";

const CASE = "load";

/** Runs the load case at each size, CSV then Parquet. */
export async function loadCase(sizes: readonly number[]): Promise<BenchRow[]> {
  const out: BenchRow[] = [];
  const py = pythonAvailable();
  for (const n of sizes) {
    const ds = await dataSet("census-like", n);
    for (const format of ["csv", "parquet"] as const) {
      const path = format === "csv" ? ds.csv : ds.parquet;
      const at = out.length;
      let shape = "";
      const strata = await measure(
        async () => {
          const f = await loadTable(path);
          shape = `${f.numRows}×${f.columnNames.length}`;
          return undefined;
        },
        { repeats: 3 },
      );
      out.push(row(CASE, "strata", n, strata, `Frame ${shape}`));
      if (format === "csv") {
        const papa = await measure(
          () => {
            const r = Papa.parse<number[]>(readFileSync(path, "utf8"), {
              dynamicTyping: true,
              skipEmptyLines: true,
            });
            shape = `${r.data.length - 1}×${r.data[0]?.length}`;
            return undefined;
          },
          { repeats: 3 },
        );
        out.push(row(CASE, "papaparse", n, papa, `rows ${shape}`));
      }
      if (!py.ok) out.push(skipped(CASE, "pandas", n, py.reason));
      else {
        try {
          const r = runPython<{ medianMs: number; minMs: number; maxMs: number; runs: number }>("load.py", [
            path,
          ]);
          out.push(row(CASE, "pandas", n, r, format === "csv" ? "read_csv (C engine)" : "read_parquet"));
        } catch (e) {
          const reason = /pyarrow|fastparquet/.test(String(e))
            ? "pandas.read_parquet needs pyarrow or fastparquet (not in Debian bookworm): skipped"
            : String(e).slice(0, 120);
          out.push(skipped(CASE, "pandas", n, reason));
        }
      }
      for (let i = at; i < out.length; i++) out[i] = { ...out[i]!, variant: format };
    }
    out.push(...(await freshProcessRows(ds.csv, n, py.ok)));
  }
  return out;
}

/**
 * The loader's start-up cost, as a user meets it: a fresh process that imports its loader, reads the CSV into
 * a table and exits. Strata's compiled loader (DuckDB's addon included) beside `python3 -c` with pandas.
 */
async function freshProcessRows(csv: string, n: number, python: boolean): Promise<BenchRow[]> {
  const variant = "csv, fresh process";
  const load = pathToFileURL(resolve(buildCli(), "../../data/load.js")).href;
  const strataScript = `const { loadTable } = await import(${JSON.stringify(load)}); await loadTable(process.argv[1]);`;
  const strata = await measure(spawned(process.execPath, ["--input-type=module", "-e", strataScript, csv]), {
    repeats: 3,
  });
  const rows = [{ ...row(CASE, "strata", n, strata, "node: import the loader, loadTable, exit"), variant }];
  if (!python) rows.push({ ...skipped(CASE, "pandas", n, "python3 with pandas is not available"), variant });
  else {
    const script = "import sys, pandas; pandas.read_csv(sys.argv[1])";
    const pandas = await measure(spawned(PYTHON, ["-c", script, csv]), { repeats: 3 });
    rows.push({ ...row(CASE, "pandas", n, pandas, "python3: import pandas, read_csv, exit"), variant });
  }
  return rows;
}
