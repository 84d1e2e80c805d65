/**
 * A K-Means job that runs for many seconds (many blobs, tol 0, many restarts), passed as in-memory channels
 * so that building it costs no file I/O. Used by the stop, max-runtime and crash tests.
 * @module
 */
import { join } from "node:path";
import type { ChannelData } from "../../src/jobs/algorithm.js";
import { blobs } from "./job-fixtures.js";

export function longKMeansJob(
  name: string,
  home: string,
  maxRuntimeSeconds?: number,
): {
  request: Record<string, unknown>;
  channels: { train: ChannelData };
} {
  const centres = Array.from({ length: 40 }, (_, i) =>
    Array.from({ length: 8 }, (_, j) => ((i * 7 + j * 3) % 11) * 0.5),
  );
  const train = blobs(60_000, centres, 3, 1.5);
  return {
    request: {
      TrainingJobName: name,
      AlgorithmSpecification: { TrainingImage: "kmeans" },
      HyperParameters: {
        k: "40",
        local_lloyd_max_iter: "100000",
        local_lloyd_tol: "0",
        local_lloyd_num_trials: "1000",
      },
      InputDataConfig: [
        {
          ChannelName: "train",
          DataSource: { S3DataSource: { S3Uri: join(home, "in-memory.csv") } },
          ContentType: "text/csv",
        },
      ],
      ...(maxRuntimeSeconds === undefined
        ? {}
        : { StoppingCondition: { MaxRuntimeInSeconds: maxRuntimeSeconds } }),
    },
    channels: { train: { matrix: train, featureNames: null } },
  };
}
