/**
 * `strata worker` processes of the built CLI for the cluster benches (cases/cluster.ts, cases/cluster-fit.ts):
 * started on a Redis URL, each allowed to read the bench's data, and stopped.
 * @module
 */
import { type ChildProcess, spawn } from "node:child_process";
import { DATA_DIR } from "./generate.js";

/** Starts `n` workers of the CLI at `main` (STRATA_HOME `home`, when given) and resolves once they have joined. */
export async function startWorkers(
  main: string,
  url: string,
  n: number,
  home?: string,
): Promise<ChildProcess[]> {
  return Promise.all(
    Array.from({ length: n }, async () => {
      const child = spawn(process.execPath, [main, "worker", "--redis", url, "--data-root", DATA_DIR], {
        env: home === undefined ? process.env : { ...process.env, STRATA_HOME: home },
        stdio: ["ignore", "ignore", "pipe"],
      });
      let text = "";
      child.stderr!.setEncoding("utf8").on("data", (c: string) => {
        text += c;
      });
      for (let i = 0; i < 400 && !text.includes("joined the cluster"); i++)
        await new Promise((r) => setTimeout(r, 25));
      return child;
    }),
  );
}

/** Stops the workers (SIGTERM: they leave the cluster) and waits for them to exit. */
export async function stopWorkers(children: readonly ChildProcess[]): Promise<void> {
  await Promise.all(
    children.map((c) => {
      const exited = new Promise((r) => c.once("exit", r));
      c.kill("SIGTERM");
      return exited;
    }),
  );
}
