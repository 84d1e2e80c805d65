import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { describe, test } from "node:test";
import { ERROR_CODES, type ErrorCode, StrataError } from "../../src/errors.js";
import { PROJECT_ROOT } from "../helpers/census.js";

describe("error registry", () => {
  const doc = readFileSync(resolve(PROJECT_ROOT, "docs/errors.md"), "utf8");
  const rows = new Map<string, { status: number; type: string }>();
  for (const line of doc.split("\n")) {
    const m = /^\| ([A-Z_]+) \| (\d{3}) \| (\w+) \|/.exec(line);
    if (m) rows.set(m[1]!, { status: Number(m[2]), type: m[3]! });
  }

  test("docs/errors.md lists every code with its status and AWS type", () => {
    for (const [code, spec] of Object.entries(ERROR_CODES)) {
      const row = rows.get(code);
      assert.ok(row, `docs/errors.md has no row for ${code}`);
      assert.equal(row.status, spec.status, `${code}: documented status`);
      assert.equal(row.type, spec.awsType, `${code}: documented type`);
    }
  });

  test("docs/errors.md lists no code that does not exist", () => {
    for (const code of rows.keys())
      assert.ok(code in ERROR_CODES, `docs/errors.md documents unknown ${code}`);
  });

  test("a StrataError carries its code, status, type, details and cause", () => {
    const cause = new Error("low level");
    const e = new StrataError("KEY_NOT_FOUND" satisfies ErrorCode, 'No key "a".', {
      details: { key: "a" },
      cause,
    });
    assert.equal(e.status, 404);
    assert.equal(e.awsType, "ValidationException");
    assert.deepEqual(e.details, { key: "a" });
    assert.equal(e.cause, cause);
  });
});
