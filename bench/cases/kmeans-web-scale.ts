/**
 * kmeans-web-scale: Strata's web-scale K-Means (training_mode=web-scale) against scikit-learn's
 * MiniBatchKMeans on the 5-dimensional blobs, k = 7, the same batch size (5,000, SageMaker's default) and one
 * pass over the rows. The figure is the whole fit; the note gives rows per second (rows × epochs / median)
 * and each tool's final inertia over every row, with its ratio to full-batch Lloyd's best of 10 (Strata's,
 * computed once per size). The two algorithms differ by design: Strata streams into k × 10 = 70 weighted
 * centres per shard (10× the distance work of MiniBatchKMeans' 7) and reduces them by weighted Lloyd.
 * Strata runs as a training job does (its rounds on the worker-thread executor, one shard per 2^20 rows),
 * on the caller's thread alone, and with extra_center_factor = 1 (7 centres: MiniBatchKMeans' work per row).
 * scikit-learn runs on Strata's thread count and on one thread.
 * @module
 */
import { localExecutor } from "../../src/contract/choose-executor.js";
import { KMeans } from "../../src/kmeans/kmeans.js";
import { dataSet } from "../generate.js";
import { type BenchRow, measure, row, skipped, type Timing } from "../harness.js";
import { pythonAvailable, runPython } from "../python.js";

const CASE = "kmeans-web-scale";
const K = 7;
const BATCH = 5000;
const EPOCHS = 1;

/** Runs the case at each size. */
export async function kmeansWebScaleCase(sizes: readonly number[], threads: number): Promise<BenchRow[]> {
  const out: BenchRow[] = [];
  for (const n of sizes) {
    const ds = await dataSet("blobs", n);
    const x = ds.matrix;
    const lloyd = new KMeans({ k: K, seed: 0 }).fit(x, { threads }).inertia;
    const note = (t: Timing, inertia: number, extra: string) =>
      `${((n * EPOCHS) / (t.medianMs / 1000) / 1e6).toFixed(2)}M rows/s; inertia ${inertia.toPrecision(9)} (${((inertia / lloyd - 1) * 100).toFixed(2)}% above full-batch Lloyd's best of 10); ${extra}`;
    const estimator = new KMeans({
      k: K,
      seed: 0,
      trainingMode: "web-scale",
      miniBatchSize: BATCH,
      epochs: EPOCHS,
    });
    const rounds = localExecutor(x.rows * x.cols, threads);
    let jobInertia = 0;
    let shards = 0;
    const job = await measure(async () => {
      const m = await estimator.fitOn(rounds, x);
      jobInertia = m.inertia;
      shards = m.training!.webScale!.shards;
      return undefined;
    });
    out.push(row(CASE, "strata", n, job, note(job, jobInertia, `${shards} shard(s) on ${rounds.where}`)));
    let oneInertia = 0;
    const one = await measure(() => {
      oneInertia = estimator.fit(x).inertia;
      return undefined;
    });
    out.push(
      row(
        CASE,
        "strata (caller's thread)",
        n,
        one,
        note(one, oneInertia, oneInertia === jobInertia ? "same model" : "DIFFERS"),
      ),
    );
    // K = k: the same 7 centres as MiniBatchKMeans streams into, so the same distance work per row.
    const narrow = new KMeans({
      k: K,
      seed: 0,
      trainingMode: "web-scale",
      miniBatchSize: BATCH,
      epochs: EPOCHS,
      extraCenterFactor: 1,
    });
    let narrowInertia = 0;
    const seven = await measure(() => {
      narrowInertia = narrow.fit(x).inertia;
      return undefined;
    });
    out.push(
      row(
        CASE,
        "strata (extra_center_factor=1, caller's thread)",
        n,
        seven,
        note(seven, narrowInertia, "7 centres per shard, as MiniBatchKMeans"),
      ),
    );
    const py = pythonAvailable();
    if (!py.ok) {
      out.push(skipped(CASE, "scikit-learn MiniBatchKMeans", n, py.reason));
      continue;
    }
    for (const t of threads > 1 ? [threads, 1] : [1]) {
      const r = runPython<Timing & { extra: { inertia: number; steps: number } }>("minibatch_kmeans.py", [
        ds.f64,
        String(x.cols),
        String(K),
        String(BATCH),
        String(EPOCHS),
        String(t),
      ]);
      const tool = `scikit-learn MiniBatchKMeans (${t} thread${t === 1 ? "" : "s"})`;
      out.push(row(CASE, tool, n, r, note(r, r.extra.inertia, `${r.extra.steps} batches`)));
    }
  }
  return out;
}
