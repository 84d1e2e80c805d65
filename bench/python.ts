/**
 * Runs the Python side of the benchmarks (bench/python/*.py) with /usr/bin/python3 and parses the JSON line
 * each script prints. scikit-learn and pandas come from Debian (python3-sklearn, python3-pandas): when they
 * are missing and we are root, `apt-get install -y` is tried once; otherwise their rows say plainly that they
 * were skipped. OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE (set on some machines here because old OpenBLAS builds
 * misbehave on them) slow a current numpy, so both are unset together for the Python command only, and
 * threadpoolctl reports which BLAS kernel actually ran; tests and CI never change them.
 * @module
 */
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export const PYTHON = "/usr/bin/python3";
const HERE = dirname(fileURLToPath(import.meta.url));

let availability: { ok: boolean; reason: string } | undefined;

function probe(): boolean {
  const r = spawnSync(PYTHON, ["-c", "import sklearn, pandas, numpy, threadpoolctl"], { encoding: "utf8" });
  return r.status === 0;
}

/** Whether scikit-learn and pandas can run (installing them once if possible), and why not. */
export function pythonAvailable(): { ok: boolean; reason: string } {
  if (availability !== undefined) return availability;
  if (!existsSync(PYTHON)) {
    availability = { ok: false, reason: `${PYTHON} not found: scikit-learn/pandas rows skipped` };
    return availability;
  }
  if (!probe() && process.getuid?.() === 0) {
    process.stderr.write("bench: installing python3-sklearn python3-pandas with apt-get…\n");
    spawnSync("apt-get", ["install", "-y", "python3-sklearn", "python3-pandas"], { stdio: "ignore" });
  }
  availability = probe()
    ? { ok: true, reason: "" }
    : { ok: false, reason: "scikit-learn/pandas not installed (not root, or apt-get failed): rows skipped" };
  return availability;
}

/** The environment for Python: this machine's, less the two OpenBLAS overrides. */
function pythonEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  delete env["OPENBLAS_CORETYPE"];
  delete env["OPENBLAS_L2_SIZE"];
  return env;
}

/** Runs bench/python/<script> with args and returns its last stdout line parsed as JSON. */
export function runPython<T>(script: string, args: readonly string[]): T {
  const r = spawnSync(PYTHON, [resolve(HERE, "python", script), ...args], {
    encoding: "utf8",
    env: pythonEnv(),
    maxBuffer: 64 << 20,
  });
  if (r.status !== 0) throw new Error(`${script} failed (${r.status}): ${r.stderr.slice(-2000)}`);
  const lines = r.stdout.trim().split("\n");
  return JSON.parse(lines[lines.length - 1]!) as T;
}

/** The Python side's versions and BLAS kernel (threadpoolctl), for BENCHMARKS.md. */
export function pythonFacts(): string {
  if (!pythonAvailable().ok) return availability!.reason;
  const r = runPython<{ python: string; numpy: string; pandas: string; sklearn: string; blas: string }>(
    "facts.py",
    [],
  );
  return `Python ${r.python}, numpy ${r.numpy}, pandas ${r.pandas}, scikit-learn ${r.sklearn}; BLAS: ${r.blas}`;
}
