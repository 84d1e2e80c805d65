/**
 * Creating a PCA or K-Means training job from a form: SageMaker's request (CreateTrainingJob), with the
 * algorithm's hyperparameters under SageMaker's names. The server validates it as it validates the API's
 * requests, and its message is shown as it comes.
 */

import { useState } from "preact/hooks";
import { useLocation } from "preact-iso";
import { sagemaker } from "../api";
import { Crumbs, ErrorBox, PageTitle, RESOURCE_NAME_PATTERN } from "../components/common";
import { formSubmit, useAction } from "../components/hooks";

type Algorithm = "pca" | "kmeans";

/** The hyperparameters each algorithm's form shows, with SageMaker's defaults as placeholders. */
const FIELDS: Record<Algorithm, readonly { name: string; required: boolean; hint: string }[]> = {
  pca: [
    { name: "feature_dim", required: true, hint: "columns of the training data" },
    { name: "num_components", required: true, hint: "components to keep" },
    { name: "mini_batch_size", required: true, hint: "rows per mini-batch, e.g. 500" },
    { name: "algorithm_mode", required: false, hint: "regular or randomized" },
    { name: "subtract_mean", required: false, hint: "true or false" },
    { name: "extra_components", required: false, hint: "randomized mode only" },
  ],
  kmeans: [
    { name: "feature_dim", required: true, hint: "columns of the training data" },
    { name: "k", required: true, hint: "number of clusters" },
    { name: "mini_batch_size", required: false, hint: "rows per mini-batch (web-scale)" },
    { name: "init_method", required: false, hint: "random or kmeans++" },
    { name: "epochs", required: false, hint: "passes over the data" },
    { name: "extra_center_factor", required: false, hint: "auto, or an integer" },
  ],
};

const CONTENT_TYPES = ["text/csv", "application/x-recordio-protobuf", "application/x-parquet"];

export function CreateJob() {
  const { route } = useLocation();
  const [algorithm, setAlgorithm] = useState<Algorithm>("kmeans");
  const create = useAction(async (form: FormData) => {
    const text = (k: string) => String(form.get(k) ?? "").trim();
    const hyperparameters: Record<string, string> = {};
    for (const f of FIELDS[algorithm])
      if (text(`hp-${f.name}`) !== "") hyperparameters[f.name] = text(`hp-${f.name}`);
    for (const line of text("extra").split("\n")) {
      const at = line.indexOf("=");
      if (at > 0) hyperparameters[line.slice(0, at).trim()] = line.slice(at + 1).trim();
    }
    const name = text("name");
    const output = text("output");
    const answer = await sagemaker<{ TrainingJobArn: string }>("CreateTrainingJob", {
      ...(name === "" ? {} : { TrainingJobName: name }),
      AlgorithmSpecification: { TrainingImage: algorithm, TrainingInputMode: "File" },
      HyperParameters: hyperparameters,
      InputDataConfig: [
        {
          ChannelName: "train",
          ContentType: text("contentType"),
          DataSource: {
            S3DataSource: {
              S3DataType: "S3Prefix",
              S3Uri: text("data"),
              S3DataDistributionType: text("distribution"),
            },
          },
        },
      ],
      ...(output === "" ? {} : { OutputDataConfig: { S3OutputPath: output } }),
      ResourceConfig: {
        InstanceType: "ml.c4.xlarge",
        InstanceCount: Number(text("instances")),
        VolumeSizeInGB: 30,
      },
    });
    const created = answer.TrainingJobArn.split("/").pop() ?? name;
    route(`/jobs/${encodeURIComponent(created)}`);
  });
  const submit = formSubmit(create.run);

  return (
    <>
      <PageTitle title="Create training job" />
      <Crumbs href="/jobs" list="Training jobs" here="new" />
      <form class="stacked" onSubmit={submit}>
        <fieldset>
          <legend>Algorithm</legend>
          {(["kmeans", "pca"] as const).map((a) => (
            <label key={a} class="inline">
              <input
                type="radio"
                name="algorithm"
                value={a}
                checked={algorithm === a}
                onChange={() => setAlgorithm(a)}
              />
              {a === "pca" ? "PCA" : "K-Means"}
            </label>
          ))}
        </fieldset>
        <label>
          Job name <span class="muted">(optional: generated as the SageMaker SDK does)</span>
          <input name="name" pattern={RESOURCE_NAME_PATTERN} />
        </label>
        <label>
          Training data <span class="muted">(s3:// URI, or a path the server may read)</span>
          <input name="data" required />
        </label>
        <div class="row">
          <label>
            Content type
            <select name="contentType">
              {CONTENT_TYPES.map((c) => (
                <option key={c}>{c}</option>
              ))}
            </select>
          </label>
          <label>
            Distribution
            <select name="distribution">
              <option>FullyReplicated</option>
              <option>ShardedByS3Key</option>
            </select>
          </label>
          <label>
            Instances
            <input name="instances" type="number" min={1} max={64} value={1} />
          </label>
        </div>
        <fieldset>
          <legend>Hyperparameters</legend>
          <div class="grid">
            {FIELDS[algorithm].map((f) => (
              <label key={`${algorithm}-${f.name}`}>
                <code>{f.name}</code>
                {f.required ? "" : <span class="muted"> (optional)</span>}
                <input name={`hp-${f.name}`} required={f.required} placeholder={f.hint} />
              </label>
            ))}
          </div>
          <label>
            Other hyperparameters <span class="muted">(one name=value per line)</span>
            <textarea name="extra" rows={3} />
          </label>
        </fieldset>
        <label>
          Output path <span class="muted">(optional: $STRATA_HOME/artifacts)</span>
          <input name="output" />
        </label>
        <ErrorBox error={create.error} />
        <button type="submit" disabled={create.busy}>
          Create training job
        </button>
      </form>
    </>
  );
}
