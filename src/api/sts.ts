/**
 * STS `GetCallerIdentity` on the server's port (the AWS Query protocol: a form-encoded `POST /` with
 * `Action=GetCallerIdentity&Version=2011-06-15`, answered in XML), so `sagemaker.Session().default_bucket()`
 * and `aws sts get-caller-identity` work when pointed at Strata. The identity is fixed: the account of the
 * server's ARNs (`$STRATA_ACCOUNT_ID`, default 000000000000) and a user named `strata`. Errors leave in the
 * Query protocol's XML shape, which is what the STS clients parse.
 * @module
 */

import { randomUUID } from "node:crypto";
import type { FastifyReply } from "fastify";
import { StrataError } from "../errors.js";
import type { ArnContext } from "../jobs/describe.js";
import { escapeMarkup } from "../util/escape-markup.js";
import { toStrataError } from "./http-errors.js";

const XMLNS = "https://sts.amazonaws.com/doc/2011-06-15/";

/** True for a request in the Query protocol (form-encoded, no X-Amz-Target): how STS clients call. */
export function isQueryProtocol(contentType: string | undefined, target: unknown): boolean {
  return (
    target === undefined && (contentType ?? "").toLowerCase().startsWith("application/x-www-form-urlencoded")
  );
}

/**
 * Answers one STS request whose signature was already checked.
 * @throws nothing: every failure is answered in STS's XML error shape
 */
export function answerSts(reply: FastifyReply, body: Uint8Array, arn: ArnContext): FastifyReply {
  const requestId = randomUUID();
  const params = new URLSearchParams(Buffer.from(body.buffer, body.byteOffset, body.length).toString("utf8"));
  const action = params.get("Action");
  if (action !== "GetCallerIdentity")
    return sendStsError(
      reply,
      new StrataError(
        "UNKNOWN_OPERATION",
        `Strata does not implement the STS action ${JSON.stringify(action ?? "")}; it implements GetCallerIdentity.`,
      ),
      requestId,
    );
  const xml =
    `<GetCallerIdentityResponse xmlns="${XMLNS}"><GetCallerIdentityResult>` +
    `<Arn>arn:aws:iam::${escapeMarkup(arn.accountId)}:user/strata</Arn>` +
    `<UserId>AIDASTRATALOCALUSER01</UserId>` +
    `<Account>${escapeMarkup(arn.accountId)}</Account>` +
    `</GetCallerIdentityResult><ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata>` +
    `</GetCallerIdentityResponse>`;
  return reply.code(200).header("content-type", "text/xml").header("x-amzn-requestid", requestId).send(xml);
}

/** An error in the Query protocol's XML shape (`ErrorResponse/Error/{Type, Code, Message}`). */
export function sendStsError(reply: FastifyReply, error: unknown, requestId = randomUUID()): FastifyReply {
  const e = toStrataError(error);
  const code = e.code === "UNKNOWN_OPERATION" ? "InvalidAction" : e.awsType;
  const xml =
    `<ErrorResponse xmlns="${XMLNS}"><Error><Type>${e.status >= 500 ? "Receiver" : "Sender"}</Type>` +
    `<Code>${escapeMarkup(code)}</Code><Message>${escapeMarkup(e.message)}</Message></Error>` +
    `<RequestId>${requestId}</RequestId></ErrorResponse>`;
  return reply
    .code(e.status)
    .header("content-type", "text/xml")
    .header("x-amzn-requestid", requestId)
    .send(xml);
}
