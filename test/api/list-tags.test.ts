/**
 * ListTags finds a resource by its ARN, which spells the name in lower case whatever case it was created in.
 * @module
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { CreateModelCommand, ListTagsCommand } from "@aws-sdk/client-sagemaker";
import { startTestServer, type TestServer } from "./helpers.js";

let t: TestServer;
before(async () => {
  t = await startTestServer({});
});
after(() => t?.close());

test("a model created as Census-PCA: its lower-case ARN gives its tags; an ARN of nothing is a clear 4xx", async () => {
  const { ModelArn } = await t.sm.send(
    new CreateModelCommand({
      ModelName: "Census-PCA",
      ExecutionRoleArn: "arn:aws:iam::000000000000:role/x",
      PrimaryContainer: { Image: "pca", ModelDataUrl: "s3://bucket/model.tar.gz" },
      Tags: [{ Key: "project", Value: "census" }],
    }),
  );
  assert.equal(ModelArn, "arn:aws:sagemaker:us-east-1:000000000000:model/census-pca");
  const { Tags } = await t.sm.send(new ListTagsCommand({ ResourceArn: ModelArn }));
  assert.deepEqual(Tags, [{ Key: "project", Value: "census" }]);
  await assert.rejects(
    t.sm.send(
      new ListTagsCommand({ ResourceArn: "arn:aws:sagemaker:us-east-1:000000000000:model/no-such-model" }),
    ),
    (e: Error & { $metadata?: { httpStatusCode?: number } }) =>
      e.$metadata?.httpStatusCode === 400 && /no-such-model/.test(e.message),
  );
});
