/**
 * pca: fitting 33 of 34 components on the census-like table. Strata (all threads, and 1 thread for the
 * speed-up) vs ml-pca (SVD of the number[][] data) vs scikit-learn `PCA(svd_solver='full')`. ml-pca gets its
 * input as number[][] (its own format) before the clock starts; at 1M rows one ml-pca run takes ~15 s, so the
 * harness times it once after the warm-up (the `runs` column says so).
 * @module
 */
import { PCA as MlPCA } from "ml-pca";
import { localExecutor } from "../../src/contract/choose-executor.js";
import { rowShards } from "../../src/contract/contract.js";
import { fitRounds } from "../../src/contract/executor.js";
import { toRows } from "../../src/linalg/matrix.js";
import { validatePCAOptions } from "../../src/pca/hyperparameters.js";
import { PCA } from "../../src/pca/pca.js";
import { PCA_STATS_REF } from "../../src/pca/pca-rounds.js";
import { SHARD_ROWS } from "../../src/pca/scatter-shards.js";
import { type DataSet, dataSet } from "../generate.js";
import { type BenchRow, measure, row, skipped } from "../harness.js";
import { pythonAvailable, runPython } from "../python.js";

const CASE = "pca";

/** Runs the pca case at each size. */
export async function pcaCase(sizes: readonly number[], threads: number): Promise<BenchRow[]> {
  const out: BenchRow[] = [];
  for (const n of sizes) {
    const ds = await dataSet("census-like", n);
    out.push(...(await one(ds, n, threads)));
  }
  return out;
}

async function one(ds: DataSet, n: number, threads: number): Promise<BenchRow[]> {
  const x = ds.matrix;
  const C = x.cols - 1;
  const rows: BenchRow[] = [];
  let sv = 0;
  const strata = await measure(() => {
    sv = new PCA({ numComponents: C }).fit(x, { threads }).singularValues[0]!;
    return undefined;
  });
  rows.push(row(CASE, "strata", n, strata, `${threads} threads; σ₁ ${sv.toPrecision(12)}`));
  const single = await measure(() => {
    new PCA({ numComponents: C }).fit(x, { threads: 1 });
    return undefined;
  });
  rows.push(
    row(
      CASE,
      "strata (1 thread)",
      n,
      single,
      `speed-up ×${(single.medianMs / strata.medianMs).toFixed(2)} with ${threads}`,
    ),
  );
  // The training job's path: the contract's PCA round on the executor a job gets (localExecutor: kept worker
  // threads, started by the warm-up run), merged and finalized on the caller.
  const params = validatePCAOptions({ numComponents: C });
  const plan = rowShards(x, { shardRows: SHARD_ROWS, chunkRows: SHARD_ROWS });
  const rounds = localExecutor(x.rows * x.cols, threads);
  const contract = await measure(async () => {
    await fitRounds(rounds, PCA_STATS_REF, params, plan);
    return undefined;
  });
  rows.push(
    row(
      CASE,
      "strata (job: contract executor)",
      n,
      contract,
      `${rounds.where}; ×${(contract.medianMs / strata.medianMs).toFixed(2)} of PCA.fit's time`,
    ),
  );
  const nested = toRows(x);
  let mlSv = 0;
  const ml = await measure(() => {
    const model = new MlPCA(nested, { method: "SVD" });
    mlSv = Math.sqrt(model.getEigenvalues()[0]! * (n - 1));
    return undefined;
  });
  rows.push(row(CASE, "ml-pca", n, ml, `σ₁ ${mlSv.toPrecision(12)}`));
  const py = pythonAvailable();
  if (!py.ok) rows.push(skipped(CASE, "scikit-learn", n, py.reason));
  else {
    const r = runPython<{
      medianMs: number;
      minMs: number;
      maxMs: number;
      runs: number;
      extra: { firstSingularValue: number };
    }>("pca.py", [ds.f64, String(x.cols)]);
    rows.push(
      row(CASE, "scikit-learn", n, r, `svd_solver=full; σ₁ ${r.extra.firstSingularValue.toPrecision(12)}`),
    );
  }
  return rows;
}
