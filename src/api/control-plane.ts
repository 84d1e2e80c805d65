/**
 * The SageMaker control plane over AWS JSON 1.1: `POST /` with `X-Amz-Target: SageMaker.<Action>` and a JSON
 * body; the answer is JSON (`application/x-amz-json-1.1`) with timestamps in epoch seconds. Requests are
 * authenticated before the action runs; an action Strata does not implement gets UnknownOperationException
 * naming it and listing the ones it does.
 * @module
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { StrataError } from "../errors.js";
import { HOSTING_ACTIONS } from "./actions-hosting.js";
import { TRAINING_ACTIONS } from "./actions-training.js";
import type { ActionHandler, ApiContext } from "./context.js";
import { sendError } from "./http-errors.js";
import { toWire } from "./wire.js";

/** Every action the control plane answers. */
export const ACTIONS: Readonly<Record<string, ActionHandler>> = { ...TRAINING_ACTIONS, ...HOSTING_ACTIONS };

const EMPTY = Buffer.alloc(0);

/** Authenticates a request (no-op with `--no-auth`). @throws the SigV4Verifier errors */
export function authenticate(request: FastifyRequest, body: Uint8Array, context: ApiContext): void {
  context.verifier?.verify({ method: request.method, url: request.url, headers: request.headers, body });
}

function parseBody(body: Uint8Array): Record<string, unknown> {
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

async function handle(
  request: FastifyRequest,
  reply: FastifyReply,
  context: ApiContext,
): Promise<FastifyReply> {
  try {
    const body = (request.body as Buffer | undefined) ?? EMPTY;
    authenticate(request, body, context);
    const target = request.headers["x-amz-target"];
    const action =
      typeof target === "string" && target.startsWith("SageMaker.") ? target.slice(10) : undefined;
    const handler = action === undefined ? undefined : ACTIONS[action];
    if (handler === undefined) {
      throw new StrataError(
        "UNKNOWN_OPERATION",
        `${action === undefined ? `X-Amz-Target ${JSON.stringify(target ?? null)} names no SageMaker action` : `Strata does not implement the SageMaker action ${action}`}; it implements ${Object.keys(ACTIONS).join(", ")}.`,
        { details: { target } },
      );
    }
    const result = await handler(parseBody(body), context);
    return reply
      .code(200)
      .header("content-type", "application/x-amz-json-1.1")
      .header("x-amzn-requestid", crypto.randomUUID())
      .send(JSON.stringify(toWire(result ?? {})));
  } catch (error) {
    return sendError(reply, error, "control");
  }
}

/** Adds `POST /` to the app. */
export function registerControlPlane(app: FastifyInstance, context: ApiContext): void {
  app.post("/", (request, reply) => handle(request, reply, context));
}
