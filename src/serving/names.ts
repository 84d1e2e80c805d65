/**
 * Names and ARNs of hosting resources (spec §6.1, §6.4): model, endpoint configuration, endpoint and
 * transform-job names match `^[a-zA-Z0-9](-*[a-zA-Z0-9])*` with 1–63 characters; ARNs are
 * `arn:aws:sagemaker:<region>:<account>:<kind>/<name lower-cased>` as SageMaker writes them. Also the image
 * names Strata serves: SageMaker's built-in `pca` and `kmeans` repositories (any registry, any tag), and
 * Strata's own min-max scaler, `strata/minmax-scaler` (any registry prefix or tag, e.g.
 * `strata/minmax-scaler:1`).
 * @module
 */
import { StrataError } from "../errors.js";
import { type ArnContext, defaultArnContext } from "../jobs/describe.js";
import { algorithmFromImage } from "../jobs/names.js";

export const RESOURCE_NAME_PATTERN = /^[a-zA-Z0-9](-*[a-zA-Z0-9])*$/;

/** The kinds of hosting resource. */
export type ResourceKind = "model" | "endpoint-config" | "endpoint" | "transform-job";

/** A resource ARN. */
export function resourceArn(
  kind: ResourceKind,
  name: string,
  context: ArnContext = defaultArnContext(),
): string {
  return `arn:aws:sagemaker:${context.region}:${context.accountId}:${kind}/${name.toLowerCase()}`;
}

/**
 * Checks a resource name.
 * @throws StrataError INVALID_HOSTING_REQUEST naming the field
 */
export function checkResourceName(field: string, name: unknown): string {
  if (typeof name !== "string" || name.length < 1 || name.length > 63 || !RESOURCE_NAME_PATTERN.test(name)) {
    throw new StrataError(
      "INVALID_HOSTING_REQUEST",
      `${field}=${JSON.stringify(name)} is invalid: expected 1 to 63 letters, digits and hyphens matching ^[a-zA-Z0-9](-*[a-zA-Z0-9])*.`,
      { details: { field, value: name } },
    );
  }
  return name;
}

/** The serving role of a container image. */
export type ContainerRole = "pca" | "kmeans" | "minmax-scaler" | "standard-scaler" | "feature-transform";

/** The Strata image name of the min-max scaler container. */
export const SCALER_IMAGE = "strata/minmax-scaler:1";

/** The Strata image name of the standard (z-score) scaler container. */
export const STANDARD_SCALER_IMAGE = "strata/standard-scaler:1";

/** The Strata image name of the per-feature transform container (log1p / asinh before the scaler). */
export const TRANSFORM_IMAGE = "strata/feature-transform:1";

/**
 * The role an image plays, or null when Strata cannot serve it.
 * @example
 * containerRole("382416733822.dkr.ecr.us-east-1.amazonaws.com/kmeans:1"); // "kmeans"
 * containerRole("strata/minmax-scaler"); // "minmax-scaler"
 */
export function containerRole(image: string): ContainerRole | null {
  const algorithm = algorithmFromImage(image);
  if (algorithm !== null) return algorithm;
  const noDigest = image.trim().split("@")[0]!;
  const colon = noDigest.indexOf(":", noDigest.lastIndexOf("/") + 1);
  const repository = (colon < 0 ? noDigest : noDigest.slice(0, colon)).toLowerCase();
  for (const role of ["minmax-scaler", "standard-scaler", "feature-transform"] as const)
    if (repository === `strata/${role}` || repository.endsWith(`/strata/${role}`)) return role;
  return null;
}
