/**
 * Which objects an input data source names, read the way SageMaker reads a channel or a batch-transform input
 * (`S3DataSource.S3DataType`):
 *
 * - `S3Prefix`: every object whose key starts with the prefix, in key order, skipping zero-byte "folder"
 *   keys (`…/`) and Strata's own temp files; a prefix that equals one key names that object alone.
 * - `ManifestFile`: the object is a JSON manifest, as the SageMaker SDK's `record_set()` writes it:
 *   `[{"prefix": "s3://bucket/dir/"}, "matrix_0.pbr", "matrix_1.pbr", …]`; each entry is the prefix
 *   joined with the relative key, in manifest order.
 *
 * The same rules apply to local paths and `file://` URIs (through the FileStore) as to `s3://`. Other
 * S3DataTypes (`AugmentedManifestFile`) are refused when the request is validated, never here.
 * @module
 */
import { quote, StrataError } from "../../errors.js";
import { type AccessRules, checkObjectRead, UNRESTRICTED } from "./access.js";
import type { ObjectStore } from "./object-store.js";
import { resolveStore, type StoreOptions } from "./resolve.js";

/** The S3DataTypes Strata reads. */
export const SUPPORTED_S3_DATA_TYPES = ["S3Prefix", "ManifestFile"] as const;
export type S3DataType = (typeof SUPPORTED_S3_DATA_TYPES)[number];

/** Every S3DataType SageMaker defines, so an unsupported one is named as such rather than as a typo. */
const SAGEMAKER_S3_DATA_TYPES = [...SUPPORTED_S3_DATA_TYPES, "AugmentedManifestFile", "Converse"];

/**
 * Reads `S3DataType` from a request (undefined means `S3Prefix`); returns a message naming the problem
 * instead of throwing, so each API names its own field and error code.
 * @example
 * parseS3DataType("ManifestFile"); // "ManifestFile"
 * parseS3DataType("AugmentedManifestFile"); // "\"AugmentedManifestFile\" is not supported by Strata: …"
 */
export function parseS3DataType(value: unknown): S3DataType | { readonly problem: string } {
  if (value === undefined) return "S3Prefix";
  if ((SUPPORTED_S3_DATA_TYPES as readonly unknown[]).includes(value)) return value as S3DataType;
  const known = SAGEMAKER_S3_DATA_TYPES.includes(value as string);
  return {
    problem: `${quote(value)} is ${known ? "not supported by Strata" : "not an S3DataType"}: expected one of ${SUPPORTED_S3_DATA_TYPES.join(", ")}.`,
  };
}

/** One object of an input. */
export interface InputObject {
  readonly uri: string;
  readonly size: number;
  /** The key relative to the prefix (S3Prefix) or the manifest entry: what batch transform names outputs by. */
  readonly relativeKey: string;
}

/** Manifests are a list of keys; this bounds what is read into memory before it is checked. */
const MAX_MANIFEST_BYTES = 16 * 1024 * 1024;

/**
 * The objects an input names, in the order they are read.
 * @throws StrataError SOURCE_NOT_FOUND (no object under a prefix), MANIFEST_INVALID, and the store's errors
 *   (KEY_NOT_FOUND, BUCKET_NOT_FOUND, SOURCE_UNREACHABLE…)
 * @example
 * await listInputObjects("s3://bucket/sagemaker-record-sets/PCA-…/.amazon.manifest", "ManifestFile");
 */
export async function listInputObjects(
  uri: string,
  dataType: S3DataType,
  rules: AccessRules = UNRESTRICTED,
): Promise<InputObject[]> {
  const store = storeFor(uri, rules);
  // A manifest's entries are checked before each is stat'ed (no probing outside the roots); every object is
  // checked again when it is read (readInputObject).
  return dataType === "ManifestFile" ? manifestObjects(store, uri, rules) : prefixObjects(store, uri);
}

/**
 * An input object's bytes, checked against the rules just before it is opened: a symlink or a file that
 * changed since the objects were listed cannot lead out of the roots.
 * @throws StrataError LOCATION_NOT_ALLOWED, and the store's errors
 */
export async function readInputObject(uri: string, rules: AccessRules = UNRESTRICTED): Promise<Uint8Array> {
  await checkObjectRead(uri, rules);
  return storeFor(uri, rules).getBytes(uri);
}

/**
 * The store that reads `uri` under `rules`: under a server's rules http(s) redirects are not followed, as a
 * redirect is a request to an address nobody checked.
 */
export function storeFor(uri: string, rules: AccessRules): ObjectStore {
  const options: StoreOptions = rules.allowPrivateHosts ? {} : { https: { redirect: "error" } };
  return resolveStore(uri, options);
}

async function prefixObjects(store: ObjectStore, prefix: string): Promise<InputObject[]> {
  const found = await store.list(prefix);
  const exact = found.find((o) => o.uri === prefix);
  if (exact !== undefined)
    return [{ uri: exact.uri, size: exact.size, relativeKey: prefix.slice(prefix.lastIndexOf("/") + 1) }];
  const objects = found
    .filter((o) => !(o.size === 0 && o.uri.endsWith("/")))
    .map((o) => ({ uri: o.uri, size: o.size, relativeKey: relativeTo(prefix, o.uri) }));
  if (objects.length === 0)
    throw new StrataError(
      "SOURCE_NOT_FOUND",
      store.scheme === "file"
        ? `File not found: ${prefix} (no file has that path, and none is under it as a prefix).`
        : `No S3 objects found under S3 URL "${prefix}": check that the bucket exists and that objects exist under that prefix.`,
      { details: { uri: prefix } },
    );
  return objects;
}

/**
 * The key below the prefix, as batch transform names its outputs: a prefix that names a folder (`…/batch`
 * or `…/batch/`) keeps the path under it (`part-0.csv`); one that ends inside a name (`…/dir/part`) keeps the
 * path under its folder (`part-1.csv`, not `-1.csv`).
 */
function relativeTo(prefix: string, uri: string): string {
  if (uri.startsWith(prefix) && (prefix.endsWith("/") || uri[prefix.length] === "/"))
    return uri.slice(prefix.length).replace(/^\/+/, "");
  const base = prefix.slice(0, prefix.lastIndexOf("/") + 1);
  return base !== "" && uri.startsWith(base) ? uri.slice(base.length) : (uri.split("/").pop() ?? uri);
}

function badManifest(uri: string, problem: string): StrataError {
  return new StrataError("MANIFEST_INVALID", `The manifest ${uri} ${problem}`, { details: { uri } });
}

async function manifestObjects(store: ObjectStore, uri: string, rules: AccessRules): Promise<InputObject[]> {
  await checkObjectRead(uri, rules);
  const info = await store.stat(uri);
  if (info.size > MAX_MANIFEST_BYTES)
    throw badManifest(uri, `is ${info.size} bytes; a manifest may have at most ${MAX_MANIFEST_BYTES}.`);
  const text = new TextDecoder("utf-8", { fatal: false }).decode(await store.getBytes(uri));
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    // JSON.parse's own message quotes the text; a manifest's bytes are never echoed.
    throw badManifest(
      uri,
      'is not valid JSON: expected [{"prefix": "s3://bucket/dir/"}, "relative/key", …] (is S3DataType ManifestFile meant for this object?).',
    );
  }
  if (!Array.isArray(parsed) || parsed.length === 0)
    throw badManifest(uri, 'must be a JSON list: [{"prefix": "s3://bucket/dir/"}, "relative/key", …].');
  const head = parsed[0] as unknown;
  const prefix =
    typeof head === "object" && head !== null && !Array.isArray(head)
      ? (head as Record<string, unknown>)["prefix"]
      : undefined;
  if (typeof prefix !== "string" || prefix === "")
    throw badManifest(uri, 'must start with {"prefix": "<uri>"}, the location the keys are relative to.');
  const keys = parsed.slice(1);
  if (keys.length === 0) throw badManifest(uri, "lists no objects after its prefix.");
  const objects: InputObject[] = [];
  for (const [i, key] of keys.entries()) {
    if (typeof key !== "string" || key === "")
      throw badManifest(
        uri,
        `entry ${i + 2} is not a key: each entry after the prefix is a relative key string.`,
      );
    const objectUri = prefix.endsWith("/") || key.startsWith("/") ? `${prefix}${key}` : `${prefix}/${key}`;
    await checkObjectRead(objectUri, rules);
    const stat = await storeFor(objectUri, rules).stat(objectUri);
    objects.push({ uri: objectUri, size: stat.size, relativeKey: key });
  }
  return objects;
}
