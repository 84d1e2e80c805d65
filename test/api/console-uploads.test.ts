/**
 * Issue 17: console uploads. A table streams to `$STRATA_HOME/uploads/<id>/<name>`; without a session the
 * answer is 401 and without the CSRF token 403; over the server's limit — by Content-Length, or by what
 * arrives when the length is not declared — 413, and nothing of it is left behind; a name with a path, or
 * not a table's, is refused; the server reads back only what it may read.
 */
import assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { request as httpRequest } from "node:http";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { type ConsoleServer, startConsoleServer } from "../helpers/console.js";

const LIMIT = 4096;
let c: ConsoleServer;
let who: { cookie: string; csrf: string };

before(async () => {
  c = await startConsoleServer({ uploadLimit: LIMIT });
  const signIn = await fetch(c.printedUrl, { redirect: "manual" });
  const cookie = signIn.headers.getSetCookie()[0]!.split(";")[0]!;
  const session = await fetch(new URL("/console/api/session", c.server.url), { headers: { cookie } });
  who = { cookie, csrf: ((await session.json()) as { csrfToken: string }).csrfToken };
});
after(() => c?.close());

function uploads(): string[] {
  const dir = join(c.home, "uploads");
  return existsSync(dir) ? readdirSync(dir, { recursive: true }).map(String) : [];
}

function put(name: string, body: string, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(new URL(`/console/api/uploads?name=${encodeURIComponent(name)}`, c.server.url), {
    method: "PUT",
    headers: { cookie: who.cookie, "x-csrf-token": who.csrf, "content-type": "text/csv", ...headers },
    body,
  });
}

/** A chunked upload (no Content-Length): the server learns its size only as it arrives. */
function putChunked(name: string, chunks: string[]): Promise<number> {
  return new Promise((resolve, reject) => {
    const url = new URL(`/console/api/uploads?name=${encodeURIComponent(name)}`, c.server.url);
    const req = httpRequest(
      url,
      {
        method: "PUT",
        headers: { cookie: who.cookie, "x-csrf-token": who.csrf, "transfer-encoding": "chunked" },
      },
      (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      },
    );
    req.on("error", reject);
    for (const chunk of chunks) req.write(chunk);
    req.end();
  });
}

describe("console uploads", () => {
  test("a table under the limit is stored whole, named as sent, in a directory of its own", async () => {
    const csv = "Id,X,Y\na,1,2\nb,3,4\n";
    const response = await put("my table.csv", csv);
    assert.equal(response.status, 201);
    const body = (await response.json()) as { path: string; name: string; bytes: number };
    assert.equal(body.name, "my table.csv");
    assert.equal(body.bytes, csv.length);
    assert.ok(body.path.startsWith(join(c.home, "uploads")), body.path);
    assert.equal(readFileSync(body.path, "utf8"), csv);
  });

  test("without a session: 401; without the CSRF token: 403; nothing is written", async () => {
    const before = uploads();
    const anonymous = await fetch(new URL("/console/api/uploads?name=a.csv", c.server.url), {
      method: "PUT",
      body: "x,y\n1,2\n",
    });
    assert.equal(anonymous.status, 401);
    const noCsrf = await fetch(new URL("/console/api/uploads?name=a.csv", c.server.url), {
      method: "PUT",
      headers: { cookie: who.cookie },
      body: "x,y\n1,2\n",
    });
    assert.equal(noCsrf.status, 403);
    assert.deepEqual(uploads(), before);
  });

  test("over the limit by its Content-Length: 413 naming the limit, and nothing left behind", async () => {
    const before = uploads();
    const response = await put("big.csv", "x".repeat(LIMIT + 1));
    assert.equal(response.status, 413);
    assert.match(((await response.json()) as { message: string }).message, /limit of 4,096 bytes/);
    assert.deepEqual(uploads(), before);
  });

  test("over the limit as it arrives (chunked, no length): 413, and the partial file is deleted", async () => {
    const before = uploads();
    const status = await putChunked(
      "chunked.csv",
      Array.from({ length: 10 }, () => "y".repeat(1024)),
    );
    assert.equal(status, 413);
    assert.deepEqual(uploads(), before);
  });

  test("a run with a bad name is refused at once (400), and no run is recorded", async () => {
    const uploaded = (await (await put("t.csv", "Id,X,Y\na,1,2\nb,3,4\nc,5,1\n")).json()) as { path: string };
    const response = await fetch(new URL("/console/api/runs", c.server.url), {
      method: "POST",
      headers: { cookie: who.cookie, "x-csrf-token": who.csrf, "content-type": "application/json" },
      body: JSON.stringify({ source: uploaded.path, name: "no_underscores" }),
    });
    assert.equal(response.status, 400);
    assert.match(((await response.json()) as { message: string }).message, /no_underscores/);
    const list = await fetch(new URL("/console/api/runs", c.server.url), { headers: { cookie: who.cookie } });
    assert.deepEqual(((await list.json()) as { runs: unknown[] }).runs, []);
  });

  test("a name with a path, or not a table's, is refused before anything is written", async () => {
    const before = uploads();
    for (const name of ["../escape.csv", "dir/x.csv", "notes.exe", ".csv", ""]) {
      const response = await put(name, "a,b\n1,2\n");
      assert.equal(response.status, 400, name);
    }
    assert.deepEqual(uploads(), before);
  });
});
