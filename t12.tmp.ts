import { readFileSync } from "node:fs";
import { KMeans } from "./src/kmeans/kmeans.js";
import { fromRows } from "./src/linalg/matrix.js";
import { MemoryLogger } from "./src/util/logger.js";
const lines = readFileSync("/tmp/o1/assignments.csv", "utf8").trim().split("\n").slice(1);
const x = fromRows(lines.map((l) => l.split(",").slice(3, 8).map(Number)));
for (const seed of [0, 1, 2, 3, 4, 5, 6, 7]) {
  const t = performance.now();
  const logger = new MemoryLogger();
  const m = new KMeans({ k: 7, seed }).fit(x, { logger });
  console.log(seed, (performance.now() - t).toFixed(0), "ms", m.training!.inertia.toFixed(4), [...m.training!.sizes].sort((a, b) => b - a).join("/"), m.training!.trialInertias.length, "restarts");
}
