/**
 * Shared fixtures for the training-job tests: a private STRATA_HOME per test, small CSV files, generated
 * matrices, and CreateTrainingJob requests.
 * @module
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Matrix, matrix } from "../../src/linalg/matrix.js";
import { createRng } from "../../src/linalg/rng.js";

/** A fresh temp directory used as STRATA_HOME; `cleanup` removes it. */
export function tempHome(): { home: string; cleanup: () => void } {
  const home = mkdtempSync(join(tmpdir(), "strata-jobs-"));
  return { home, cleanup: () => rmSync(home, { recursive: true, force: true }) };
}

/** n rows around `centres` blobs (Gaussian noise, seeded), d = centres[0].length. */
export function blobs(n: number, centres: readonly (readonly number[])[], seed = 1, noise = 0.3): Matrix {
  const rng = createRng(seed);
  const d = centres[0]!.length;
  const m = matrix(n, d);
  for (let i = 0; i < n; i++) {
    const c = centres[i % centres.length]!;
    for (let j = 0; j < d; j++) m.data[i * d + j] = c[j]! + noise * rng.nextGaussian();
  }
  return m;
}

/** Writes a matrix as CSV (optionally with a header) and returns the path. */
export function writeCsv(path: string, m: Matrix, header?: readonly string[]): string {
  const lines: string[] = header ? [header.join(",")] : [];
  for (let i = 0; i < m.rows; i++)
    lines.push(Array.from(m.data.subarray(i * m.cols, (i + 1) * m.cols)).join(","));
  writeFileSync(path, `${lines.join("\n")}\n`);
  return path;
}

/** A CreateTrainingJob request with a train (and optional test) CSV channel. */
export function csvRequest(options: {
  image: string;
  train: string;
  test?: string;
  hyperParameters: Record<string, string>;
  name?: string;
  output?: string;
}): Record<string, unknown> {
  const channel = (name: string, uri: string) => ({
    ChannelName: name,
    DataSource: { S3DataSource: { S3Uri: uri } },
    ContentType: "text/csv",
  });
  return {
    ...(options.name ? { TrainingJobName: options.name } : {}),
    AlgorithmSpecification: { TrainingImage: options.image },
    HyperParameters: options.hyperParameters,
    InputDataConfig: [
      channel("train", options.train),
      ...(options.test ? [channel("test", options.test)] : []),
    ],
    ...(options.output ? { OutputDataConfig: { S3OutputPath: options.output } } : {}),
  };
}
