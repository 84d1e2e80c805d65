/**
 * CloudWatch Logs actions (AWS JSON 1.1, `X-Amz-Target: Logs_20140328.<Action>`, SigV4 service `logs`) over
 * Strata's log lines: DescribeLogGroups, DescribeLogStreams, GetLogEvents and FilterLogEvents, with
 * CloudWatch's field names, limits and paging rules:
 *
 * - GetLogEvents pages with `f/…` (forward) and `b/…` (backward) tokens; a forward token that reaches the end
 *   of the stream comes back unchanged, which is how readers know they have everything. Without a token it
 *   returns the newest events, or the oldest with `startFromHead`.
 * - DescribeLogStreams and DescribeLogGroups page by an opaque `nextToken`; FilterLogEvents returns one when
 *   it stopped before the end.
 * - Timestamps are milliseconds since the epoch. An unknown group or stream is ResourceNotFoundException,
 *   which the SageMaker SDK's `logs_for_job` reads as "no streams yet".
 * @module
 */

import { StrataError } from "../../errors.js";
import type { ArnContext } from "../../jobs/describe.js";
import type { LogEventStore, LogPosition } from "../../registry/log-event-store.js";
import { integerField } from "../../util/integer-field.js";
import { compileFilterPattern } from "./filter-pattern.js";
import {
  eventMessage,
  findLogGroup,
  findLogStream,
  type LogGroup,
  type LogStream,
  listLogGroups,
  listLogStreams,
} from "./log-groups.js";

/** What the Logs actions read. */
export interface LogsContext {
  readonly logs: LogEventStore;
  readonly arn: ArnContext;
}

type LogsAction = (input: Record<string, unknown>, context: LogsContext) => unknown;

function invalid(message: string, field: string): StrataError {
  return new StrataError("INVALID_LOGS_PARAMETER", message, { details: { field } });
}

function optionalString(input: Record<string, unknown>, field: string): string | undefined {
  const v = input[field];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== "string") throw invalid(`${field} must be a string.`, field);
  return v;
}

function optionalInteger(
  input: Record<string, unknown>,
  field: string,
  min: number,
  max: number,
): number | undefined {
  return integerField(input[field], field, { min, max }, "INVALID_LOGS_PARAMETER", undefined);
}

function optionalBoolean(input: Record<string, unknown>, field: string): boolean | undefined {
  const v = input[field];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== "boolean") throw invalid(`${field} must be true or false.`, field);
  return v;
}

const MAX_TIME = 8.64e15;

function requireGroup(input: Record<string, unknown>, context: LogsContext): LogGroup {
  const name = optionalString(input, "logGroupName") ?? optionalString(input, "logGroupIdentifier");
  if (name === undefined) throw invalid("logGroupName is required.", "logGroupName");
  const group = findLogGroup(context.logs, name);
  if (group === null)
    throw new StrataError("LOG_GROUP_NOT_FOUND", "The specified log group does not exist.", {
      details: { logGroupName: name },
    });
  return group;
}

function groupArn(context: LogsContext, group: string): string {
  return `arn:aws:logs:${context.arn.region}:${context.arn.accountId}:log-group:${group}`;
}

/** An offset into a sorted listing, as an opaque token. */
function offsetToken(offset: number): string {
  return Buffer.from(`o:${offset}`).toString("base64url");
}

function readOffsetToken(input: Record<string, unknown>): number {
  const token = optionalString(input, "nextToken");
  if (token === undefined) return 0;
  const m = /^o:(\d{1,9})$/.exec(Buffer.from(token, "base64url").toString("latin1"));
  if (m === null) throw invalid("The specified nextToken is invalid.", "nextToken");
  return Number(m[1]);
}

/** `f/<time>/<id>` or `b/<time>/<id>`: a place in a stream's (time, id) order and a direction. */
function eventToken(direction: "f" | "b", at: LogPosition): string {
  return `${direction}/${String(at.time).padStart(16, "0")}/${String(at.id).padStart(20, "0")}`;
}

function readEventToken(token: string): { direction: "f" | "b"; at: LogPosition } {
  const m = /^([fb])\/(\d{1,16})\/(\d{1,20})$/.exec(token);
  if (m === null) throw invalid("The specified nextToken is invalid.", "nextToken");
  return { direction: m[1] as "f" | "b", at: { time: Number(m[2]), id: Number(m[3]) } };
}

function page<T>(items: readonly T[], offset: number, limit: number): { items: T[]; nextToken?: string } {
  const items_ = items.slice(offset, offset + limit);
  return offset + limit < items.length
    ? { items: items_, nextToken: offsetToken(offset + limit) }
    : { items: items_ };
}

function describeStream(context: LogsContext, group: LogGroup, s: LogStream): Record<string, unknown> {
  return {
    logStreamName: s.streamName,
    creationTime: s.firstTime,
    firstEventTimestamp: s.firstTime,
    lastEventTimestamp: s.lastTime,
    lastIngestionTime: s.lastTime,
    uploadSequenceToken: String(s.count),
    arn: `${groupArn(context, group.name)}:log-stream:${s.streamName}`,
    storedBytes: 0,
  };
}

const describeLogGroups: LogsAction = (input, context) => {
  const prefix = optionalString(input, "logGroupNamePrefix") ?? "";
  const limit = optionalInteger(input, "limit", 1, 50) ?? 50;
  const groups = listLogGroups(context.logs).filter((g) => g.name.startsWith(prefix));
  const { items, nextToken } = page(groups, readOffsetToken(input), limit);
  return {
    logGroups: items.map((g) => {
      const streams = listLogStreams(context.logs, g);
      return {
        logGroupName: g.name,
        creationTime: Math.min(...streams.map((s) => s.firstTime), Date.now()),
        metricFilterCount: 0,
        arn: `${groupArn(context, g.name)}:*`,
        logGroupArn: groupArn(context, g.name),
        storedBytes: streams.reduce((sum, s) => sum + s.bytes, 0),
        logGroupClass: "STANDARD",
      };
    }),
    ...(nextToken === undefined ? {} : { nextToken }),
  };
};

const describeLogStreams: LogsAction = (input, context) => {
  const group = requireGroup(input, context);
  const prefix = optionalString(input, "logStreamNamePrefix");
  const orderBy = optionalString(input, "orderBy") ?? "LogStreamName";
  if (orderBy !== "LogStreamName" && orderBy !== "LastEventTime")
    throw invalid(
      `orderBy=${JSON.stringify(orderBy)} is invalid: expected LogStreamName or LastEventTime.`,
      "orderBy",
    );
  if (orderBy === "LastEventTime" && prefix !== undefined)
    throw invalid("Cannot order by LastEventTime with a logStreamNamePrefix.", "orderBy");
  const descending = optionalBoolean(input, "descending") ?? false;
  const limit = optionalInteger(input, "limit", 1, 50) ?? 50;
  const streams = listLogStreams(context.logs, group, prefix ?? "");
  if (orderBy === "LastEventTime") streams.sort((a, b) => a.lastTime - b.lastTime);
  if (descending) streams.reverse();
  const { items, nextToken } = page(streams, readOffsetToken(input), limit);
  return {
    logStreams: items.map((s) => describeStream(context, group, s)),
    ...(nextToken === undefined ? {} : { nextToken }),
  };
};

function timeRange(input: Record<string, unknown>): { startTime?: number; endTime?: number } {
  const startTime = optionalInteger(input, "startTime", 0, MAX_TIME);
  const endTime = optionalInteger(input, "endTime", 0, MAX_TIME);
  return {
    ...(startTime === undefined ? {} : { startTime }),
    ...(endTime === undefined ? {} : { endTime }),
  };
}

const getLogEvents: LogsAction = (input, context) => {
  const group = requireGroup(input, context);
  const streamName = optionalString(input, "logStreamName");
  if (streamName === undefined) throw invalid("logStreamName is required.", "logStreamName");
  const stream = findLogStream(context.logs, group, streamName);
  if (stream === null)
    throw new StrataError("LOG_STREAM_NOT_FOUND", "The specified log stream does not exist.", {
      details: { logGroupName: group.name, logStreamName: streamName },
    });
  const limit = optionalInteger(input, "limit", 1, 10_000) ?? 10_000;
  const fromHead = optionalBoolean(input, "startFromHead") ?? false;
  const rawToken = optionalString(input, "nextToken");
  const token = rawToken === undefined ? undefined : readEventToken(rawToken);
  const events = context.logs.events(group.kind, [stream.name], {
    ...timeRange(input),
    limit,
    ...(token === undefined
      ? { backward: !fromHead }
      : { from: token.at, backward: token.direction === "b" }),
  });
  return {
    events: events.map((e) => ({
      timestamp: e.time,
      message: eventMessage(e.level, e.message),
      ingestionTime: e.time,
    })),
    nextForwardToken: pageToken("f", events[events.length - 1], token, rawToken),
    nextBackwardToken: pageToken("b", events[0], token, rawToken),
  };
};

/**
 * The token for one end of a GetLogEvents page: past its edge event; for an empty page, the token sent in
 * that direction (CloudWatch's "you have everything"), else the place the request started from.
 */
function pageToken(
  direction: "f" | "b",
  edge: LogPosition | undefined,
  sent: { direction: "f" | "b"; at: LogPosition } | undefined,
  raw: string | undefined,
): string {
  if (edge !== undefined) return eventToken(direction, edge);
  if (sent?.direction === direction && raw !== undefined) return raw;
  return eventToken(direction, sent?.at ?? { time: 0, id: 0 });
}

/** Events FilterLogEvents reads from the registry per request at most, so a pattern that rarely matches stays cheap. */
const FILTER_SCAN_LIMIT = 100_000;
const FILTER_PAGE = 1_000;

const filterLogEvents: LogsAction = (input, context) => {
  const group = requireGroup(input, context);
  const names = input["logStreamNames"];
  const prefix = optionalString(input, "logStreamNamePrefix");
  if (names !== undefined && prefix !== undefined)
    throw invalid("logStreamNames and logStreamNamePrefix cannot both be given.", "logStreamNames");
  if (
    names !== undefined &&
    (!Array.isArray(names) || names.length > 100 || names.some((n) => typeof n !== "string"))
  )
    throw invalid("logStreamNames must be a list of at most 100 stream names.", "logStreamNames");
  const all = listLogStreams(context.logs, group, prefix ?? "");
  const streams = names === undefined ? all : all.filter((s) => (names as string[]).includes(s.streamName));
  const streamOf = new Map(streams.map((s) => [s.name, s.streamName]));
  const limit = optionalInteger(input, "limit", 1, 10_000) ?? 10_000;
  const matches = compileFilterPattern(optionalString(input, "filterPattern"));
  const rawToken = optionalString(input, "nextToken");
  let from = rawToken === undefined ? undefined : readEventToken(rawToken).at;
  const range = timeRange(input);
  const found: Record<string, unknown>[] = [];
  let scanned = 0;
  let exhausted = false;
  while (found.length < limit && scanned < FILTER_SCAN_LIMIT) {
    const batch = context.logs.events(group.kind, [...streamOf.keys()], {
      ...range,
      ...(from === undefined ? {} : { from }),
      limit: FILTER_PAGE,
    });
    for (const e of batch) {
      scanned++;
      from = e;
      const message = eventMessage(e.level, e.message);
      if (!matches(message)) continue;
      found.push({
        logStreamName: streamOf.get(e.name),
        timestamp: e.time,
        message,
        ingestionTime: e.time,
        eventId: `${e.time}${String(e.id).padStart(20, "0")}`,
      });
      if (found.length === limit) break;
    }
    if (batch.length < FILTER_PAGE) {
      exhausted = found.length < limit || batch[batch.length - 1] === from;
      break;
    }
  }
  return {
    events: found,
    searchedLogStreams: streams.map((s) => ({ logStreamName: s.streamName, searchedCompletely: exhausted })),
    ...(exhausted || from === undefined ? {} : { nextToken: eventToken("f", from) }),
  };
};

/** Every CloudWatch Logs action Strata answers, by name. */
export const LOGS_ACTIONS: Readonly<Record<string, LogsAction>> = {
  DescribeLogGroups: describeLogGroups,
  DescribeLogStreams: describeLogStreams,
  GetLogEvents: getLogEvents,
  FilterLogEvents: filterLogEvents,
};
