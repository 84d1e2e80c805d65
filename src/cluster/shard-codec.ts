/**
 * What travels through Redis for one shard, and how: a task (the algorithm's ref, the round's state, the
 * shard by reference) and its partial, each as V8's structured serialization in base64 — typed arrays and
 * nested objects come back as they were, bit for bit — inside BullMQ's JSON job data. Data rows never travel:
 * a task names its object, and the worker reads it.
 *
 * An algorithm's ref is its module's URL where the coordinator runs; workers may run another copy of Strata
 * (elsewhere, compiled or from sources), so the ref travels as the module's path under Strata's code root
 * (`pca/pca-rounds`), and each side resolves it against its own root.
 * @module
 */
import { deserialize, serialize } from "node:v8";
import type { AlgorithmRef, Shard } from "../contract/contract.js";
import { StrataError } from "../errors.js";
import type { PartialSpill, SpilledPartial } from "./partial-store.js";

/** Strata's code root here (src/ or dist/) and this copy's module extension. */
const ROOT = new URL("../", import.meta.url).href;
const EXTENSION = import.meta.url.endsWith(".ts") ? ".ts" : ".js";

/** An algorithm ref that means the same module in any copy of Strata. */
export interface PortableRef {
  readonly path: string;
  readonly name: string;
}

/** What the coordinator enqueues for one shard of one round. */
export interface ShardTaskData {
  /** The fit (executor) the task belongs to: what a stop names. */
  readonly fit: string;
  readonly ref: PortableRef;
  /** The round's state, serialized. */
  readonly state: string;
  /** The shard (an object or a streamed object, by reference), serialized. */
  readonly shard: string;
  readonly index: number;
  /** Where a large partial goes instead of Redis (partial-store.ts); none: every partial through Redis. */
  readonly spill?: PartialSpill;
}

/**
 * A ref as a path under the code root.
 * @throws StrataError INTERNAL for a module outside Strata's code (a cluster runs only Strata's algorithms)
 */
export function portableRef(ref: AlgorithmRef): PortableRef {
  if (!ref.module.startsWith(ROOT))
    throw new StrataError(
      "INTERNAL",
      `${ref.module} is not Strata's code: a cluster runs Strata's algorithms only.`,
    );
  return { path: ref.module.slice(ROOT.length).replace(/\.(ts|js)$/, ""), name: ref.name };
}

/**
 * The modules whose algorithms a worker runs: a task naming any other module is refused before anything is
 * imported (importing a module runs its top level, and a queue's tasks are data, not code to trust).
 */
const ALGORITHM_MODULES: ReadonlySet<string> = new Set([
  "preprocess/scaler-stats",
  "pca/pca-rounds",
  "pca/randomized",
  "kmeans/lloyd-rounds",
  "kmeans/metric-rounds",
  "kmeans/web-scale/web-scale-rounds",
  "kmeans/web-scale/measure-rounds",
  "kmeans/init/sample-rounds",
  "serving/transform-objects",
]);

/**
 * The ref a portable ref names in this copy of Strata.
 * @throws StrataError INVALID_ARGUMENT for a module that holds none of the algorithms a cluster runs
 */
export function localRef(ref: PortableRef): AlgorithmRef {
  if (!ALGORITHM_MODULES.has(ref.path))
    throw new StrataError(
      "INVALID_ARGUMENT",
      `A shard task names ${JSON.stringify(ref.path)}, which is not a module of Strata.`,
    );
  return { module: `${ROOT}${ref.path}${EXTENSION}`, name: ref.name };
}

/** What a worker returns for a task: the partial, and where and on which attempt it was computed. */
export interface ShardResultData {
  /** The partial, serialized; or, when it was large and the task said where, `spilled` names it. */
  readonly partial?: string;
  readonly spilled?: SpilledPartial;
  /** The worker's name in the cluster (host:pid). */
  readonly worker: string;
  /** 1 on the first try; more when the shard was retried (its worker died, or failed). */
  readonly attempt: number;
}

/** A value as base64 of V8's serialization. */
export function encodeValue(value: unknown): string {
  return serialize(value).toString("base64");
}

/** The value {@link encodeValue} encoded. */
export function decodeValue<T>(text: string): T {
  return deserialize(Buffer.from(text, "base64")) as T;
}

/** A shard's task. */
export function encodeTask(
  fit: string,
  ref: AlgorithmRef,
  state: unknown,
  shard: Shard,
  index: number,
  spill?: PartialSpill,
): ShardTaskData {
  return {
    fit,
    ref: portableRef(ref),
    state: encodeValue(state),
    shard: encodeValue(shard),
    index,
    ...(spill === undefined ? {} : { spill }),
  };
}
