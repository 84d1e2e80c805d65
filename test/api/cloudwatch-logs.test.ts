/**
 * CloudWatch Logs on `strata serve`, through the real `@aws-sdk/client-cloudwatch-logs`: the paging rules
 * readers rely on (GetLogEvents' forward token comes back unchanged at the end; startTime is inclusive;
 * without startFromHead the newest events come first and backward tokens page to the oldest), events with
 * equal timestamps kept in the order they were written, DescribeLogStreams ordering and paging,
 * DescribeLogGroups, and FilterLogEvents' term patterns and paging across streams. Lines are written through
 * the same store the transform and endpoint services write to, with fixed timestamps.
 * @module
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import {
  CloudWatchLogsClient,
  DescribeLogGroupsCommand,
  DescribeLogStreamsCommand,
  FilterLogEventsCommand,
  GetLogEventsCommand,
  type OutputLogEvent,
} from "@aws-sdk/client-cloudwatch-logs";
import fc from "fast-check";
import { compileFilterPattern } from "../../src/api/logs/filter-pattern.js";
import { startTestServer, type TestServer } from "./helpers.js";

const GROUP = "/aws/sagemaker/TransformJobs";
const T0 = Date.UTC(2026, 11, 7, 2, 0, 0);

let t: TestServer;
let logs: CloudWatchLogsClient;

/** Writes `messages` for a transform job, at T0 + the given offsets (ms). */
function write(job: string, lines: readonly [number, string][]): void {
  for (const [offset, message] of lines)
    t.server.hosting.logs.append("transform-job", job, "info", message, new Date(T0 + offset));
}

const messages = (events: OutputLogEvent[] | undefined) => (events ?? []).map((e) => e.message ?? "");

before(async () => {
  t = await startTestServer();
  logs = new CloudWatchLogsClient({
    endpoint: t.server.url,
    region: "us-east-1",
    credentials: t.server.credentials!,
    maxAttempts: 1,
  });
  // Written out of time order on purpose: the stream is ordered by timestamp, then by arrival.
  write("job-a", [
    [0, "one"],
    [10, "two"],
    [10, "three"],
    [5, "between"],
    [20, "four"],
  ]);
  write("job-b", [
    [3, "jobb ERROR disk"],
    [15, "jobb WARN slow"],
    [25, "jobb done"],
  ]);
  write("other", [[1, "x"]]);
  t.server.hosting.logs.append("endpoint", "ep", "info", "Endpoint ep is InService.", new Date(T0));
});

after(async () => {
  logs?.destroy();
  await t?.close();
});

async function streamOf(job: string): Promise<string> {
  const r = await logs.send(
    new DescribeLogStreamsCommand({ logGroupName: GROUP, logStreamNamePrefix: `${job}/` }),
  );
  assert.equal(r.logStreams?.length, 1);
  return r.logStreams![0]!.logStreamName!;
}

describe("GetLogEvents", () => {
  test("from the head in pages of 2: every event once, by timestamp then arrival; the end returns the token sent", async () => {
    const stream = await streamOf("job-a");
    assert.equal(stream, `job-a/algo-1-${Math.floor(T0 / 1000)}`);
    const seen: string[] = [];
    let token: string | undefined;
    for (let page = 0; page < 10; page++) {
      const r = await logs.send(
        new GetLogEventsCommand({
          logGroupName: GROUP,
          logStreamName: stream,
          startFromHead: true,
          limit: 2,
          ...(token === undefined ? {} : { nextToken: token }),
        }),
      );
      if ((r.events ?? []).length === 0) {
        assert.equal(r.nextForwardToken, token, "at the end the forward token comes back unchanged");
        break;
      }
      seen.push(...messages(r.events));
      token = r.nextForwardToken;
    }
    assert.deepEqual(seen, ["[INFO] one", "[INFO] between", "[INFO] two", "[INFO] three", "[INFO] four"]);
  });

  test("startTime is inclusive and endTime bounds the range", async () => {
    const stream = await streamOf("job-a");
    const r = await logs.send(
      new GetLogEventsCommand({
        logGroupName: GROUP,
        logStreamName: stream,
        startFromHead: true,
        startTime: T0 + 10,
        endTime: T0 + 10,
      }),
    );
    assert.deepEqual(messages(r.events), ["[INFO] two", "[INFO] three"]);
    assert.deepEqual(
      r.events!.map((e) => [e.timestamp, e.ingestionTime]),
      [
        [T0 + 10, T0 + 10],
        [T0 + 10, T0 + 10],
      ],
    );
  });

  test("without startFromHead: the newest events, and backward tokens page to the oldest", async () => {
    const stream = await streamOf("job-a");
    const newest = await logs.send(
      new GetLogEventsCommand({ logGroupName: GROUP, logStreamName: stream, limit: 2 }),
    );
    assert.deepEqual(messages(newest.events), ["[INFO] three", "[INFO] four"]);
    const older = await logs.send(
      new GetLogEventsCommand({
        logGroupName: GROUP,
        logStreamName: stream,
        limit: 2,
        nextToken: newest.nextBackwardToken,
      }),
    );
    assert.deepEqual(messages(older.events), ["[INFO] between", "[INFO] two"]);
    const oldest = await logs.send(
      new GetLogEventsCommand({
        logGroupName: GROUP,
        logStreamName: stream,
        limit: 2,
        nextToken: older.nextBackwardToken,
      }),
    );
    assert.deepEqual(messages(oldest.events), ["[INFO] one"]);
    const none = await logs.send(
      new GetLogEventsCommand({
        logGroupName: GROUP,
        logStreamName: stream,
        limit: 2,
        nextToken: oldest.nextBackwardToken,
      }),
    );
    assert.deepEqual(messages(none.events), []);
    assert.equal(none.nextBackwardToken, oldest.nextBackwardToken);
    // Forward from the newest page's forward token: nothing new yet, then a line written later.
    const tail = await logs.send(
      new GetLogEventsCommand({
        logGroupName: GROUP,
        logStreamName: stream,
        nextToken: newest.nextForwardToken,
      }),
    );
    assert.deepEqual(messages(tail.events), []);
    write("job-a", [[30, "five"]]);
    const later = await logs.send(
      new GetLogEventsCommand({
        logGroupName: GROUP,
        logStreamName: stream,
        nextToken: newest.nextForwardToken,
      }),
    );
    assert.deepEqual(messages(later.events), ["[INFO] five"]);
  });

  test("limits are checked", async () => {
    const stream = await streamOf("job-a");
    await assert.rejects(
      logs.send(new GetLogEventsCommand({ logGroupName: GROUP, logStreamName: stream, limit: 10_001 })),
      (e: Error) => e.name === "InvalidParameterException" && /limit=10001 is invalid/.test(e.message),
    );
  });
});

describe("DescribeLogStreams and DescribeLogGroups", () => {
  test("streams by name, by last event time (descending), paged by limit", async () => {
    const byName = await logs.send(new DescribeLogStreamsCommand({ logGroupName: GROUP }));
    assert.deepEqual(
      byName.logStreams!.map((s) => s.logStreamName!.split("/")[0]),
      ["job-a", "job-b", "other"],
    );
    const a = byName.logStreams![0]!;
    assert.equal(a.firstEventTimestamp, T0);
    assert.equal(a.creationTime, T0);
    assert.ok(
      a.arn!.startsWith(
        "arn:aws:logs:us-east-1:000000000000:log-group:/aws/sagemaker/TransformJobs:log-stream:job-a/",
      ),
    );
    const byTime = await logs.send(
      new DescribeLogStreamsCommand({ logGroupName: GROUP, orderBy: "LastEventTime", descending: true }),
    );
    // Last events as written above: job-a's "five" at T0+30, job-b's last at T0+25, other's at T0+1.
    assert.deepEqual(
      byTime.logStreams!.map((s) => [s.logStreamName!.split("/")[0], s.lastEventTimestamp]),
      [
        ["job-a", T0 + 30],
        ["job-b", T0 + 25],
        ["other", T0 + 1],
      ],
    );
    const first = await logs.send(new DescribeLogStreamsCommand({ logGroupName: GROUP, limit: 2 }));
    assert.equal(first.logStreams?.length, 2);
    assert.ok(first.nextToken);
    const rest = await logs.send(
      new DescribeLogStreamsCommand({ logGroupName: GROUP, limit: 2, nextToken: first.nextToken }),
    );
    assert.deepEqual(
      rest.logStreams!.map((s) => s.logStreamName!.split("/")[0]),
      ["other"],
    );
    assert.equal(rest.nextToken, undefined);
    await assert.rejects(
      logs.send(
        new DescribeLogStreamsCommand({
          logGroupName: GROUP,
          orderBy: "LastEventTime",
          logStreamNamePrefix: "job",
        }),
      ),
      (e: Error) => e.name === "InvalidParameterException",
    );
  });

  test("groups: the two job groups always, an endpoint's once it has logged", async () => {
    const r = await logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: "/aws/sagemaker/" }));
    assert.deepEqual(
      r.logGroups!.map((g) => g.logGroupName),
      ["/aws/sagemaker/Endpoints/ep", "/aws/sagemaker/TrainingJobs", "/aws/sagemaker/TransformJobs"],
    );
    const ep = await logs.send(
      new DescribeLogStreamsCommand({ logGroupIdentifier: "/aws/sagemaker/Endpoints/ep" }),
    );
    assert.deepEqual(
      ep.logStreams!.map((s) => s.logStreamName),
      [`AllTraffic/algo-1-${Math.floor(T0 / 1000)}`],
    );
  });
});

describe("FilterLogEvents", () => {
  test("events of several streams by time, with their stream names; terms, ?optional and -excluded", async () => {
    const all = await logs.send(
      new FilterLogEventsCommand({ logGroupName: GROUP, logStreamNamePrefix: "job-", endTime: T0 + 25 }),
    );
    assert.deepEqual(messages(all.events), [
      "[INFO] one",
      "[INFO] jobb ERROR disk",
      "[INFO] between",
      "[INFO] two",
      "[INFO] three",
      "[INFO] jobb WARN slow",
      "[INFO] four",
      "[INFO] jobb done",
    ]);
    assert.equal(all.events![1]!.logStreamName, await streamOf("job-b"));
    assert.equal(all.nextToken, undefined);
    const optional = await logs.send(
      new FilterLogEventsCommand({ logGroupName: GROUP, filterPattern: "?ERROR ?WARN" }),
    );
    assert.deepEqual(messages(optional.events), ["[INFO] jobb ERROR disk", "[INFO] jobb WARN slow"]);
    const excluded = await logs.send(
      new FilterLogEventsCommand({ logGroupName: GROUP, filterPattern: 'jobb -"WARN slow"' }),
    );
    assert.deepEqual(messages(excluded.events), ["[INFO] jobb ERROR disk", "[INFO] jobb done"]);
  });

  test("paging by limit gives every match once", async () => {
    const seen: string[] = [];
    let token: string | undefined;
    for (let page = 0; page < 20; page++) {
      const r = await logs.send(
        new FilterLogEventsCommand({
          logGroupName: GROUP,
          logStreamNames: [await streamOf("job-a"), await streamOf("job-b")],
          filterPattern: "INFO",
          limit: 3,
          ...(token === undefined ? {} : { nextToken: token }),
        }),
      );
      seen.push(...messages(r.events));
      token = r.nextToken;
      if (token === undefined) break;
    }
    assert.equal(seen.length, new Set(seen).size);
    assert.equal(seen.length, 9);
  });

  test("JSON and regex patterns are refused, naming what Strata matches", async () => {
    await assert.rejects(
      logs.send(new FilterLogEventsCommand({ logGroupName: GROUP, filterPattern: '{ $.level = "ERROR" }' })),
      (e: Error) => e.name === "InvalidParameterException" && /term patterns/.test(e.message),
    );
  });
});

describe("filter patterns", () => {
  test("one plain term matches exactly the messages containing it (property)", () => {
    const word = fc.stringMatching(/^[A-Za-z0-9_.:]{1,6}$/);
    // Half the messages hold the term between arbitrary text, so both answers are reached for every length.
    const message = (term: string) =>
      fc.oneof(
        fc.string({ maxLength: 30 }),
        fc
          .tuple(fc.string({ maxLength: 12 }), fc.string({ maxLength: 12 }))
          .map(([a, b]) => `${a}${term}${b}`),
      );
    let matched = 0;
    fc.assert(
      fc.property(
        word.chain((term) => fc.tuple(fc.constant(term), message(term))),
        ([term, text]) => {
          const expected = text.includes(term);
          if (expected) matched++;
          assert.equal(compileFilterPattern(term)(text), expected);
        },
      ),
      { seed: 11, numRuns: 2000 },
    );
    assert.ok(matched > 500, `only ${matched} of 2000 messages held their term`);
  });

  test("an empty pattern matches everything; an unterminated phrase is refused", () => {
    assert.equal(compileFilterPattern("")("anything"), true);
    assert.equal(compileFilterPattern(undefined)(""), true);
    assert.throws(() => compileFilterPattern('"open'), /unterminated quoted phrase/);
    assert.equal(compileFilterPattern('"a b" c')("x a b y c"), true);
    assert.equal(compileFilterPattern('"a b" c')("a c b"), false);
  });
});
