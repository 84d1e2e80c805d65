import { resolveKMeansParams } from "./src/kmeans/hyperparameters.js";
console.log(resolveKMeansParams({ k: 7, seed: 0, restarts: "auto", initMethod: "kmeans++" }).numTrials);
console.log(resolveKMeansParams({ k: 7, seed: 0 }).numTrials);
