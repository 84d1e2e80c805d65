/**
 * Errors Node's HTTP parser raises before a request reaches a route — malformed request lines, headers over
 * Node's size limit, a request or its headers too slow to arrive — answered in AWS's error shape (status,
 * `x-amzn-ErrorType`, `{"__type", "message"}`), or plain text on the container contract, instead of
 * fastify's own JSON. The connection is closed afterwards, as the parser's state is unknown.
 * @module
 */
import { randomUUID } from "node:crypto";
import { STATUS_CODES } from "node:http";
import type { Socket } from "node:net";
import { ERROR_CODES, type ErrorCode } from "../errors.js";

interface TransportError extends Error {
  readonly code?: string;
}

/** The registry code of a parser error. */
export function transportErrorCode(error: TransportError): ErrorCode {
  switch (error.code) {
    case "HPE_HEADER_OVERFLOW":
      return "HTTP_HEADERS_TOO_LARGE";
    case "ERR_HTTP_REQUEST_TIMEOUT":
    case "ERR_HTTP_HEADERS_TIMEOUT":
      return "HTTP_REQUEST_TIMEOUT";
    default:
      return "MALFORMED_HTTP";
  }
}

const MESSAGES: Readonly<Record<string, string>> = {
  HTTP_HEADERS_TOO_LARGE: "The request headers are larger than the server accepts (16 KB).",
  HTTP_REQUEST_TIMEOUT: "The request did not arrive in time: send the headers and the body without pauses.",
  MALFORMED_HTTP: "The request is not valid HTTP/1.1.",
};

/** Writes the answer for a parser error and closes the socket. */
export function answerTransportError(
  error: TransportError,
  socket: Socket,
  plane: "control" | "container",
): void {
  if (!socket.writable || (error.code === "ECONNRESET" && socket.destroyed)) {
    socket.destroy();
    return;
  }
  const code = transportErrorCode(error);
  const { status, awsType } = ERROR_CODES[code];
  const message = MESSAGES[code]!;
  const body = plane === "container" ? message : JSON.stringify({ __type: awsType, message });
  const type = plane === "container" ? "text/plain; charset=utf-8" : "application/x-amz-json-1.1";
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: ${type}\r\nx-amzn-ErrorType: ${awsType}\r\n` +
      `x-amzn-RequestId: ${randomUUID()}\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}
