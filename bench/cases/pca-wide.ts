/**
 * pca-wide: 10 components of 1,000 columns (generate.ts "wide": a decaying spectrum over a noise floor), where
 * regular PCA's n·d²/2 scatter dominates and randomized mode's n·d·ℓ sketch does not. Strata regular mode
 * (PCA.fit, all threads) is the base; randomized mode with 0, 1 and 2 power iterations (default ℓ = 20) runs
 * on the caller's thread (PCA.fit) and on worker threads (PCA.fitOn, a job's path); scikit-learn's
 * PCA(svd_solver="full") and PCA(svd_solver="randomized") (iterated_power 1 — like Strata's 2, as its
 * projection pass is not counted — and "auto" = 7) run on the same float64 file. Each note gives the largest
 * error of the 10 explained-variance ratios against the tool's own exact fit.
 * @module
 */
import { localExecutor } from "../../src/contract/choose-executor.js";
import { PCA } from "../../src/pca/pca.js";
import type { PCAModel } from "../../src/pca/pca-model.js";
import { dataSet } from "../generate.js";
import { type BenchRow, measure, row, skipped } from "../harness.js";
import { pythonAvailable, runPython } from "../python.js";

const CASE = "pca-wide";
const COMPONENTS = 10;

/** The largest |ratio − exact ratio| over the components. */
function ratioError(ratios: ArrayLike<number>, exact: ArrayLike<number>): number {
  let worst = 0;
  for (let c = 0; c < exact.length; c++) worst = Math.max(worst, Math.abs(ratios[c]! - exact[c]!));
  return worst;
}

interface PythonTiming {
  medianMs: number;
  minMs: number;
  maxMs: number;
  runs: number;
}

/** Runs the pca-wide case at each size (default 20,000 rows). */
export async function pcaWideCase(sizes: readonly number[], threads: number): Promise<BenchRow[]> {
  const out: BenchRow[] = [];
  for (const n of sizes) {
    const ds = await dataSet("wide", n);
    const x = ds.matrix;
    let exact: PCAModel | undefined;
    const regular = await measure(() => {
      exact = new PCA({ numComponents: COMPONENTS }).fit(x, { threads });
      return undefined;
    });
    const truth = exact!.explainedVarianceRatio;
    out.push(
      row(
        CASE,
        "strata",
        n,
        regular,
        `regular, ${threads} threads; top-10 ratio sum ${sum(truth).toFixed(6)}`,
      ),
    );
    const rounds = localExecutor(x.rows * x.cols, threads);
    for (const powerIterations of [0, 1, 2]) {
      const estimator = new PCA({ numComponents: COMPONENTS, algorithmMode: "randomized", powerIterations });
      let model: PCAModel | undefined;
      const inline = await measure(() => {
        model = estimator.fit(x);
        return undefined;
      });
      const error = ratioError(model!.explainedVarianceRatio, truth);
      out.push(
        row(
          CASE,
          `strata randomized p=${powerIterations}`,
          n,
          inline,
          `caller's thread; ratio error ${error.toExponential(1)}`,
        ),
      );
      const onThreads = await measure(async () => {
        model = await estimator.fitOn(rounds, x);
        return undefined;
      });
      out.push(
        row(
          CASE,
          `strata randomized p=${powerIterations} (fitOn)`,
          n,
          onThreads,
          `${rounds.where}; ratio error ${ratioError(model!.explainedVarianceRatio, truth).toExponential(1)}`,
        ),
      );
    }
    await rounds.close();
    const py = pythonAvailable();
    if (!py.ok) out.push(skipped(CASE, "scikit-learn", n, py.reason));
    else {
      const r = runPython<Record<string, PythonTiming & { ratios: number[] }>>("pca_wide.py", [
        ds.f64,
        String(x.cols),
        String(COMPONENTS),
      ]);
      const full = r["full"]!;
      out.push(
        row(
          CASE,
          "scikit-learn full",
          n,
          full,
          `svd_solver=full; ratio error vs Strata regular ${ratioError(full.ratios, truth).toExponential(1)}`,
        ),
      );
      for (const name of ["randomized-1", "randomized-auto"]) {
        const t = r[name]!;
        out.push(
          row(
            CASE,
            `scikit-learn ${name}`,
            n,
            t,
            `iterated_power=${name.slice(11)}; ratio error ${ratioError(t.ratios, full.ratios).toExponential(1)}`,
          ),
        );
      }
    }
  }
  return out;
}

function sum(values: ArrayLike<number>): number {
  let total = 0;
  for (let i = 0; i < values.length; i++) total += values[i]!;
  return total;
}
