/**
 * Training-job names and algorithm images, SageMaker's way (spec §6.1): names match
 * `^[a-zA-Z0-9](-*[a-zA-Z0-9])*` with 1–63 characters, and the SDK's default is `name_from_base`:
 * `<base>-YYYY-MM-DD-HH-MM-SS-mmm` in UTC, the base trimmed so the whole fits. An algorithm is named either
 * plainly (`pca`, `kmeans`) or by a SageMaker image URI (`382416733822.dkr.ecr.us-east-1.amazonaws.com/pca:1`),
 * recognised by its repository name.
 * @module
 */
import type { AlgorithmName } from "./algorithm.js";

export const JOB_NAME_PATTERN = /^[a-zA-Z0-9](-*[a-zA-Z0-9])*$/;
export const JOB_NAME_MAX_LENGTH = 63;

/** True when `name` is a valid TrainingJobName. */
export function isValidJobName(name: string): boolean {
  return name.length >= 1 && name.length <= JOB_NAME_MAX_LENGTH && JOB_NAME_PATTERN.test(name);
}

/**
 * The SDK's `name_from_base`: base + UTC timestamp with milliseconds, at most 63 characters.
 * @example
 * nameFromBase("pca", new Date(Date.UTC(2026, 11, 1, 5, 39, 20, 123))); // "pca-2026-12-01-05-39-20-123"
 */
export function nameFromBase(base: string, now: Date = new Date()): string {
  const p = (n: number, w = 2) => String(n).padStart(w, "0");
  const stamp = [
    now.getUTCFullYear(),
    p(now.getUTCMonth() + 1),
    p(now.getUTCDate()),
    p(now.getUTCHours()),
    p(now.getUTCMinutes()),
    p(now.getUTCSeconds()),
    p(now.getUTCMilliseconds(), 3),
  ].join("-");
  const trimmed = base.slice(0, JOB_NAME_MAX_LENGTH - stamp.length - 1);
  return `${trimmed}-${stamp}`;
}

const IMAGE_ALGORITHMS: Readonly<Record<string, AlgorithmName>> = { pca: "pca", kmeans: "kmeans" };

/**
 * The algorithm a TrainingImage names, or null. Accepts `pca`, `kmeans`, `pca:1`, and any registry path
 * whose last segment is one of those (`…amazonaws.com/pca:1`, `…/kmeans:latest`).
 * @example
 * algorithmFromImage("382416733822.dkr.ecr.us-east-1.amazonaws.com/kmeans:1"); // "kmeans"
 */
export function algorithmFromImage(image: string): AlgorithmName | null {
  const lastSegment = image.trim().split("/").pop() ?? "";
  const repository = lastSegment.split(/[:@]/)[0]!.toLowerCase();
  return IMAGE_ALGORITHMS[repository] ?? null;
}
