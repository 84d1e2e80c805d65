/**
 * Issue 14, bugs 5 and 7: a command-line mistake is a named error with exit code 1 or 2, never "internal
 * error" (exit 70) or the whole help; `npm start --data x`, where npm keeps `--data` for itself, says so.
 * @module
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { STRATA_VERSION } from "../../src/version.js";
import { runCli } from "../helpers/cli.js";

describe("usage errors", () => {
  test("an unknown command: exit 2, commander's one line and a hint, not the whole help", async () => {
    const r = await runCli(["bogus"]);
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, /^error: unknown command 'bogus'/);
    assert.match(r.stderr, /strata --help lists the commands/);
    assert.doesNotMatch(r.stderr, /Usage:/);
    assert.equal(r.stdout, "");
  });

  test("an unknown option: exit 2, naming it", async () => {
    const r = await runCli(["run", "--bogus"]);
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, /^error: unknown option '--bogus'/);
    assert.doesNotMatch(r.stderr, /Usage:/);
  });

  test("flag values out of their range are refused in the one template, naming the flag and the range", async () => {
    for (const [args, pattern] of [
      [["--impute", "max"], /--impute="max" is invalid: expected median or mean\./],
      [["--stability", "2000"], /--stability="2000" is invalid: expected an integer from 0 to 1000\./],
      [["--scale", "robust"], /--scale="robust" is invalid: expected minmax or standard\./],
    ] as const) {
      const r = await runCli(["run", ...args]);
      assert.equal(r.code, 2, r.stderr);
      assert.match(r.stderr, pattern);
    }
    const payload = await runCli(["transform", "m", "--input", "x", "--output", "y", "--max-payload", "six"]);
    assert.equal(payload.code, 2, payload.stderr);
    assert.match(payload.stderr, /--max-payload="six" is invalid: expected an integer\./);
  });

  test("help and --version still exit 0, and --version (which loads no command) prints the version", async () => {
    assert.equal((await runCli(["--help"])).code, 0);
    for (const flag of ["--version", "-V"]) {
      const r = await runCli([flag]);
      assert.equal(r.code, 0, r.stderr);
      assert.equal(r.stdout, `${STRATA_VERSION}\n`);
    }
    assert.equal((await runCli(["run", "--help"])).code, 0);
  });

  test("strata invoke --body with a missing file names it: SOURCE_NOT_FOUND, exit 1", async () => {
    const r = await runCli(["invoke", "some-endpoint", "--body", "/no/such/body.csv"]);
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stderr, /^strata: .*\/no\/such\/body\.csv/);
    assert.doesNotMatch(r.stderr, /internal error/);
  });
});

describe("npm start without --", () => {
  test("an option npm took for itself is named, with how to pass it", async () => {
    // What `npm start --data x.csv` leaves: npm's setting, and strata run started without --data, reading
    // its default source (here a file that does not exist).
    const r = await runCli(["run", "--out", "/tmp/strata-npm-hint-out"], {
      env: {
        npm_lifecycle_event: "start",
        npm_config_data: "x.csv",
        STRATA_DATA: "/no/such/default.csv",
      },
    });
    assert.notEqual(r.code, 0);
    assert.match(
      r.stderr,
      /npm took --data as its own setting: pass strata's options after --, as in npm start -- --data <value>\./,
    );
  });
});
