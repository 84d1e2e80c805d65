/**
 * The headers the real AWS SDK (SageMakerRuntimeClient) sends for one CSV InvokeEndpoint — signed with
 * SigV4 exactly as a user's client signs it — captured before anything reaches the network, so the
 * benchmarks can replay them.
 * @module
 */
import { InvokeEndpointCommand, SageMakerRuntimeClient } from "@aws-sdk/client-sagemaker-runtime";

/**
 * Header names lower-cased; values as flat strings, as Node's HTTP parser hands them to the server (the
 * signer's own values are concatenations, whose character reads cost more and would make the verifier look
 * slower in a micro-benchmark than it is in the server).
 */
export async function sdkSignedHeaders(options: {
  readonly endpoint: string;
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly body: string;
}): Promise<Record<string, string>> {
  let captured: Record<string, string> = {};
  const client = new SageMakerRuntimeClient({
    endpoint: options.endpoint,
    region: "us-east-1",
    credentials: { accessKeyId: options.accessKeyId, secretAccessKey: options.secretAccessKey },
    maxAttempts: 1,
    requestHandler: {
      handle: async (request: { headers: Record<string, string> }) => {
        captured = Object.fromEntries(
          Object.entries(request.headers).map(([k, v]) => [
            k.toLowerCase(),
            Buffer.from(String(v), "latin1").toString("latin1"),
          ]),
        );
        throw new Error("captured");
      },
    } as never,
  });
  await client
    .send(
      new InvokeEndpointCommand({
        EndpointName: "census",
        ContentType: "text/csv",
        Body: Buffer.from(options.body),
      }),
    )
    .catch(() => undefined);
  client.destroy();
  return captured;
}
