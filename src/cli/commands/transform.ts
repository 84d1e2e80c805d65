/**
 * `strata transform <model> --input <file|dir|s3-prefix> --output <prefix>`: a batch transform job
 * (CreateTransformJob) run in this process; waits for it and exits 1 when it Failed.
 * @module
 */
import type { Command } from "commander";
import { redisOptions } from "../../cluster/redis-url.js";
import { StrataError } from "../../errors.js";
import { nameFromBase } from "../../jobs/names.js";
import { parseInteger } from "../arguments.js";
import { clusterOption } from "../cluster-option.js";
import { printLines } from "../output.js";
import { printResponse, withHosting } from "./hosting-cli.js";

interface TransformFlags {
  input: string;
  output: string;
  name?: string;
  contentType: string;
  accept: string;
  split: string;
  strategy: string;
  assembleWith: string;
  maxPayload: number;
  cluster?: string;
  json?: boolean;
}

export function registerTransform(program: Command): void {
  program
    .command("transform")
    .description(
      "Run a batch transform: every object under --input through <model>, outputs at <output>/<name>.out.",
    )
    .argument("<model>", "model name")
    .requiredOption("--input <uri>", "a file, a directory or an s3:// prefix")
    .requiredOption("--output <uri>", "output prefix")
    .option("--name <job>", "TransformJobName (default transform-<timestamp>)")
    .option("--content-type <type>", "input Content-Type", "text/csv")
    .option("--accept <type>", "output type", "application/jsonlines")
    .option("--split <type>", "SplitType: None, Line or RecordIO", "Line")
    .option("--strategy <s>", "BatchStrategy: MultiRecord or SingleRecord", "MultiRecord")
    .option("--assemble-with <a>", "AssembleWith: None or Line", "Line")
    .option("--max-payload <mb>", "MaxPayloadInMB", parseInteger("--max-payload"), 6)
    .option(
      "--cluster <redis-url>",
      "transform the objects on this cluster's workers (`strata worker`; default: $STRATA_CLUSTER)",
    )
    .option("--json", "print DescribeTransformJob as JSON")
    .action(async (model: string, flags: TransformFlags) => {
      const name = flags.name ?? nameFromBase("transform");
      const url = flags.cluster ?? clusterOption().cluster;
      if (url !== undefined) redisOptions(url, "--cluster");
      const description = await withHosting(
        async (h) => {
          await h.transforms.createTransformJob({
            TransformJobName: name,
            ModelName: model,
            BatchStrategy: flags.strategy,
            MaxPayloadInMB: flags.maxPayload,
            TransformInput: {
              DataSource: { S3DataSource: { S3DataType: "S3Prefix", S3Uri: flags.input } },
              ContentType: flags.contentType,
              SplitType: flags.split,
            },
            TransformOutput: {
              S3OutputPath: flags.output,
              Accept: flags.accept,
              AssembleWith: flags.assembleWith,
            },
          });
          return h.transforms.waitForTransformJob(name, 24 * 3600_000);
        },
        url === undefined ? {} : { cluster: { url, jobs: "all" } },
      );
      if (description["TransformJobStatus"] !== "Completed")
        throw new StrataError(
          "INVALID_HOSTING_REQUEST",
          `Transform job ${name} ${String(description["TransformJobStatus"])}: ${String(description["FailureReason"] ?? "")}`,
        );
      if (flags.json) printResponse(description);
      else printLines(`${name} Completed: outputs under ${flags.output}`);
    });
}
