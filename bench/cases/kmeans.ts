/**
 * kmeans: k = 7 on the 5-dimensional blobs, every tool from the same initial centres (the first 7 rows) for
 * the same fixed number of Lloyd iterations (tol = 0; a tool that reaches a fixed point earlier stops there,
 * and so do the others). The figure is time per iteration (whole fit / iterations run); the note prints the
 * final inertia of each tool, which must agree with Strata's to 1e-9 relative. ml-kmeans gets number[][]
 * (its own format) before the clock starts. The weighted rows give row i the sample weight 1 + (i mod 5), in
 * Strata and in scikit-learn.
 * @module
 */
import { kmeans as mlKmeans } from "ml-kmeans";
import { localExecutor } from "../../src/contract/choose-executor.js";
import { assignNearest } from "../../src/kmeans/assign.js";
import { KMeans } from "../../src/kmeans/kmeans.js";
import { type Matrix, matrix, toRows } from "../../src/linalg/matrix.js";
import { dataSet, writeF64 } from "../generate.js";
import { type BenchRow, measure, row, skipped } from "../harness.js";
import { pythonAvailable, runPython } from "../python.js";

const CASE = "kmeans";
export const ITERATIONS = 20;

function inertiaOf(x: Matrix, centres: Matrix): number {
  const { dist2 } = assignNearest(x, centres);
  let s = 0;
  for (let i = 0; i < dist2.length; i++) s += dist2[i]!;
  return s;
}

const agree = (a: number, ref: number): string => {
  const rel = Math.abs(a - ref) / Math.abs(ref);
  return `inertia ${a.toPrecision(15)} (rel ${rel.toExponential(1)}${rel <= 1e-9 ? ", agrees" : ", DIFFERS"})`;
};

/** Runs the kmeans case at each size. */
export async function kmeansCase(sizes: readonly number[], threads: number): Promise<BenchRow[]> {
  const out: BenchRow[] = [];
  for (const n of sizes) {
    const ds = await dataSet("blobs", n);
    const x = ds.matrix;
    const initial = matrix(7, x.cols, x.data.slice(0, 7 * x.cols));
    const centresPath = writeF64(`blobs-${n}-init`, initial);
    let ref = 0;
    let iterations = 0;
    const fit = (t: number, algorithm: "hamerly" | "lloyd") => () => {
      const t0 = performance.now();
      const m = new KMeans({ k: 7, maxIterations: ITERATIONS, tol: 0 }).fit(x, {
        threads: t,
        algorithm,
        initialCentres: initial,
      });
      ref = m.training!.inertia;
      iterations = m.training!.iterations;
      return (performance.now() - t0) / iterations;
    };
    const strata = await measure(fit(threads, "hamerly"));
    out.push(
      row(
        CASE,
        "strata",
        n,
        strata,
        `ms/iter, ${iterations} iters, Hamerly, ${threads} threads; inertia ${ref.toPrecision(15)}`,
      ),
    );
    const single = await measure(fit(1, "hamerly"));
    out.push(
      row(
        CASE,
        "strata (1 thread)",
        n,
        single,
        `speed-up ×${(single.medianMs / strata.medianMs).toFixed(2)} with ${threads}; ${agree(ref, ref)}`,
      ),
    );
    // The training job's path: Lloyd rounds of the contract on the executor a job gets (localExecutor: kept
    // worker threads, started by the warm-up run; shards keep their bounds in the workers' memos).
    const rounds = localExecutor(x.rows * x.cols, threads);
    let jobInertia = 0;
    const job = await measure(async () => {
      const t0 = performance.now();
      const m = await new KMeans({ k: 7, maxIterations: ITERATIONS, tol: 0 }).fitOn(rounds, x, {
        initialCentres: initial,
      });
      jobInertia = m.training!.inertia;
      return (performance.now() - t0) / m.training!.iterations;
    });
    out.push(
      row(
        CASE,
        "strata (job: contract executor)",
        n,
        job,
        `${rounds.where}; ×${(job.medianMs / strata.medianMs).toFixed(2)} of KMeans.fit's time; ${agree(jobInertia, ref)}`,
      ),
    );
    const weights = Float64Array.from({ length: x.rows }, (_, i) => 1 + (i % 5));
    let weightedRef = 0;
    const weighted = await measure(() => {
      const t0 = performance.now();
      const m = new KMeans({ k: 7, maxIterations: ITERATIONS, tol: 0 }).fit(x, {
        threads,
        initialCentres: initial,
        sampleWeight: weights,
      });
      weightedRef = m.training!.inertia;
      return (performance.now() - t0) / m.training!.iterations;
    });
    out.push(
      row(
        CASE,
        "strata (weighted)",
        n,
        weighted,
        `sample weights 1 + (i mod 5), ${threads} threads; ×${(weighted.medianMs / strata.medianMs).toFixed(2)} of the unweighted time; inertia ${weightedRef.toPrecision(15)}`,
      ),
    );
    const plain = await measure(fit(threads, "lloyd"));
    out.push(
      row(CASE, "strata (plain Lloyd)", n, plain, `no bounds, ${threads} threads; ${agree(ref, ref)}`),
    );
    const nested = toRows(x);
    const init = toRows(initial);
    let mlCentres: number[][] = [];
    let mlIters = 0;
    const ml = await measure(() => {
      const t0 = performance.now();
      const r = mlKmeans(nested, 7, {
        initialization: init.map((c) => [...c]),
        maxIterations: ITERATIONS,
        tolerance: 0,
      });
      mlCentres = r.centroids;
      mlIters = r.iterations;
      return (performance.now() - t0) / r.iterations;
    });
    const mlInertia = inertiaOf(x, matrix(7, x.cols, Float64Array.from(mlCentres.flat())));
    out.push(row(CASE, "ml-kmeans", n, ml, `${mlIters} iters; ${agree(mlInertia, ref)}`));
    const py = pythonAvailable();
    for (const algorithm of ["lloyd", "elkan", "lloyd weighted"]) {
      const tool = `scikit-learn ${algorithm}`;
      if (!py.ok) {
        out.push(skipped(CASE, tool, n, py.reason));
        continue;
      }
      const r = runPython<{
        medianMs: number;
        minMs: number;
        maxMs: number;
        runs: number;
        extra: { iterations: number; inertia: number };
      }>("kmeans.py", [ds.f64, String(x.cols), centresPath, String(ITERATIONS), ...algorithm.split(" ")]);
      const it = r.extra.iterations;
      const per = { medianMs: r.medianMs / it, minMs: r.minMs / it, maxMs: r.maxMs / it, runs: r.runs };
      const against = algorithm.endsWith("weighted") ? weightedRef : ref;
      out.push(row(CASE, tool, n, per, `${it} iters; ${agree(r.extra.inertia, against)}`));
    }
  }
  return out;
}
