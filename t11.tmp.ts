import { readFileSync } from "node:fs";
import { KMeans } from "./src/kmeans/kmeans.js";
import { fromRows } from "./src/linalg/matrix.js";
const lines = readFileSync("/tmp/o1/assignments.csv", "utf8").trim().split("\n").slice(1);
const x = fromRows(lines.map((l) => l.split(",").slice(3, 8).map(Number)));
for (const n of [10, 10, 50, 100, 200]) {
  const t = performance.now();
  const m = new KMeans({ k: 7, seed: 0, numTrials: n }).fit(x);
  const ins = [...m.training!.trialInertias].sort((a, b) => a - b);
  console.log(n, (performance.now() - t).toFixed(0), "ms", m.training!.inertia.toFixed(4), [...m.training!.sizes].sort((a, b) => b - a).join("/"), "frac<=281.5192:", (ins.filter((v) => v <= 281.5192).length / n).toFixed(3));
}
