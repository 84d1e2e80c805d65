/** Batch transform jobs: the list, a form that starts one, and a job's page with its log lines and a stop button. */

import { useState } from "preact/hooks";
import { useLocation, useRoute } from "preact-iso";
import { sagemaker } from "../api";
import {
  Crumbs,
  ErrorBox,
  Facts,
  Loading,
  PageTitle,
  RESOURCE_NAME_PATTERN,
  Status,
} from "../components/common";
import { duration, when } from "../components/format";
import { formSubmit, useAction, useLoad } from "../components/hooks";
import { ListView, ResourceLink } from "../components/list-view";
import { LogView } from "../components/log-view";

interface TransformSummary {
  TransformJobName: string;
  TransformJobStatus: string;
  CreationTime: number;
  TransformEndTime?: number;
}

interface TransformDescription extends TransformSummary {
  ModelName: string;
  FailureReason?: string;
  TransformStartTime?: number;
  TransformInput: {
    DataSource: { S3DataSource: { S3Uri: string } };
    ContentType?: string;
    SplitType?: string;
  };
  TransformOutput: { S3OutputPath: string; Accept?: string };
  TransformResources: { InstanceCount: number };
}

const LIVE = new Set(["InProgress", "Stopping"]);

export function Transforms() {
  const jobs = useLoad(
    () =>
      sagemaker<{ TransformJobSummaries: TransformSummary[] }>("ListTransformJobs", {
        SortBy: "CreationTime",
        SortOrder: "Descending",
        MaxResults: 100,
      }),
    "transforms",
    { pollMs: 2000, poll: (v) => v.TransformJobSummaries.some((j) => LIVE.has(j.TransformJobStatus)) },
  );
  return (
    <>
      <PageTitle title="Transform jobs">
        <a class="button" href="/transforms/new">
          Create transform job
        </a>
      </PageTitle>
      <ListView
        loaded={jobs}
        rows={jobs.value?.TransformJobSummaries}
        rowKey={(j) => j.TransformJobName}
        what="transform jobs"
        empty="No transform jobs yet."
        columns={[
          { header: "Name", cell: (j) => <ResourceLink base="/transforms" name={j.TransformJobName} /> },
          { header: "Status", cell: (j) => <Status status={j.TransformJobStatus} /> },
          { header: "Created", cell: (j) => when(j.CreationTime) },
          { header: "Duration", cell: (j) => duration(j.CreationTime, j.TransformEndTime) },
        ]}
      />
    </>
  );
}

export function CreateTransform() {
  const { route } = useLocation();
  const models = useLoad(
    () => sagemaker<{ Models: { ModelName: string }[] }>("ListModels", { MaxResults: 100 }),
    "models",
  );
  const create = useAction(async (form: FormData) => {
    const text = (k: string) => String(form.get(k) ?? "").trim();
    const name =
      text("name") ||
      `transform-${new Date()
        .toISOString()
        .replace(/[:.TZ]/g, "-")
        .slice(0, 23)}`;
    await sagemaker("CreateTransformJob", {
      TransformJobName: name,
      ModelName: text("model"),
      TransformInput: {
        DataSource: { S3DataSource: { S3DataType: "S3Prefix", S3Uri: text("input") } },
        ContentType: text("contentType"),
        SplitType: "Line",
      },
      TransformOutput: { S3OutputPath: text("output"), Accept: text("accept") },
      TransformResources: { InstanceType: "ml.m5.large", InstanceCount: Number(text("instances")) },
    });
    route(`/transforms/${encodeURIComponent(name)}`);
  });
  const submit = formSubmit(create.run);
  return (
    <>
      <PageTitle title="Create transform job" />
      <Crumbs href="/transforms" list="Transform jobs" here="new" />
      <form class="stacked" onSubmit={submit}>
        <label>
          Job name <span class="muted">(optional)</span>
          <input name="name" pattern={RESOURCE_NAME_PATTERN} />
        </label>
        <label>
          Model
          <select name="model" required>
            {(models.value?.Models ?? []).map((m) => (
              <option key={m.ModelName}>{m.ModelName}</option>
            ))}
          </select>
        </label>
        <label>
          Input <span class="muted">(s3:// prefix, or a file or folder the server may read)</span>
          <input name="input" required />
        </label>
        <label>
          Output path <span class="muted">(s3:// prefix, or a folder the server may write)</span>
          <input name="output" required />
        </label>
        <div class="row">
          <label>
            Content type
            <select name="contentType">
              <option>text/csv</option>
              <option>application/jsonlines</option>
              <option>application/x-recordio-protobuf</option>
            </select>
          </label>
          <label>
            Accept
            <select name="accept">
              <option>text/csv</option>
              <option>application/jsonlines</option>
              <option>application/json</option>
            </select>
          </label>
          <label>
            Instances
            <input name="instances" type="number" min={1} max={64} value={1} />
          </label>
        </div>
        <ErrorBox error={create.error ?? models.error} />
        <button type="submit" disabled={create.busy}>
          Create transform job
        </button>
      </form>
    </>
  );
}

export function Transform() {
  const { params } = useRoute();
  const name = params["name"] ?? "";
  const job = useLoad(
    () => sagemaker<TransformDescription>("DescribeTransformJob", { TransformJobName: name }),
    name,
    {
      pollMs: 1000,
      poll: (j) => LIVE.has(j.TransformJobStatus),
    },
  );
  const [stopError, setStopError] = useState<Error | undefined>(undefined);
  const j = job.value;
  const stop = async () => {
    try {
      await sagemaker("StopTransformJob", { TransformJobName: name });
      job.reload();
    } catch (e) {
      setStopError(e as Error);
    }
  };
  return (
    <>
      <PageTitle title={name}>
        {j?.TransformJobStatus === "InProgress" && (
          <button type="button" class="danger" onClick={stop}>
            Stop transform job
          </button>
        )}
      </PageTitle>
      <Crumbs href="/transforms" list="Transform jobs" here={name} />
      <ErrorBox error={job.error} />
      <ErrorBox error={stopError} />
      {j === undefined ? (
        job.error === undefined && <Loading what="the transform job" />
      ) : (
        <>
          <Facts
            rows={[
              ["Status", <Status key="s" status={j.TransformJobStatus} />],
              ["Failure reason", j.FailureReason],
              [
                "Model",
                <a key="m" href={`/models/${encodeURIComponent(j.ModelName)}`}>
                  {j.ModelName}
                </a>,
              ],
              [
                "Input",
                `${j.TransformInput.DataSource.S3DataSource.S3Uri} (${j.TransformInput.ContentType ?? "—"})`,
              ],
              ["Output", `${j.TransformOutput.S3OutputPath} (${j.TransformOutput.Accept ?? "—"})`],
              ["Instances", String(j.TransformResources.InstanceCount)],
              ["Created", when(j.CreationTime)],
              ["Took", duration(j.TransformStartTime, j.TransformEndTime)],
            ]}
          />
          <LogView
            group="/aws/sagemaker/TransformJobs"
            prefix={`${name}/`}
            live={LIVE.has(j.TransformJobStatus)}
          />
        </>
      )}
    </>
  );
}
