/**
 * The environment that points AWS clients at a Strata server: boto3 and the SageMaker Python SDK (botocore
 * 1.31+), the AWS CLI v2 and the AWS SDK for JavaScript v3 all read a service's endpoint from
 * `AWS_ENDPOINT_URL_<SERVICE ID>`, so one `eval "$(strata serve --print-env)"` makes SageMaker, the SageMaker
 * runtime, CloudWatch Logs and STS calls come here while S3 calls go wherever `AWS_ENDPOINT_URL_S3` (or AWS)
 * says. The credentials are the server's; an S3-protocol server for local testing accepts any.
 * @module
 */

/** The services Strata answers on its port, by the endpoint variable the AWS SDKs read. */
export const SERVICE_ENDPOINT_VARIABLES = [
  "AWS_ENDPOINT_URL_SAGEMAKER",
  "AWS_ENDPOINT_URL_SAGEMAKER_RUNTIME",
  "AWS_ENDPOINT_URL_CLOUDWATCH_LOGS",
  "AWS_ENDPOINT_URL_STS",
] as const;

/**
 * The variables, in order.
 * @example
 * clientEnvironment("http://127.0.0.1:8080", { accessKeyId: "STRK…", secretAccessKey: "…" }, "us-east-1");
 */
export function clientEnvironment(
  url: string,
  credentials: { readonly accessKeyId: string; readonly secretAccessKey: string },
  region: string,
): [string, string][] {
  return [
    ...SERVICE_ENDPOINT_VARIABLES.map((name): [string, string] => [name, url]),
    ["AWS_REGION", region],
    ["AWS_DEFAULT_REGION", region],
    ["AWS_ACCESS_KEY_ID", credentials.accessKeyId],
    ["AWS_SECRET_ACCESS_KEY", credentials.secretAccessKey],
  ];
}

/** `export NAME='value'` lines for a POSIX shell. */
export function shellExports(variables: readonly [string, string][]): string {
  return variables.map(([name, value]) => `export ${name}='${value.replace(/'/g, `'\\''`)}'\n`).join("");
}
