/**
 * Issue 17: who may use the web console. A printed one-time token becomes a session cookie (HttpOnly,
 * SameSite=Strict); every console route needs the session; every state-changing call needs its CSRF token;
 * a used token and a signed-out cookie get nothing; the access key pair signs in too; programs keep SigV4.
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { runCli } from "../helpers/cli.js";
import { type ConsoleServer, startConsoleServer } from "../helpers/console.js";

let c: ConsoleServer;
let base: string;

before(async () => {
  c = await startConsoleServer();
  base = c.server.url;
});
after(() => c?.close());

/** A fetch that does not follow redirects, with an optional cookie. */
function request(path: string, init: RequestInit & { cookie?: string } = {}): Promise<Response> {
  const headers = new Headers(init.headers);
  if (init.cookie !== undefined) headers.set("cookie", init.cookie);
  return fetch(new URL(path, base), { ...init, headers, redirect: "manual" });
}

/** Signs in with a token URL; the session cookie ("name=value") and the CSRF token. */
async function signIn(url: string): Promise<{ cookie: string; csrf: string }> {
  const response = await request(url);
  assert.equal(response.status, 303);
  const cookie = response.headers.getSetCookie()[0]!.split(";")[0]!;
  const session = await request("/console/api/session", { cookie });
  assert.equal(session.status, 200);
  return { cookie, csrf: ((await session.json()) as { csrfToken: string }).csrfToken };
}

function call(action: string, who: { cookie?: string; csrf?: string }, body: object = {}): Promise<Response> {
  return request("/console/api/call", {
    method: "POST",
    ...(who.cookie === undefined ? {} : { cookie: who.cookie }),
    headers: {
      "content-type": "application/x-amz-json-1.1",
      "x-amz-target": `SageMaker.${action}`,
      ...(who.csrf === undefined ? {} : { "x-csrf-token": who.csrf }),
    },
    body: JSON.stringify(body),
  });
}

describe("console access", () => {
  test("the server prints the console's URL with a token on start", () => {
    assert.match(c.printedUrl, /^http:\/\/127\.0\.0\.1:\d+\/\?token=[A-Za-z0-9_-]{48}$/);
  });

  test("the printed token becomes an HttpOnly, SameSite=Strict session cookie and leaves the address bar", async () => {
    const response = await request(c.printedUrl);
    assert.equal(response.status, 303);
    assert.equal(response.headers.get("location"), "/");
    const [cookie] = response.headers.getSetCookie();
    assert.match(cookie!, /^strata-console-\d+=[A-Za-z0-9_-]{43};/);
    assert.match(cookie!, /HttpOnly/);
    assert.match(cookie!, /SameSite=Strict/);
    const page = await request("/", { cookie: cookie!.split(";")[0]! });
    assert.equal(page.status, 200);
    assert.match(await page.text(), /<div id="app"><\/div>/);
    // A token signs in once.
    const again = await request(c.printedUrl);
    assert.equal(again.status, 401);
    assert.equal(again.headers.get("set-cookie"), null);
  });

  test("every console route without a session: pages redirect to the sign-in page, the rest answer 401", async () => {
    for (const path of [
      "/",
      "/jobs",
      "/jobs/some-job",
      "/models",
      "/endpoints/e",
      "/transforms",
      "/workers",
      "/runs",
    ]) {
      const response = await request(path);
      assert.equal(response.status, 303, path);
      assert.equal(response.headers.get("location"), "/sign-in", path);
    }
    const gets = [
      "/console/api/session",
      "/console/assets/app.js",
      "/console/api/models/census-pipeline/contents",
      "/console/api/endpoints/census/stats",
    ];
    for (const path of gets) assert.equal((await request(path)).status, 401, path);
    for (const path of [
      "/console/api/call",
      "/console/api/sign-out",
      "/console/api/endpoints/census/invocations",
      "/console/api/runs/run-x/rerun",
      "/console/api/columns",
      "/console/api/runs",
      "/console/api/artifacts/contents",
    ])
      assert.equal((await request(path, { method: "POST", body: "{}" })).status, 401, path);
    // A made-up cookie is no session either.
    assert.equal(
      (await call("ListTrainingJobs", { cookie: "strata-console-1=forged", csrf: "x" })).status,
      401,
    );
  });

  test("a state-changing call without its session's CSRF token gets 403; with it, the action runs", async () => {
    const who = await signIn(c.server.newConsoleUrl());
    const without = await call("ListTrainingJobs", { cookie: who.cookie });
    assert.equal(without.status, 403);
    assert.match(((await without.json()) as { message: string }).message, /x-csrf-token/);
    assert.equal((await call("ListTrainingJobs", { cookie: who.cookie, csrf: "wrong" })).status, 403);
    const invoke = await request("/console/api/endpoints/census/invocations", {
      method: "POST",
      cookie: who.cookie,
      headers: { "content-type": "text/csv" },
      body: "1,2,3",
    });
    assert.equal(invoke.status, 403);
    const other = await signIn(c.server.newConsoleUrl());
    assert.equal((await call("ListTrainingJobs", { cookie: who.cookie, csrf: other.csrf })).status, 403);
    // With a session, the assets are served, and nothing outside them is.
    for (const path of ["/console/assets/%2E%2E/index.html", "/console/assets/..%2Findex.html"]) {
      const traversal = await request(path, { cookie: who.cookie });
      assert.ok(traversal.status >= 400 && traversal.status < 500, `${path}: ${traversal.status}`);
      assert.doesNotMatch(await traversal.text(), /<div id="app">/, path);
    }
    const ok = await call("ListTrainingJobs", who);
    assert.equal(ok.status, 200);
    assert.deepEqual(await ok.json(), { TrainingJobSummaries: [] });
    // The control plane's validation answers as it does on POST /.
    const bad = await call("DescribeTrainingJob", who, { TrainingJobName: "no-such-job" });
    assert.equal(bad.status, 400);
    assert.equal(((await bad.json()) as { __type: string }).__type, "ResourceNotFound");
  });

  test("after sign-out the cookie gets 401 and the token that made it cannot be replayed", async () => {
    const url = c.server.newConsoleUrl();
    const who = await signIn(url);
    assert.equal(
      (await request("/console/api/sign-out", { method: "POST", cookie: who.cookie })).status,
      403,
    );
    const out = await request("/console/api/sign-out", {
      method: "POST",
      cookie: who.cookie,
      headers: { "x-csrf-token": who.csrf },
    });
    assert.equal(out.status, 204);
    assert.match(out.headers.getSetCookie()[0]!, /Expires=Thu, 01 Jan 1970/);
    assert.equal((await call("ListTrainingJobs", who)).status, 401);
    assert.equal((await request("/jobs", { cookie: who.cookie })).status, 303);
    assert.equal((await request(url)).status, 401);
  });

  test("the access key pair signs in from the form; a wrong one, or a form from another origin, does not", async () => {
    const creds = c.server.credentials!;
    const form = (id: string, secret: string) =>
      new URLSearchParams({ accessKeyId: id, secretAccessKey: secret }).toString();
    const headers = { "content-type": "application/x-www-form-urlencoded" };
    const good = await request("/sign-in", {
      method: "POST",
      headers,
      body: form(creds.accessKeyId, creds.secretAccessKey),
    });
    assert.equal(good.status, 303);
    const cookie = good.headers.getSetCookie()[0]!.split(";")[0]!;
    assert.equal((await request("/console/api/session", { cookie })).status, 200);
    const wrong = await request("/sign-in", {
      method: "POST",
      headers,
      body: form(creds.accessKeyId, "not-it"),
    });
    assert.equal(wrong.status, 401);
    assert.equal(wrong.headers.get("set-cookie"), null);
    assert.doesNotMatch(await wrong.text(), /not-it/);
    const foreign = await request("/sign-in", {
      method: "POST",
      headers: { ...headers, origin: "http://evil.example" },
      body: form(creds.accessKeyId, creds.secretAccessKey),
    });
    assert.equal(foreign.status, 403);
    assert.equal(foreign.headers.get("set-cookie"), null);
  });

  test("a cookie does not authenticate the control plane: POST / still needs SigV4", async () => {
    const who = await signIn(c.server.newConsoleUrl());
    const response = await request("/", {
      method: "POST",
      cookie: who.cookie,
      headers: {
        "content-type": "application/x-amz-json-1.1",
        "x-amz-target": "SageMaker.ListTrainingJobs",
        "x-csrf-token": who.csrf,
      },
      body: "{}",
    });
    assert.equal(response.status, 403);
    assert.equal(response.headers.get("x-amzn-errortype"), "MissingAuthenticationTokenException");
  });

  test("console pages carry a same-origin content security policy and send no referrer", async () => {
    const who = await signIn(c.server.newConsoleUrl());
    for (const path of ["/sign-in", "/"]) {
      const response = await request(path, { cookie: who.cookie });
      const csp = response.headers.get("content-security-policy") ?? "";
      assert.match(csp, /default-src 'self'/, path);
      assert.match(csp, /script-src 'self'(;|$)/, path);
      assert.match(csp, /frame-ancestors 'none'/, path);
      assert.equal(response.headers.get("referrer-policy"), "no-referrer", path);
    }
  });

  test("`strata console-url` mints a token, in another process, that this server accepts once", async () => {
    const port = String(c.server.port);
    const result = await runCli(["console-url", "--port", port], { env: { STRATA_HOME: c.home } });
    assert.equal(result.code, 0, result.stderr);
    const url = result.stdout.trim();
    assert.match(url, new RegExp(`^http://127\\.0\\.0\\.1:${port}/\\?token=[A-Za-z0-9_-]{48}$`));
    const first = await request(url);
    assert.equal(first.status, 303);
    assert.equal((await request(url)).status, 401);
  });
});
