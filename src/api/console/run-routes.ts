/**
 * The console's segmentation runs: uploads, a table's columns with their detected roles, starting a run,
 * the registry's runs and one run's record and summary, its progress as Server-Sent Events, its files, and
 * its report.html for the page to show. Runs execute in worker threads (workflow/run-service.ts); these
 * routes only read the registry and the run's out dir. Every path a request names is checked against the
 * server's read roots, as the SageMaker API's are.
 * @module
 */
import { createReadStream } from "node:fs";
import { readFile, realpath, stat } from "node:fs/promises";
import { basename, extname, join, sep } from "node:path";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { planColumns } from "../../data/clean/column-roles.js";
import { type AccessRules, checkReadLocation } from "../../data/sources/access.js";
import { openStreamedTable, tableHead } from "../../data/stream/table-chunks.js";
import { StrataError } from "../../errors.js";
import type { RunRecord } from "../../registry/run-store.js";
import { REPORT_CSP } from "../../report/report-html.js";
import type { RunService } from "../../workflow/run-service.js";
import { parseBody } from "../control-plane.js";
import { type ConsoleAccess, requireCsrf, requireSession } from "./access.js";
import { parseRunRequest } from "./run-request.js";
import { receiveUpload } from "./upload.js";

export interface RunRoutesOptions {
  readonly runs: RunService;
  readonly rules: AccessRules;
  readonly uploadsDir: string;
  readonly uploadLimit: number;
}

/** Rows read to show a table's columns and detect their roles. */
const PREVIEW_ROWS = 2000;
/** How often a progress stream looks for new events. */
const EVENT_POLL_MS = 200;
/** A progress stream with nothing to say for this long sends a comment (the idle timeout is 60 s). */
const HEARTBEAT_MS = 15_000;

const FILE_TYPES: Record<string, string> = {
  ".csv": "text/csv; charset=utf-8",
  ".json": "application/json",
  ".html": "text/html; charset=utf-8",
  ".gz": "application/gzip",
  ".png": "image/png",
  ".svg": "image/svg+xml",
  ".pbr": "application/x-recordio-protobuf",
};

/** The request's JSON object body, as the control plane reads its bodies. */
function jsonBody(request: FastifyRequest): Record<string, unknown> {
  return parseBody((request.body as Buffer | undefined) ?? Buffer.alloc(0));
}

function runOf(runs: RunService, request: FastifyRequest): RunRecord {
  const id = (request.params as { id: string }).id;
  const run = runs.store.get(id);
  if (run === null) throw new StrataError("INVALID_ARGUMENT", `No run has the id ${JSON.stringify(id)}.`);
  return run;
}

/** A file of a run's out dir, after every symlink, and only if the server may read it. */
async function runFile(run: RunRecord, relative: string, rules: AccessRules): Promise<string> {
  const refused = () =>
    new StrataError("INVALID_ARGUMENT", `The run has no file ${JSON.stringify(relative)}.`, {
      details: { relative },
    });
  if (relative.length === 0 || relative.includes("\0")) throw refused();
  let real: string;
  let root: string;
  try {
    root = await realpath(run.outDir);
    real = await realpath(join(root, relative));
  } catch {
    throw refused();
  }
  if (!real.startsWith(root + sep) || !(await stat(real)).isFile()) throw refused();
  await checkReadLocation(real, rules, "file");
  return real;
}

/** The run's progress, as events from the registry, until it ends. */
function streamEvents(request: FastifyRequest, reply: FastifyReply, runs: RunService, run: RunRecord): void {
  reply.hijack();
  const res = reply.raw;
  res.writeHead(200, {
    "content-type": "text/event-stream; charset=utf-8",
    "cache-control": "no-store",
    connection: "keep-alive",
    "x-accel-buffering": "no",
  });
  let last = Number((request.headers["last-event-id"] as string | undefined) ?? 0) || 0;
  let closed = false;
  let quietSince = Date.now();
  const send = () => {
    if (closed) return;
    try {
      for (const event of runs.store.events(run.id, last)) {
        last = event.seq;
        quietSince = Date.now();
        res.write(`id: ${event.seq}\nevent: ${event.kind}\ndata: ${JSON.stringify(event)}\n\n`);
      }
      // A comment line during a long quiet step: the server's idle timeout would otherwise close the stream.
      if (Date.now() - quietSince >= HEARTBEAT_MS) {
        quietSince = Date.now();
        res.write(": still running\n\n");
      }
      const now = runs.store.get(run.id);
      if (now === null || now.status !== "InProgress") {
        res.write(`event: status\ndata: ${JSON.stringify({ status: now?.status ?? "Failed" })}\n\n`);
        stop();
        res.end();
      }
    } catch {
      stop();
      res.destroy();
    }
  };
  const timer = setInterval(send, EVENT_POLL_MS);
  const stop = () => {
    closed = true;
    clearInterval(timer);
  };
  res.on("close", stop);
  send();
}

/** Adds the run routes to the console's scope. */
export function registerRunRoutes(
  scope: FastifyInstance,
  access: ConsoleAccess,
  options: RunRoutesOptions,
): void {
  const { runs, rules } = options;

  // The upload's body is streamed to disk, not parsed: a scope of its own without the 6 MB body parser.
  scope.register(async (uploads) => {
    uploads.removeAllContentTypeParsers();
    uploads.addContentTypeParser("*", (_request, _payload, done) => done(null));
    uploads.put("/console/api/uploads", async (request, reply) => {
      requireCsrf(request, requireSession(request, access));
      try {
        return reply.code(201).send(await receiveUpload(request, options.uploadsDir, options.uploadLimit));
      } catch (error) {
        // The rest of an oversized body is not read: the connection closes after the answer.
        reply.header("connection", "close");
        throw error;
      }
    });
  });

  scope.post("/console/api/columns", async (request, reply) => {
    requireCsrf(request, requireSession(request, access));
    const source = jsonBody(request)["source"];
    if (typeof source !== "string" || source.trim() === "")
      throw new StrataError("INVALID_ARGUMENT", "source must be a path or URI the server may read.");
    await checkReadLocation(source, rules, "source");
    const table = await openStreamedTable(source);
    const frame = await tableHead(table, PREVIEW_ROWS);
    const plan = planColumns(frame);
    const reasons = new Map(plan.unused.map((u) => [u.column, u.reason]));
    return reply.send({
      source,
      rows: table.rows,
      columns: frame.columnNames.map((name) => ({
        name,
        numeric: frame.isNumeric(name),
        role: plan.index.includes(name)
          ? "index"
          : plan.identifiers.includes(name)
            ? "identifier"
            : plan.features.includes(name)
              ? "feature"
              : "unused",
        reason: reasons.get(name) ?? null,
      })),
    });
  });

  scope.post("/console/api/runs", async (request, reply) => {
    requireCsrf(request, requireSession(request, access));
    const run = parseRunRequest(jsonBody(request));
    await checkReadLocation(run.source, rules, "source");
    return reply.code(201).send({ runId: runs.start(run) });
  });

  scope.post("/console/api/runs/:id/rerun", async (request, reply) => {
    requireCsrf(request, requireSession(request, access));
    const run = runOf(runs, request);
    const clusters = jsonBody(request)["clusters"];
    if (typeof clusters !== "number" || !Number.isSafeInteger(clusters))
      throw new StrataError("INVALID_ARGUMENT", "clusters must be an integer.");
    await checkReadLocation(run.source, rules, "source");
    return reply.code(201).send({ runId: runs.rerun(run.id, clusters) });
  });

  scope.get("/console/api/runs", (request, reply) => {
    requireSession(request, access);
    return reply.header("cache-control", "no-store").send({ runs: runs.store.list() });
  });

  scope.get("/console/api/runs/:id", async (request, reply) => {
    requireSession(request, access);
    const run = runOf(runs, request);
    let summary: unknown = null;
    if (run.status === "Completed") {
      try {
        summary = JSON.parse(await readFile(await runFile(run, "summary.json", rules), "utf8"));
      } catch {
        summary = null;
      }
    }
    return reply
      .header("cache-control", "no-store")
      .send({ run, summary, events: runs.store.events(run.id) });
  });

  scope.get("/console/api/runs/:id/events", (request, reply) => {
    requireSession(request, access);
    streamEvents(request, reply, runs, runOf(runs, request));
  });

  scope.get("/console/api/runs/:id/files/*", async (request, reply) => {
    requireSession(request, access);
    const run = runOf(runs, request);
    const relative = (request.params as { "*": string })["*"];
    const path = await runFile(run, relative, rules);
    return reply
      .header("content-type", FILE_TYPES[extname(path).toLowerCase()] ?? "application/octet-stream")
      .header(
        "content-disposition",
        `attachment; filename="${basename(path).replace(/[^A-Za-z0-9._-]/g, "_")}"`,
      )
      .header("cache-control", "no-store")
      .send(createReadStream(path));
  });

  // report.html in the run page's frame: its inline scripts run in a sandbox (an opaque origin, so they can
  // reach neither the console's cookie nor its API), and only this server's pages may frame it.
  scope.get("/console/runs/:id/report.html", async (request, reply) => {
    requireSession(request, access);
    const path = await runFile(runOf(runs, request), "report.html", rules);
    return reply
      .header("content-security-policy", `${REPORT_CSP}; sandbox allow-scripts; frame-ancestors 'self'`)
      .header("x-frame-options", "SAMEORIGIN")
      .header("content-type", "text/html; charset=utf-8")
      .header("cache-control", "no-store")
      .send(createReadStream(path));
  });
}
