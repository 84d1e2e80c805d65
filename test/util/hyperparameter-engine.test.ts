/**
 * Issue 13: one hyperparameter engine, one message per rule, whichever algorithm's table it reads. PCA and
 * K-Means say the same thing the same way for an unknown name, a missing one, a value out of range, a word
 * that is not one of the choices, and a name given twice through an alias; internal keys are ignored by both
 * and logged by both.
 * @module
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { isStrataError } from "../../src/errors.js";
import { AUTO_TRIALS, KMEANS_TABLE } from "../../src/kmeans/hyperparameter-table.js";
import { parseKMeansHyperparameters } from "../../src/kmeans/hyperparameters.js";
import { PCA_TABLE, parsePCAHyperparameters } from "../../src/pca/hyperparameters.js";
import { flagRule } from "../../src/util/hyperparameter-engine.js";
import { MemoryLogger } from "../../src/util/logger.js";

function message(fn: () => unknown): { code: string; message: string } {
  try {
    fn();
  } catch (e) {
    assert.ok(isStrataError(e), String(e));
    return { code: e.code, message: e.message };
  }
  assert.fail("expected an error");
}

const pca = (map: Record<string, string>) => () => parsePCAHyperparameters(map, { featureDim: 5 });
const kmeans = (map: Record<string, string>) => () =>
  parseKMeansHyperparameters({ feature_dim: "5", ...map }, { featureDim: 5, numRows: 100 });

test("the same templates for both algorithms", () => {
  const unknown = [
    message(pca({ num_components: "2", colour: "red" })),
    message(kmeans({ k: "3", colour: "red" })),
  ];
  assert.deepEqual(
    unknown.map((u) => u.code),
    ["UNKNOWN_HYPERPARAMETER", "UNKNOWN_HYPERPARAMETER"],
  );
  assert.match(
    unknown[0]!.message,
    /^Unknown PCA hyperparameter "colour": expected one of feature_dim, num_components, /,
  );
  assert.match(
    unknown[1]!.message,
    /^Unknown K-Means hyperparameter "colour": expected one of k, feature_dim, /,
  );

  assert.deepEqual(message(pca({})), {
    code: "MISSING_HYPERPARAMETER",
    message: "PCA needs the hyperparameter num_components (an integer from 1 to 5 (the number of features)).",
  });
  assert.deepEqual(message(kmeans({})), {
    code: "MISSING_HYPERPARAMETER",
    message: "K-Means needs the hyperparameter k (an integer from 2 to 100 (the number of rows)).",
  });

  assert.equal(
    message(pca({ num_components: "9" })).message,
    "num_components=9 is invalid: expected an integer from 1 to 5 (the number of features).",
  );
  assert.equal(
    message(kmeans({ k: "900" })).message,
    "k=900 is invalid: expected an integer from 2 to 100 (the number of rows).",
  );

  assert.equal(
    message(pca({ num_components: "2", algorithm_mode: "fast" })).message,
    'Unknown algorithm_mode "fast": expected one of "regular", "randomized".',
  );
  assert.equal(
    message(kmeans({ k: "3", init_method: "fast" })).message,
    'Unknown init_method "fast": expected one of "random", "kmeans++".',
  );

  assert.equal(
    message(kmeans({ k: "3", tol: "0.1", local_lloyd_tol: "0.2" })).message,
    "tol and local_lloyd_tol both set local_lloyd_tol: give only one.",
  );
});

test("SageMaker's internal keys are accepted and logged at debug by both", () => {
  const a = new MemoryLogger();
  parsePCAHyperparameters(
    { num_components: "2", _kvstore: "dist_sync", force_dense: "True" },
    { featureDim: 5, logger: a },
  );
  const b = new MemoryLogger();
  parseKMeansHyperparameters(
    { k: "3", feature_dim: "5", _kvstore: "dist_sync", force_dense: "True" },
    { featureDim: 5 },
    b,
  );
  for (const logger of [a, b])
    assert.deepEqual(
      logger.events.map((r) => [r.level, r.message]),
      [
        ["debug", "Ignoring SageMaker-internal hyperparameter _kvstore=dist_sync."],
        ["debug", "Ignoring SageMaker-internal hyperparameter force_dense=True."],
      ],
    );
});

test("a flag that means a hyperparameter follows its row: the same rule and words, as a flag error (exit 2)", () => {
  const clusters = flagRule("--clusters", KMEANS_TABLE, "k");
  const asJob = message(kmeans({ k: "900" }));
  const asFlag = message(() => clusters.parse("900", { numRows: 100 }));
  assert.equal(asJob.code, "INVALID_HYPERPARAMETER");
  assert.equal(asFlag.code, "INVALID_ARGUMENT");
  assert.equal(asFlag.message, asJob.message.replace(/^k=/, "--clusters="));
  assert.equal(clusters.parse(" 7 "), 7);
  assert.deepEqual(
    message(() => clusters.check(-1, {})),
    {
      code: "INVALID_ARGUMENT",
      message: "--clusters=-1 is invalid: expected an integer of at least 2.",
    },
  );
  // auto is the row's own value for "as many as it takes" (kmeans/restart-count.ts).
  assert.equal(flagRule("--restarts", KMEANS_TABLE, "local_lloyd_num_trials").parse("auto"), AUTO_TRIALS);
  assert.throws(() => flagRule("--nope", PCA_TABLE, "no_such_row"), /PCA has no hyperparameter no_such_row/);
});
