/**
 * The control plane on `POST /`: the SageMaker API and CloudWatch Logs over AWS JSON 1.1 (`X-Amz-Target:
 * SageMaker.<Action>` or `Logs_20140328.<Action>`, a JSON body, a JSON answer with SageMaker's timestamps
 * in epoch seconds and CloudWatch's in milliseconds), and STS over the Query protocol (a form-encoded body,
 * an XML answer: src/api/sts.ts). Requests are authenticated before the action runs, whatever the service
 * in their SigV4 scope; an action Strata does not implement gets UnknownOperationException naming it and
 * listing the ones it does.
 * @module
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { StrataError } from "../errors.js";
import { HOSTING_ACTIONS } from "./actions-hosting.js";
import { RUN_ACTIONS } from "./actions-runs.js";
import { TAG_ACTIONS } from "./actions-tags.js";
import { TRAINING_ACTIONS } from "./actions-training.js";
import type { ActionHandler, ApiContext } from "./context.js";
import { sendError } from "./http-errors.js";
import { LOGS_ACTIONS } from "./logs/actions.js";
import { answerSts, isQueryProtocol, sendStsError } from "./sts.js";
import { toWire } from "./wire.js";

/** Every action the control plane answers. */
export const ACTIONS: Readonly<Record<string, ActionHandler>> = {
  ...TRAINING_ACTIONS,
  ...HOSTING_ACTIONS,
  ...TAG_ACTIONS,
  ...RUN_ACTIONS,
};

const EMPTY = Buffer.alloc(0);

/** Authenticates a request (no-op with `--no-auth`). @throws the SigV4Verifier errors */
export function authenticate(request: FastifyRequest, body: Uint8Array, context: ApiContext): void {
  context.verifier?.verify({ method: request.method, url: request.url, headers: request.headers, body });
}

/** A JSON request body that must be an object (empty: `{}`). @throws StrataError SERIALIZATION_ERROR */
export function parseBody(body: Uint8Array): Record<string, unknown> {
  if (body.length === 0) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(body.buffer, body.byteOffset, body.length).toString("utf8"));
  } catch (cause) {
    throw new StrataError(
      "SERIALIZATION_ERROR",
      `The request body is not valid JSON: ${(cause as Error).message}.`,
      { cause },
    );
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed))
    throw new StrataError("SERIALIZATION_ERROR", "The request body must be a JSON object.");
  return parsed as Record<string, unknown>;
}

/** The JSON 1.1 services on `POST /`, by their X-Amz-Target prefix. */
interface JsonService {
  readonly prefix: string;
  readonly title: string;
  readonly actions: Readonly<
    Record<string, (input: Record<string, unknown>, context: ApiContext) => unknown>
  >;
}

const SERVICES: readonly JsonService[] = [
  { prefix: "SageMaker.", title: "SageMaker", actions: ACTIONS },
  {
    prefix: "Logs_20140328.",
    title: "CloudWatch Logs",
    actions: Object.fromEntries(
      Object.entries(LOGS_ACTIONS).map(([name, action]) => [
        name,
        (input: Record<string, unknown>, context: ApiContext) =>
          action(input, { logs: context.hosting.logs, arn: context.hosting.arn }),
      ]),
    ),
  },
];

function findHandler(target: unknown): JsonService["actions"][string] {
  const service = typeof target === "string" ? SERVICES.find((s) => target.startsWith(s.prefix)) : undefined;
  const action = service === undefined ? undefined : (target as string).slice(service.prefix.length);
  const handler = service === undefined || action === undefined ? undefined : service.actions[action];
  if (handler !== undefined) return handler;
  throw new StrataError(
    "UNKNOWN_OPERATION",
    service === undefined
      ? `X-Amz-Target ${JSON.stringify(target ?? null)} names no action Strata serves: it serves ${SERVICES.map((s) => `${s.title} (${s.prefix}<Action>)`).join(", ")} and STS GetCallerIdentity.`
      : `Strata does not implement the ${service.title} action ${action}; it implements ${Object.keys(service.actions).join(", ")}.`,
    { details: { target } },
  );
}

/**
 * Runs the JSON 1.1 action `target` names on `body` and gives its answer as wire JSON. The control plane calls
 * it once SigV4 has passed; the web console (src/api/console) once its session and CSRF token have.
 */
export async function callJsonAction(
  target: unknown,
  body: Uint8Array,
  context: ApiContext,
): Promise<string> {
  const result = await findHandler(target)(parseBody(body), context);
  return JSON.stringify(toWire(result ?? {}));
}

async function handle(
  request: FastifyRequest,
  reply: FastifyReply,
  context: ApiContext,
): Promise<FastifyReply> {
  const target = request.headers["x-amz-target"];
  const sts = isQueryProtocol(request.headers["content-type"], target);
  try {
    const body = (request.body as Buffer | undefined) ?? EMPTY;
    authenticate(request, body, context);
    if (sts) return answerSts(reply, body, context.hosting.arn);
    const answer = await callJsonAction(target, body, context);
    return reply
      .code(200)
      .header("content-type", "application/x-amz-json-1.1")
      .header("x-amzn-requestid", crypto.randomUUID())
      .send(answer);
  } catch (error) {
    return sts ? sendStsError(reply, error) : sendError(reply, error, "control");
  }
}

/** Adds `POST /` to the app. */
export function registerControlPlane(app: FastifyInstance, context: ApiContext): void {
  app.post("/", (request, reply) => handle(request, reply, context));
}
